package org.cnemarket.engine.notify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Trade;
import org.cnemarket.core.model.Units;
import org.cnemarket.engine.ledger.Balance;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.ledger.SettlementReceipt;
import org.cnemarket.engine.publicdata.PublicMarketData;
import org.cnemarket.engine.store.MarketStore;
import org.cnemarket.engine.store.RoundHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the market does into events: a closed round is a public {@code round} event and a
 * {@code fill} per trade side; a settled batch is a {@code settlement} event for every participant
 * in it, then the {@link LowBalance} rule is checked for every buyer of the round.
 */
public final class MarketNotifications {
  private static final Logger LOG = LoggerFactory.getLogger(MarketNotifications.class);

  private final MarketStore store;
  private final Ledger ledger;
  private final PublicMarketData publicData;
  private final Notifier notifier;
  private final int lowBalanceRounds;

  public MarketNotifications(
      MarketStore store,
      Ledger ledger,
      PublicMarketData publicData,
      Notifier notifier,
      int lowBalanceRounds) {
    this.store = store;
    this.ledger = ledger;
    this.publicData = publicData;
    this.notifier = notifier;
    this.lowBalanceRounds = lowBalanceRounds;
  }

  public Notifier notifier() {
    return notifier;
  }

  /**
   * Publishes the round's public result and each participant's fills; {@code trades} are the
   * round's, as its close made them (so they need not be read back).
   */
  public void roundClosed(long round, List<Trade> trades) {
    // Notifications never fail the market operation that caused them.
    try {
      publishRound(round, trades);
    } catch (RuntimeException e) {
      LOG.warn("round {} notifications failed: {}", round, e.toString());
    }
  }

  private void publishRound(long round, List<Trade> trades) {
    RoundHeader r = store.rounds().header(round).orElse(null);
    if (r == null) {
      return;
    }
    long startNanos = System.nanoTime();
    notifier.publish(MarketEvent.ROUND, null, publicData.round(r));
    for (Trade t : trades) {
      notifier.publish(MarketEvent.FILL, t.buyer(), fill(t, "BUY"));
      notifier.publish(MarketEvent.FILL, t.seller(), fill(t, "SELL"));
    }
    LOG.info(
        "round {} announced: {} fills in {} ms",
        round,
        2L * trades.size(),
        (System.nanoTime() - startNanos) / 1_000_000);
  }

  private static Map<String, Object> fill(Trade t, String side) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tradeId", t.tradeId());
    m.put("round", t.round());
    m.put("slot", t.slot());
    m.put("market", t.market().name());
    m.put("side", side);
    m.put("orderId", side.equals("BUY") ? t.buyOrderId() : t.sellOrderId());
    m.put("quantity", t.quantity());
    m.put("priceMicros", t.priceMicros());
    m.put("amountMicros", t.amountMicros());
    m.put("greenWh", t.greenWh());
    m.put("carbonMg", t.carbonMg());
    return m;
  }

  /** Tells every participant of the batch that it settled, then warns buyers running low. */
  public void settled(SettlementBatch batch, SettlementReceipt receipt) {
    try {
      publishSettlement(batch, receipt);
    } catch (RuntimeException e) {
      LOG.warn("settlement notifications of batch {} failed: {}", batch.batchId(), e.toString());
    }
  }

  // The batch as the outbox parsed it: at 10^5 orders, reading and parsing it again took 1.5 s.
  private void publishSettlement(SettlementBatch batch, SettlementReceipt receipt) {
    Map<String, long[]> participants = new TreeMap<>();
    for (Trade t : batch.trades()) {
      participants.computeIfAbsent(t.buyer(), a -> new long[3])[0] += t.amountMicros();
      participants.computeIfAbsent(t.seller(), a -> new long[3])[1] += t.amountMicros();
      participants.get(t.buyer())[2]++;
      if (!t.seller().equals(t.buyer())) {
        participants.get(t.seller())[2]++;
      }
    }
    for (Map.Entry<String, long[]> p : participants.entrySet()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("batchId", batch.batchId());
      m.put("round", batch.round());
      m.put("slot", batch.slot());
      m.put("merkleRoot", batch.merkleRoot());
      m.put("trades", p.getValue()[2]);
      m.put("paidMicros", p.getValue()[0]);
      m.put("receivedMicros", p.getValue()[1]);
      if (receipt.txId() != null) {
        m.put("txId", receipt.txId());
        m.put("blockNumber", receipt.blockNumber());
      }
      notifier.publish(MarketEvent.SETTLEMENT, p.getKey(), m);
    }
    checkBalances(batch);
  }

  /**
   * A buyer whose credits no longer cover another {@code lowBalanceRounds} rounds like this one is
   * warned.
   */
  private void checkBalances(SettlementBatch batch) {
    Map<String, Long> perRound = new TreeMap<>();
    for (SignedOrder so : batch.orders()) {
      if (so.order().kind().side() == OrderKind.Side.BUY) {
        perRound.merge(
            so.order().trader(),
            Units.maxCostMicros(so.order().quantity(), so.order().priceMicros()),
            Math::addExact);
      }
    }
    for (Map.Entry<String, Long> e : perRound.entrySet()) {
      Balance b;
      try {
        b = ledger.balance(e.getKey());
      } catch (LedgerException ex) {
        LOG.warn("low-balance check of {} skipped: {}", e.getKey(), ex.getMessage());
        continue;
      }
      LowBalance.check(e.getValue(), b.availableMicros(), b.escrowMicros(), lowBalanceRounds)
          .ifPresent(
              low -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("account", e.getKey());
                m.put("round", batch.round());
                m.put("nextSlot", batch.slot() + 1);
                m.put("availableMicros", low.availableMicros());
                m.put("escrowMicros", low.escrowMicros());
                m.put("needMicros", low.needMicros());
                m.put("shortfallMicros", low.shortfallMicros());
                m.put("rounds", (long) low.rounds());
                notifier.publish(MarketEvent.LOW_BALANCE, e.getKey(), m);
              });
    }
  }
}
