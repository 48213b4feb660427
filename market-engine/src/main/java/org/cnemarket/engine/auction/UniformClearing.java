package org.cnemarket.engine.auction;

import java.util.List;
import java.util.OptionalLong;

/**
 * Result of a uniform-price k-double auction.
 *
 * @param clearingPriceMicros p = a* + k (b* − a*), per kWh; empty when nothing trades
 * @param marginalBidMicros b*, price of the last traded bid unit
 * @param marginalAskMicros a*, price of the last traded ask unit
 * @param tradedWh total energy traded
 * @param welfareMicros Σ (bid − ask) · Wh / 1000 over fills: gains from trade in micro-credits
 * @param fills bid/ask pairings in curve order, all at the clearing price
 */
public record UniformClearing(
    OptionalLong clearingPriceMicros,
    OptionalLong marginalBidMicros,
    OptionalLong marginalAskMicros,
    long tradedWh,
    double welfareMicros,
    List<Fill> fills) {

  public UniformClearing {
    fills = List.copyOf(fills);
  }

  static UniformClearing noTrade() {
    return new UniformClearing(
        OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), 0, 0.0, List.of());
  }
}
