package org.cnemarket.engine.round;

import org.cnemarket.core.model.OrderKind;

/**
 * One match of a buy order with a sell order, before it becomes a trade.
 *
 * @param quantity Wh or milli compute units
 * @param priceMicros per kWh or per compute unit
 * @param greenWh green energy in the fill (energy from a renewable offer; 0 for compute)
 * @param carbonMg carbon attributed to the fill
 * @param feeMicros what the buyer pays the platform on top (McAfee trade reduction), else 0
 */
public record Fill(
    OrderKind.Market market,
    String buyOrderId,
    String sellOrderId,
    long quantity,
    long priceMicros,
    long greenWh,
    long carbonMg,
    long feeMicros) {

  /** A fill without a platform fee. */
  public Fill(
      OrderKind.Market market,
      String buyOrderId,
      String sellOrderId,
      long quantity,
      long priceMicros,
      long greenWh,
      long carbonMg) {
    this(market, buyOrderId, sellOrderId, quantity, priceMicros, greenWh, carbonMg, 0);
  }
}
