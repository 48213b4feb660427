package org.cnemarket.engine.auction;

/**
 * A seller's (microgrid's) energy ask for one slot.
 *
 * @param id unique among the asks of one auction; ties on price are broken by id
 * @param quantityWh energy offered, Wh (divisible)
 * @param priceMicros limit price, micro-credits per kWh
 * @param green whether the source is renewable (counts toward bids' green shares)
 * @param carbonMgPerKwh carbon intensity of the source, mg CO2 per kWh
 * @param zone grid zone of the seller
 */
public record Ask(
    String id, long quantityWh, long priceMicros, boolean green, long carbonMgPerKwh, int zone) {

  /** A non-green ask in zone 0. */
  public static Ask of(String id, long quantityWh, long priceMicros) {
    return new Ask(id, quantityWh, priceMicros, false, 0, 0);
  }
}
