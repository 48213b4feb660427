package org.cnemarket.engine.auction;

import java.util.List;
import java.util.OptionalLong;

/**
 * Result of McAfee trade reduction.
 *
 * @param outcome which branch of the mechanism applied
 * @param efficientLots t, the number of efficient unit trades (b_t ≥ a_t)
 * @param tradedLots lots actually traded (t or t − 1)
 * @param lotWh size of one lot
 * @param buyerPriceMicros per kWh paid by every trading buyer; empty when nothing trades
 * @param sellerPriceMicros per kWh received by every trading seller
 * @param platformSurplusMicros what the platform keeps: (buyer − seller) · tradedLots · lotWh /
 *     1000 ≥ 0
 * @param fills bid/ask pairings in curve order
 */
public record McAfeeClearing(
    Outcome outcome,
    long efficientLots,
    long tradedLots,
    long lotWh,
    OptionalLong buyerPriceMicros,
    OptionalLong sellerPriceMicros,
    double platformSurplusMicros,
    List<Fill> fills) {

  /** The branch the mechanism took. */
  public enum Outcome {
    /** No efficient trade, or only one that trade reduction removed. */
    NO_TRADE,
    /** a_t ≤ p0 ≤ b_t: all t efficient pairs trade at p0 = (b_{t+1} + a_{t+1}) / 2. */
    SINGLE_PRICE,
    /** t − 1 pairs trade; buyers pay b_t, sellers receive a_t. */
    TRADE_REDUCTION
  }

  public McAfeeClearing {
    fills = List.copyOf(fills);
  }
}
