package org.cnemarket.chaincode.settlement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.cnemarket.chaincode.ReasonCode;
import org.cnemarket.chaincode.StateKeys;
import org.cnemarket.chaincode.TxContext;
import org.cnemarket.chaincode.TxState;
import org.cnemarket.chaincode.escrow.Account;
import org.cnemarket.chaincode.escrow.StoredOrder;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Trade;
import org.cnemarket.core.model.Units;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;

/**
 * Settlement of a round's batch: every trade is checked against the signed, accepted orders it
 * fills and the escrow they locked; then sellers are paid, closed buy orders refunded and the
 * batch, its trades and their index stored. All checks run before anything is staged for writing,
 * and the batch id makes the whole batch apply at most once.
 */
public final class SettlementRules {
  public static final String EVENT = "BatchSettled";

  private SettlementRules() {}

  /** Settles; returns {"batchId","txId","alreadySettled"}. */
  public static Map<String, Object> settle(TxContext tx, String batchJson) {
    SettlementBatch b = RecordCodec.batchFromJson(batchJson);
    Eip712.Domain domain = tx.domain();
    TxState state = tx.state();
    if (b.round() < 0 || b.slot() < 0) {
      throw ReasonCode.INVALID.reject("round and slot must not be negative");
    }
    if (!SettlementBatch.batchId(domain, b.round()).equals(b.batchId())) {
      throw ReasonCode.INVALID.reject(
          "batchId is not keccak256(abi.encode(domainSeparator, round))");
    }
    Fields existing = state.fields(StateKeys.batch(b.batchId()));
    if (existing != null) {
      if (existing.string("merkleRoot").equals(b.merkleRoot())
          && existing.string("inputsHash").equals(b.inputsHash())) {
        return receipt(b.batchId(), existing.string("txId"), true);
      }
      throw ReasonCode.BATCH_CONFLICT.reject(
          "batch " + b.batchId() + " of round " + b.round() + " was settled with other contents");
    }
    if (!b.computedRoot().equals(b.merkleRoot())) {
      throw ReasonCode.ROOT_MISMATCH.reject(
          "merkleRoot "
              + b.merkleRoot()
              + " is not the root of the trades ("
              + b.computedRoot()
              + ")");
    }

    // Every order a trade fills must have been accepted on the ledger, where its signature was
    // checked; an order's id is the digest of its signed content, so the stored order with the
    // same id is the same order and its signature need not be recovered again here.
    List<SignedOrder> batchOrders = b.orders();
    String[] ids = new String[batchOrders.size()];
    IntStream.range(0, ids.length).parallel().forEach(i -> ids[i] = batchOrders.get(i).id(domain));
    Map<String, SignedOrder> included = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      batchOrders.get(i).order().validate();
      included.put(ids[i], batchOrders.get(i));
    }

