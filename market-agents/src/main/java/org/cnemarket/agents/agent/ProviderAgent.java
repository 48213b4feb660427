package org.cnemarket.agents.agent;

import java.util.ArrayList;
import java.util.List;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;

/**
 * A compute provider. Each round it buys energy for its forecast load (the units its committed jobs
 * will run, times its Wh per unit from its power model) and offers its free capacity.
 *
 * @param whPerUnit facility Wh per compute unit (power model × PUE, with network energy)
 * @param otherCostMicrosPerUnit non-energy cost per unit (hardware, staff)
 * @param energyInOffer true when the compute mechanism does not add the energy cost itself (uniform
 *     compute auction); under Stackelberg the engine adds the energy price it paid
 */
public record ProviderAgent(
    String address,
    long zone,
    long whPerUnit,
    long otherCostMicrosPerUnit,
    ProviderStrategy strategy,
    boolean energyInOffer) {

  /** What the provider knows when it bids for a slot. */
  public record Outlook(
      long slot, long committedUnits, long freeCapacityUnits, long forecastEnergyPriceMicros) {}

  public List<Order> orders(Outlook o, Nonces nonces) {
    List<Order> out = new ArrayList<>();
    long wh = Math.multiplyExact(o.committedUnits(), whPerUnit);
    if (wh > 0) {
      out.add(
          new Order(
                  OrderKind.ENERGY_BID,
                  address,
                  o.slot(),
                  zone,
                  wh,
                  strategy.energyBidMicros(o.forecastEnergyPriceMicros()),
                  EnergySource.NONE,
                  strategy.minGreenBps(),
                  0,
                  0,
                  nonces.next(),
                  0)
              .validate());
    }
    if (o.freeCapacityUnits() > 0) {
      long energyCost = energyInOffer ? whPerUnit * o.forecastEnergyPriceMicros() / 1000 : 0;
      out.add(
          new Order(
                  OrderKind.COMPUTE_OFFER,
                  address,
                  o.slot(),
                  zone,
                  o.freeCapacityUnits() * 1000,
                  strategy.computeOfferMicros(otherCostMicrosPerUnit, energyCost),
                  EnergySource.NONE,
                  0,
                  0,
                  0,
                  nonces.next(),
                  0)
              .validate());
    }
    return out;
  }
}
