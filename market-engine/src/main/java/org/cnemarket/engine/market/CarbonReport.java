package org.cnemarket.engine.market;

import java.util.List;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Trade;
import org.cnemarket.engine.store.MarketStore;

/**
 * A participant's energy, green share and carbon over a range of slots, from its settled trades.
 *
 * @param greenShareBps green Wh over Wh bought, in basis points (0 when nothing was bought)
 */
public record CarbonReport(
    String participant,
    long fromSlot,
    long toSlot,
    long energyBoughtWh,
    long energySoldWh,
    long greenWh,
    long greenShareBps,
    long carbonMg,
    long carbonSoldMg,
    long computeBoughtMilli,
    long computeSoldMilli,
    long trades) {

  private static final int PAGE = 500;

  /** Sums the participant's trades page by page, so memory does not grow with its history. */
  public static CarbonReport of(MarketStore store, String participant, long from, long to) {
    long boughtWh = 0;
    long soldWh = 0;
    long greenWh = 0;
    long carbonMg = 0;
    long carbonSoldMg = 0;
    long computeBought = 0;
    long computeSold = 0;
    long trades = 0;
    int offset = 0;
    while (true) {
      List<Trade> page = store.trades().list(participant, from, to, offset, PAGE);
      for (Trade t : page) {
        trades++;
        boolean buyer = t.buyer().equals(participant);
        if (t.market() == OrderKind.Market.ENERGY) {
          if (buyer) {
            boughtWh += t.quantity();
            greenWh += t.greenWh();
            carbonMg += t.carbonMg();
          } else {
            soldWh += t.quantity();
            carbonSoldMg += t.carbonMg();
          }
        } else if (buyer) {
          computeBought += t.quantity();
        } else {
          computeSold += t.quantity();
        }
      }
      if (page.size() < PAGE) {
        break;
      }
      offset += page.size();
    }
    return new CarbonReport(
        participant,
        from,
        to,
        boughtWh,
        soldWh,
        greenWh,
        boughtWh == 0 ? 0L : greenWh * 10_000 / boughtWh,
        carbonMg,
        carbonSoldMg,
        computeBought,
        computeSold,
        trades);
  }
}