    Map<String, StoredOrder> orders = new TreeMap<>();
    Map<String, Account> accounts = new TreeMap<>();
    List<Trade> trades = b.trades();
    for (int i = 0; i < trades.size(); i++) {
      Trade t = trades.get(i).validate();
      String where = "trade " + i + " (" + t.tradeId() + ")";
      if (t.round() != b.round()) {
        throw ReasonCode.INVALID.reject(where + " is of round " + t.round() + ", not " + b.round());
      }
      if (!Trade.tradeId(t.buyOrderId(), t.sellOrderId(), b.round(), i).equals(t.tradeId())) {
        throw ReasonCode.INVALID.reject(
            where + ": tradeId is not tradeId(buy, sell, round, index)");
      }
      if (state.exists(StateKeys.trade(t.tradeId()))) {
        throw ReasonCode.INVALID.reject(where + " is already settled");
      }
      StoredOrder buy = order(state, orders, included, t.buyOrderId(), where);
      StoredOrder sell = order(state, orders, included, t.sellOrderId(), where);
      Order bo = buy.signed().order();
      Order so = sell.signed().order();
      checkSide(bo, OrderKind.Side.BUY, t, where);
      checkSide(so, OrderKind.Side.SELL, t, where);
      if (!t.buyer().equals(bo.trader()) || !t.seller().equals(so.trader())) {
        throw ReasonCode.INVALID.reject(where + ": buyer and seller must be the orders' traders");
      }
      if (t.priceMicros() > bo.priceMicros() || t.priceMicros() < so.priceMicros()) {
        throw ReasonCode.INVALID.reject(where + ": price is outside the orders' limits");
      }
      if (!within(t.slot(), bo) || !within(t.slot(), so)) {
        throw ReasonCode.INVALID.reject(
            where + ": slot " + t.slot() + " is outside an order's slots");
      }
      if (buy.closed()) {
        throw ReasonCode.INVALID.reject(where + ": buy order " + buy.orderId() + " is closed");
      }
      if (Math.addExact(buy.filledQuantity(), t.quantity()) > bo.quantity()
          || Math.addExact(sell.filledQuantity(), t.quantity()) > so.quantity()) {
        throw ReasonCode.INVALID.reject(where + " fills more than an order's quantity");
      }
      if (t.greenWh() > 0 && !so.green()) {
        throw ReasonCode.INVALID.reject(where + ": green Wh need an offer from a renewable source");
      }
      if (t.amountMicros() > buy.escrowRemaining()) {
        throw ReasonCode.OVERDRAFT.reject(
            where
                + " costs "
                + t.amountMicros()
                + " but buy order "
                + buy.orderId()
                + " has "
                + buy.escrowRemaining()
                + " micro-credits of escrow left");
      }
      orders.put(buy.orderId(), buy.fill(t.quantity(), t.amountMicros()));
      orders.put(sell.orderId(), sell.fill(t.quantity(), 0));
      accounts.put(t.buyer(), account(state, accounts, t.buyer()).spendEscrow(t.amountMicros()));
      accounts.put(t.seller(), account(state, accounts, t.seller()).credit(t.amountMicros()));
    }

    // Platform fees (McAfee trade reduction): from the buy order's escrow to the platform account.
    for (SettlementBatch.Fee fee : b.fees()) {
      String where = "fee of buy order " + fee.buyOrderId();
      StoredOrder buy = order(state, orders, included, fee.buyOrderId(), where);
      if (buy.signed().order().kind().side() != OrderKind.Side.BUY
          || !buy.signed().order().trader().equals(fee.payer())) {
        throw ReasonCode.INVALID.reject(where + ": the payer must be the trader of a buy order");
      }
      if (buy.closed()) {
        throw ReasonCode.INVALID.reject(where + ": the order is closed");
      }
      if (fee.amountMicros() > buy.escrowRemaining()) {
        throw ReasonCode.OVERDRAFT.reject(
            where
                + " is "
                + fee.amountMicros()
                + " but the order has "
                + buy.escrowRemaining()
                + " micro-credits of escrow left");
      }
      orders.put(buy.orderId(), buy.fill(0, fee.amountMicros()));
      accounts.put(
          fee.payer(), account(state, accounts, fee.payer()).spendEscrow(fee.amountMicros()));
      accounts.put(
          Units.PLATFORM_ACCOUNT,
          account(state, accounts, Units.PLATFORM_ACCOUNT).credit(fee.amountMicros()));
    }

    for (String id : new LinkedHashSet<>(b.closedOrderIds())) {
      String orderId = id.toLowerCase(Locale.ROOT);
      StoredOrder o =
          orders.containsKey(orderId) ? orders.get(orderId) : StoredOrder.load(state, orderId);
      if (o == null) {
        throw ReasonCode.INVALID.reject("closed order " + orderId + " was never accepted");
      }
      if (o.signed().order().kind().side() != OrderKind.Side.BUY) {
        throw ReasonCode.INVALID.reject("closed order " + orderId + " is not a buy order");
      }
      if (o.closed()) {
        continue; // closing twice is a no-op
      }
      String buyer = o.signed().order().trader();
      accounts.put(buyer, account(state, accounts, buyer).release(o.escrowRemaining()));
      orders.put(orderId, o.close());
    }

