package org.cnemarket.engine.round.energy;

import java.util.List;
import java.util.Map;

/**
 * A round's energy outcome as a mechanism reports it.
 *
 * @param trades the trades, in the mechanism's order
 * @param priceMicros the price the round publishes, micro-credits per kWh (0 when nothing clears)
 * @param details what the mechanism records beyond the common totals, in recording order
 */
public record EnergyClearing(
    List<EnergyTrade> trades, long priceMicros, Map<String, Object> details) {
  public EnergyClearing {
    trades = List.copyOf(trades);
  }
}
