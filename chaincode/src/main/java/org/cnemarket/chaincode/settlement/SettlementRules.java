package org.cnemarket.chaincode.settlement;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cnemarket.chaincode.ReasonCode;
import org.cnemarket.chaincode.StateKeys;
import org.cnemarket.chaincode.TxContext;
import org.cnemarket.chaincode.TxState;
import org.cnemarket.chaincode.escrow.Account;
import org.cnemarket.chaincode.escrow.StoredOrder;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.model.NetSettlement;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.Units;

/**
 * Settlement of a round's batch from its header and net movements per order ({@link
 * NetSettlement}): the trades stay off the ledger, proven against the stored Merkle root. Checked
 * here, on the ledger's own state: each order was accepted (its signature checked then, and the
 * batch carries that signature), is filled on its own side at most up to its quantity, in the
 * batch's slot; a buy order never pays above its limit price nor more than its escrow holds; a sell
 * order is paid at least its limit price; green Wh come only from renewable offers; per market, the
 * quantity and credits bought equal those sold and the trades counted on each side equal the
 * header's count; a batch id applies once. Then sellers are paid, buy orders' escrow spent, fees
 * credited to the platform and closed buy orders refunded. All checks run before anything is staged
 * for writing.
 */
public final class SettlementRules {
  public static final String EVENT = "BatchSettled";

  private SettlementRules() {}

