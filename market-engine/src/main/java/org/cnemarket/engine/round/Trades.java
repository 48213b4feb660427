package org.cnemarket.engine.round;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.Trade;
import org.cnemarket.core.model.Units;

/** Turns a round's fills into canonical trades; the same function at closing and at repricing. */
public final class Trades {
  private Trades() {}

  public static List<Trade> fromFills(
      long round, long slot, List<Fill> fills, Map<String, Order> orders) {
    List<Trade> trades = new ArrayList<>();
    long seq = 0;
    for (Fill f : fills) {
      Order buy = orders.get(f.buyOrderId());
      Order sell = orders.get(f.sellOrderId());
      if (buy == null || sell == null || f.quantity() <= 0) {
        throw new IllegalStateException("a fill names an order that is not in the round: " + f);
      }
      trades.add(
          new Trade(
                  Trade.tradeId(f.buyOrderId(), f.sellOrderId(), round, seq++),
                  round,
                  slot,
                  f.market(),
                  f.buyOrderId(),
                  f.sellOrderId(),
                  buy.trader(),
                  sell.trader(),
                  f.quantity(),
                  f.priceMicros(),
                  Units.amountMicros(f.quantity(), f.priceMicros()),
                  f.greenWh(),
                  f.carbonMg())
              .validate());
    }
    return trades;
  }
}
