package org.cnemarket.engine.pricing.stackelberg;

import java.util.List;

/**
 * A compute provider (leader). Marginal cost m = η · p_e + o.
 *
 * @param id provider id
 * @param kwhPerUnit η, kWh per compute unit including PUE (from the measurement model)
 * @param energyPricePerKwh p_e, its energy price (ignored in the three-tier game, where the seller
 *     sets it)
 * @param otherCostPerUnit o, non-energy cost per unit
 * @param capacityUnits C, or +Infinity
 * @param segmentDiscount q_k,s ∈ (0,1] for each user segment s (latency / green preference classes)
 */
public record Provider(
    String id,
    double kwhPerUnit,
    double energyPricePerKwh,
    double otherCostPerUnit,
    double capacityUnits,
    List<Double> segmentDiscount) {

  public Provider {
    segmentDiscount = List.copyOf(segmentDiscount);
  }

  /** A provider that every user values fully (one segment, q = 1) and has no capacity limit. */
  public static Provider uncapacitated(
      String id, double kwhPerUnit, double energyPricePerKwh, double otherCostPerUnit) {
    return new Provider(
        id,
        kwhPerUnit,
        energyPricePerKwh,
        otherCostPerUnit,
        Double.POSITIVE_INFINITY,
        List.of(1.0));
  }

  public double marginalCost() {
    return marginalCost(energyPricePerKwh);
  }

  public double marginalCost(double energyPrice) {
    return kwhPerUnit * energyPrice + otherCostPerUnit;
  }
}
