package org.cnemarket.engine.auction;

/**
 * A buyer's (provider's) energy bid for one slot.
 *
 * @param id unique among the bids of one auction; ties on price are broken by id
 * @param quantityWh energy wanted, Wh (divisible)
 * @param priceMicros limit price, micro-credits per kWh
 * @param minGreenBps minimum green share of the filled Wh, basis points (0..10000)
 * @param zone grid zone of the buyer
 */
public record Bid(String id, long quantityWh, long priceMicros, int minGreenBps, int zone) {

  /** A bid without green requirement in zone 0. */
  public static Bid of(String id, long quantityWh, long priceMicros) {
    return new Bid(id, quantityWh, priceMicros, 0, 0);
  }
}
