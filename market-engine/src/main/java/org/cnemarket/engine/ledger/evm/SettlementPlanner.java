package org.cnemarket.engine.ledger.evm;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.cnemarket.contracts.generated.CneMarket;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Trade;
import org.cnemarket.core.model.Units;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.ledger.LedgerReason;
import org.cnemarket.engine.ledger.LedgerRejectedException;

/**
 * Turns a settlement batch into the per-account net credit movements the contract applies, after
 * the checks the root-only contract cannot make itself: every referenced order is signed by its
 * trader and accepted on-chain, every trade is consistent with its orders, and no buy order spends
 * more than it locked. One movement per account, however many trades it has.
 */
final class SettlementPlanner {
  /** An accepted order's locked escrow in micro-credits, or -1 when the chain does not know it. */
  interface LockedLookup {
    long lockedMicros(String orderId) throws LedgerException;
  }

  private SettlementPlanner() {}

  static List<CneMarket.Movement> plan(
      SettlementBatch batch, Eip712.Domain domain, LockedLookup chain) throws LedgerException {
    Map<String, SignedOrder> orders = new HashMap<>();
    for (SignedOrder so : batch.orders()) {
      if (!so.verify(domain)) {
        throw new LedgerRejectedException(
            LedgerReason.SIGNATURE,
            "order of "
                + so.order().trader()
                + " nonce "
                + so.order().nonce()
                + " is not signed by its trader");
      }
      orders.put(so.id(domain), so);
    }
    Map<String, Long> spentByOrder = new HashMap<>();
    Map<String, long[]> byAccount = new TreeMap<>(); // account -> {spent, refund, received}
    for (Trade t : batch.trades()) {
      try {
        t.validate();
      } catch (IllegalArgumentException e) {
        throw new LedgerRejectedException(LedgerReason.INVALID, e.getMessage());
      }
      if (t.round() != batch.round()) {
        throw new LedgerRejectedException(
            LedgerReason.INVALID, "trade " + t.tradeId() + " is not of round " + batch.round());
      }
      SignedOrder buy = requireOrder(orders, t.buyOrderId(), t);
      SignedOrder sell = requireOrder(orders, t.sellOrderId(), t);
      if (buy.order().kind().side() != OrderKind.Side.BUY
          || sell.order().kind().side() != OrderKind.Side.SELL
          || buy.order().kind().market() != t.market()
          || sell.order().kind().market() != t.market()
          || !buy.order().trader().equals(t.buyer())
          || !sell.order().trader().equals(t.seller())) {
        throw new LedgerRejectedException(
            LedgerReason.INVALID, "trade " + t.tradeId() + " does not match its orders");
      }
      spentByOrder.merge(t.buyOrderId().toLowerCase(Locale.ROOT), t.amountMicros(), Math::addExact);
      account(byAccount, t.buyer())[0] += t.amountMicros();
      account(byAccount, t.seller())[2] += t.amountMicros();
    }
    for (SettlementBatch.Fee fee : batch.fees()) {
      SignedOrder buy = orders.get(fee.buyOrderId().toLowerCase(Locale.ROOT));
      if (buy == null
          || buy.order().kind().side() != OrderKind.Side.BUY
          || !buy.order().trader().equals(fee.payer())) {
        throw new LedgerRejectedException(
            LedgerReason.INVALID,
            "fee of " + fee.buyOrderId() + " is not paid by a buy order's trader");
      }
      // The platform's take leaves the buy order's escrow like a payment and is credited to the
      // platform.
      spentByOrder.merge(
          fee.buyOrderId().toLowerCase(Locale.ROOT), fee.amountMicros(), Math::addExact);
      account(byAccount, fee.payer())[0] += fee.amountMicros();
      account(byAccount, Units.PLATFORM_ACCOUNT)[2] += fee.amountMicros();
    }
    Map<String, Long> locked = new HashMap<>();
    for (SignedOrder so : orders.values()) {
      String id = so.id(domain);
      long l = chain.lockedMicros(id);
      if (l < 0) {
        throw new LedgerRejectedException(
            LedgerReason.UNKNOWN_ORDER, "order " + id + " was never accepted on the ledger");
      }
      locked.put(id, l);
    }
    for (Map.Entry<String, Long> e : spentByOrder.entrySet()) {
      long l = locked.get(e.getKey());
      if (e.getValue() > l) {
        throw new LedgerRejectedException(
            LedgerReason.OVERDRAFT,
            "buy order " + e.getKey() + " spends " + e.getValue() + " but locked " + l);
      }
    }
    for (String closed : batch.closedOrderIds()) {
      String id = closed.toLowerCase(Locale.ROOT);
      SignedOrder so = orders.get(id);
      if (so == null || so.order().kind().side() != OrderKind.Side.BUY) {
        throw new LedgerRejectedException(
            LedgerReason.INVALID, "closed order " + closed + " is not a buy order of the batch");
      }
      long refund = locked.get(id) - spentByOrder.getOrDefault(id, 0L);
      account(byAccount, so.order().trader())[1] += refund;
    }
    List<CneMarket.Movement> moves = new ArrayList<>(byAccount.size());
    for (Map.Entry<String, long[]> e : byAccount.entrySet()) {
      long[] v = e.getValue();
      moves.add(
          new CneMarket.Movement(
              e.getKey(),
              BigInteger.valueOf(v[0]),
              BigInteger.valueOf(v[1]),
              BigInteger.valueOf(v[2])));
    }
    return moves;
  }

  private static SignedOrder requireOrder(Map<String, SignedOrder> orders, String id, Trade t)
      throws LedgerRejectedException {
    SignedOrder so = orders.get(id.toLowerCase(Locale.ROOT));
    if (so == null) {
      throw new LedgerRejectedException(
          LedgerReason.INVALID,
          "trade " + t.tradeId() + " references order " + id + " not in the batch");
    }
    return so;
  }

  private static long[] account(Map<String, long[]> m, String account) {
    return m.computeIfAbsent(account.toLowerCase(Locale.ROOT), k -> new long[3]);
  }
}
