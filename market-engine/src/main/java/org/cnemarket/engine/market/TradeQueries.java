package org.cnemarket.engine.market;

import java.util.List;
import org.cnemarket.core.model.Trade;
import org.cnemarket.engine.store.MarketStore;

/** Trades of closed rounds, their proofs and what they add up to per participant. */
public final class TradeQueries {
  private final MarketService market;
  private final MarketStore store;

  public TradeQueries(MarketService market) {
    this.market = market;
    this.store = market.store();
  }

  /** Trades filtered by participant, market and slot range (all optional), newest first. */
  public List<Trade> trades(
      String participant, String kind, long fromSlot, long toSlot, int offset, int limit) {
    return store.trades().list(participant, kind, fromSlot, toSlot, offset, limit);
  }

  /** The trade, or a not-found refusal. */
  public Trade get(String tradeId) {
    return store.trades().get(tradeId).orElseThrow(() -> Refusal.notFound("no trade " + tradeId));
  }

  /** The trade's Merkle proof against its batch root. */
  public MarketService.TradeProof proof(String tradeId) {
    return market.tradeProof(tradeId);
  }

  /** A participant's energy, green share and carbon over a range of slots. */
  public CarbonReport carbon(String participant, long fromSlot, long toSlot) {
    return CarbonReport.of(store, participant, fromSlot, toSlot);
  }
}
