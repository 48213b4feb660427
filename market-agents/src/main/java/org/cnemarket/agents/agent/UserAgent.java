package org.cnemarket.agents.agent;

import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;

/**
 * A compute user: turns the units its scheduler placed in this slot into a signed-to-be compute
 * demand order for the zone of the placement, at the job's value per unit.
 *
 * @param greenBps green preference carried in the order (carbon-aware matching); 0 = none
 * @param latencyMs latency bound of latency-bound work (0 = none)
 */
public record UserAgent(String address, int greenBps) {
  public Order demand(
      long slot, long zone, long units, long valueMicrosPerUnit, long latencyMs, Nonces nonces) {
    return new Order(
            OrderKind.COMPUTE_DEMAND,
            address,
            slot,
            zone,
            units * 1000,
            valueMicrosPerUnit,
            EnergySource.NONE,
            greenBps,
            0,
            latencyMs,
            nonces.next(),
            0)
        .validate();
  }
}