  /** Settles; returns {"batchId","txId","alreadySettled"}. */
  public static Map<String, Object> settle(TxContext tx, String settlementJson) {
    NetSettlement b = RecordCodec.netSettlementFromJson(settlementJson);
    TxState state = tx.state();
    if (b.round() < 0 || b.slot() < 0 || b.tradeCount() < 0) {
      throw ReasonCode.INVALID.reject("round, slot and tradeCount must not be negative");
    }
    if (!SettlementBatch.batchId(tx.domain(), b.round()).equals(b.batchId())) {
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

    Map<OrderKind.Market, long[]> bought = new EnumMap<>(OrderKind.Market.class);
    Map<OrderKind.Market, long[]> sold = new EnumMap<>(OrderKind.Market.class);
    List<StoredOrder> orders = new ArrayList<>(b.orders().size());
    Map<String, Account> accounts = new TreeMap<>();
    long feesMicros = 0;
    List<Object> closed = new ArrayList<>();
    String previous = "";
    for (NetSettlement.OrderMove m : b.orders()) {
      String where = "order " + m.orderId();
      if (m.orderId().compareTo(previous) <= 0) {
        throw ReasonCode.INVALID.reject(where + ": movements must be in ascending order id, once");
      }
      previous = m.orderId();
      if (m.quantity() < 0
          || m.trades() < 0
          || m.amountMicros() < 0
          || m.feeMicros() < 0
          || m.greenWh() < 0) {
        throw ReasonCode.INVALID.reject(where + ": a movement must not be negative");
      }
      if ((m.quantity() == 0) != (m.trades() == 0) || m.trades() > m.quantity()) {
        throw ReasonCode.INVALID.reject(
            where + ": filled quantity and trade count do not fit together");
      }
      StoredOrder o = StoredOrder.load(state, m.orderId());
      if (o == null) {
        throw ReasonCode.UNKNOWN_ORDER.reject(where + " was never accepted on the ledger");
      }
      // The id is the digest of the signed content; the signature must be the one checked at
      // acceptance, or the batch does not carry the order the ledger accepted.
      if (!o.signatureHash().equals(m.signatureHash())) {
        throw ReasonCode.SIGNATURE.reject(
            where + " carries another signature than the one accepted on the ledger");
      }
      Order terms = o.order();
      boolean moves = m.quantity() > 0 || m.amountMicros() > 0 || m.feeMicros() > 0;
      if (moves && o.closed()) {
        throw ReasonCode.INVALID.reject(where + " is closed");
      }
      if (Math.addExact(o.filledQuantity(), m.quantity()) > terms.quantity()) {
        throw ReasonCode.INVALID.reject(where + ": the batch fills more than its quantity");
      }
      if (m.quantity() > 0 && (b.slot() < terms.slot() || b.slot() > terms.lastSlot())) {
        throw ReasonCode.INVALID.reject(where + ": slot " + b.slot() + " is outside its slots");
      }
      long[] side;
      if (terms.kind().side() == OrderKind.Side.BUY) {
        if (m.greenWh() != 0) {
          throw ReasonCode.INVALID.reject(where + ": green Wh are counted on the offer");
        }
        if (m.amountMicros() > Units.amountMicros(m.quantity(), terms.priceMicros())) {
          throw ReasonCode.INVALID.reject(where + " pays above its limit price");
        }
        long spent = Math.addExact(m.amountMicros(), m.feeMicros());
        if (spent > o.escrowRemaining()) {
          throw ReasonCode.OVERDRAFT.reject(
              where
                  + " spends "
                  + spent
                  + " micro-credits but has "
                  + o.escrowRemaining()
                  + " of escrow left");
        }
        String buyer = terms.trader();
        accounts.put(buyer, account(state, accounts, buyer).spendEscrow(spent));
        o = o.fill(m.quantity(), spent);
        if (m.close() && !o.closed()) {
          accounts.put(buyer, account(state, accounts, buyer).release(o.escrowRemaining()));
          o = o.close();
          closed.add(m.orderId());
        }
        feesMicros = Math.addExact(feesMicros, m.feeMicros());
        side = bought.computeIfAbsent(terms.kind().market(), k -> new long[3]);
      } else {
        if (m.close() || m.feeMicros() != 0) {
          throw ReasonCode.INVALID.reject(
              where + " is not a buy order: it pays no fee, closes not");
        }
        // Each trade's amount is rounded down, so n trades at or above the limit price pay at
        // least floor(quantity * limit / 1000) - (n - 1).
        if (m.trades() > 0
            && m.amountMicros()
                < Units.amountMicros(m.quantity(), terms.priceMicros()) - (m.trades() - 1)) {
          throw ReasonCode.INVALID.reject(where + " is paid below its limit price");
        }
        if (m.greenWh() > m.quantity() || (m.greenWh() > 0 && !terms.green())) {
          throw ReasonCode.INVALID.reject(
              where + ": green Wh need an offer from a renewable source, at most its quantity");
        }
        String seller = terms.trader();
        accounts.put(seller, account(state, accounts, seller).credit(m.amountMicros()));
        o = o.fill(m.quantity(), 0);
        side = sold.computeIfAbsent(terms.kind().market(), k -> new long[3]);
      }
      side[0] = Math.addExact(side[0], m.quantity());
      side[1] = Math.addExact(side[1], m.amountMicros());
      side[2] = Math.addExact(side[2], m.trades());
      orders.add(o);
    }
    long tradesCounted = 0;
    for (OrderKind.Market market : OrderKind.Market.values()) {
      long[] in = bought.getOrDefault(market, new long[3]);
      long[] out = sold.getOrDefault(market, new long[3]);
      if (in[0] != out[0] || in[1] != out[1] || in[2] != out[2]) {
        throw ReasonCode.INVALID.reject(
            "the "
                + market
                + " market is not conserved: bought "
                + in[0]
                + " for "
                + in[1]
                + " micro-credits in "
                + in[2]
                + " trades, sold "
                + out[0]
                + " for "
                + out[1]
                + " in "
                + out[2]);
      }
      tradesCounted += in[2];
    }
    if (tradesCounted != b.tradeCount()) {
      throw ReasonCode.INVALID.reject(
          "the movements count " + tradesCounted + " trades, the header " + b.tradeCount());
    }
    if (feesMicros > 0) {
      accounts.put(
          Units.PLATFORM_ACCOUNT,
          account(state, accounts, Units.PLATFORM_ACCOUNT).credit(feesMicros));
    }

    // Every check passed: stage the effects.
    orders.forEach(o -> o.saveFills(state));
    accounts.values().forEach(a -> a.save(state));
    Map<String, Object> rec = new LinkedHashMap<>();
    rec.put("batchId", b.batchId());
    rec.put("round", b.round());
    rec.put("slot", b.slot());
    rec.put("merkleRoot", b.merkleRoot());
    rec.put("inputsHash", b.inputsHash());
    rec.put("outputsHash", b.outputsHash());
    rec.put("tradeCount", b.tradeCount());
    rec.put("closedOrderIds", closed);
    rec.put("txId", tx.txId());
    rec.put("timestamp", tx.timestamp().toEpochMilli());
    state.put(StateKeys.batch(b.batchId()), rec);

    Map<String, Object> event = new LinkedHashMap<>();
    event.put("batchId", b.batchId());
    event.put("round", b.round());
    event.put("merkleRoot", b.merkleRoot());
    event.put("tradeCount", b.tradeCount());
    state.event(EVENT, event);
    return receipt(b.batchId(), tx.txId(), false);
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
