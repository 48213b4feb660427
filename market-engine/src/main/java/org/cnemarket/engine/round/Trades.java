package org.cnemarket.engine.round;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.Trade;
import org.cnemarket.core.model.Units;

/** Turns a round's fills into canonical trades; the same function at closing and at repricing. */
public final class Trades {
  private Trades() {}

  public static List<Trade> fromFills(
      long round, long slot, List<Fill> fills, Map<String, Order> orders) {
    for (Fill f : fills) {
      if (orders.get(f.buyOrderId()) == null
          || orders.get(f.sellOrderId()) == null
          || f.quantity() <= 0) {
        throw new IllegalStateException("a fill names an order that is not in the round: " + f);
      }
    }
    // Each trade's id is a hash of its orders, round and place: computed on every core.
    List<Trade> trades =
        IntStream.range(0, fills.size())
            .parallel()
            .mapToObj(
                seq -> {
                  Fill f = fills.get(seq);
                  return new Trade(
                          Trade.tradeId(f.buyOrderId(), f.sellOrderId(), round, seq),
                          round,
                          slot,
                          f.market(),
                          f.buyOrderId(),
                          f.sellOrderId(),
                          orders.get(f.buyOrderId()).trader(),
                          orders.get(f.sellOrderId()).trader(),
                          f.quantity(),
                          f.priceMicros(),
                          Units.amountMicros(f.quantity(), f.priceMicros()),
                          f.greenWh(),
                          f.carbonMg())
                      .validate();
                })
            .toList();
    return trades;
  }
}