    // Every check passed: stage the effects.
    orders.values().forEach(o -> o.save(state));
    accounts.values().forEach(a -> a.save(state));
    for (int i = 0; i < trades.size(); i++) {
      Trade t = trades.get(i);
      Map<String, Object> rec = RecordCodec.trade(t);
      rec.put("batchId", b.batchId());
      rec.put("index", (long) i);
      state.put(StateKeys.trade(t.tradeId()), rec);
      state.putString(StateKeys.tradeIndex(t.buyer(), t.slot(), t.tradeId()), t.tradeId());
      state.putString(StateKeys.tradeIndex(t.seller(), t.slot(), t.tradeId()), t.tradeId());
    }
    Map<String, Object> rec = new LinkedHashMap<>();
    rec.put("batchId", b.batchId());
    rec.put("round", b.round());
    rec.put("slot", b.slot());
    rec.put("merkleRoot", b.merkleRoot());
    rec.put("inputsHash", b.inputsHash());
    rec.put("outputsHash", b.outputsHash());
    rec.put("tradeCount", (long) b.tradeCount());
    rec.put("closedOrderIds", b.closedOrderIds());
    rec.put("txId", tx.txId());
    rec.put("timestamp", tx.timestamp().toEpochMilli());
    state.put(StateKeys.batch(b.batchId()), rec);

    Map<String, Object> event = new LinkedHashMap<>();
    event.put("batchId", b.batchId());
    event.put("round", b.round());
    event.put("merkleRoot", b.merkleRoot());
    event.put("tradeCount", (long) b.tradeCount());
    state.event(EVENT, event);
    return receipt(b.batchId(), tx.txId(), false);
  }

  /** The stored trade records of {@code address} (buyer or seller) in [fromSlot, toSlot]. */
  public static List<Object> tradesByParticipant(
      TxContext tx, String address, long fromSlot, long toSlot) {
    List<Object> out = new ArrayList<>();
    if (fromSlot > toSlot) {
      return out;
    }
    try (QueryResultsIterator<KeyValue> it =
        tx.stub().getStateByPartialCompositeKey(StateKeys.TRADE_INDEX, address)) {
      for (KeyValue kv : it) {
        CompositeKey k = CompositeKey.parseCompositeKey(kv.getKey());
        long slot = Long.parseLong(k.getAttributes().get(1));
        if (slot > toSlot) {
          break; // keys are in slot order
        }
        if (slot >= fromSlot) {
          String trade = tx.state().get(StateKeys.trade(kv.getStringValue()));
          if (trade != null) {
            out.add(Json.parse(trade));
          }
        }
      }
    }
    return out;
  }

  private static StoredOrder order(
      TxState state,
      Map<String, StoredOrder> working,
      Map<String, SignedOrder> included,
      String orderId,
      String where) {
    if (!included.containsKey(orderId)) {
      throw ReasonCode.INVALID.reject(
          where + ": order " + orderId + " is not included in the batch");
    }
    StoredOrder o =
        working.containsKey(orderId) ? working.get(orderId) : StoredOrder.load(state, orderId);
    if (o == null) {
      throw ReasonCode.INVALID.reject(
          where + ": order " + orderId + " was never accepted on the ledger");
    }
    if (!o.signed().signature().toHex().equals(included.get(orderId).signature().toHex())) {
      throw ReasonCode.SIGNATURE.reject(
          where
              + ": order "
              + orderId
              + " carries another signature than the one accepted on the ledger");
    }
    return o;
  }

  private static void checkSide(Order o, OrderKind.Side side, Trade t, String where) {
    if (o.kind().side() != side || o.kind().market() != t.market()) {
      throw ReasonCode.INVALID.reject(
          where
              + ": a "
              + t.market()
              + " trade needs a "
              + side
              + " order of that market, got "
              + o.kind());
    }
  }

  private static boolean within(long slot, Order o) {
    return slot >= o.slot() && slot <= o.lastSlot();
  }

  private static Account account(TxState state, Map<String, Account> working, String address) {
    return working.containsKey(address) ? working.get(address) : Account.load(state, address);
  }

  static Map<String, Object> receipt(String batchId, String txId, boolean already) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("batchId", batchId);
    m.put("txId", txId);
    m.put("alreadySettled", already);
    return m;
  }
}
