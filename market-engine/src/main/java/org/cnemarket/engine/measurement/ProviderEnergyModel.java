package org.cnemarket.engine.measurement;

import org.cnemarket.engine.pricing.FixedPoint;
import org.cnemarket.engine.pricing.Result;
import org.cnemarket.engine.pricing.Validation;

/**
 * Energy per compute unit for one provider. A <b>compute unit</b> is one server-hour at the
 * provider's declared utilisation u; orders and ledger records count them in milli-units (1000 =
 * one server-hour). Facility power is P_IT · PUE, with PUE in basis points (15000 = 1.5).
 *
 * @param power the server power model
 * @param pueBps power usage effectiveness, basis points, ≥ 10000
 * @param utilisation u ∈ [0, 1] at which a compute unit is delivered
 */
public record ProviderEnergyModel(PowerModel power, int pueBps, double utilisation) {

  public static Result<ProviderEnergyModel> of(PowerModel power, int pueBps, double utilisation) {
    Validation v =
        Validation.start()
            .check(power != null, "power model is required")
            .check(pueBps >= 10_000, "pueBps must be >= 10000 (PUE >= 1), got " + pueBps)
            .inUnitInterval("utilisation", utilisation);
    return v.failed()
        ? v.toInvalid()
        : Result.ok(new ProviderEnergyModel(power, pueBps, utilisation));
  }

  /** η: facility kWh per compute unit (one server-hour at u), the Stackelberg cost input. */
  public double kwhPerUnit() {
    return power.powerW(utilisation).orElseThrow() * pueBps / 10_000.0 / 1000.0;
  }

  /** Facility energy for a number of milli-units, Wh (double: η kWh/unit = η Wh per milli-unit). */
  public double energyWh(long milliUnits) {
    return kwhPerUnit() * milliUnits;
  }

  /** {@link #energyWh} rounded half to even to whole Wh, the unit of orders and ledger records. */
  public long energyWhRounded(long milliUnits) {
    return FixedPoint.roundHalfEven(energyWh(milliUnits));
  }

  /** Network transfer energy: E = bits · J/bit, in Wh (1 Wh = 3600 J). */
  public static Result<Double> networkEnergyWh(long bits, double joulesPerBit) {
    Validation v =
        Validation.start().nonNegative("bits", bits).nonNegative("joulesPerBit", joulesPerBit);
    return v.failed() ? v.toInvalid() : Result.ok(bits * joulesPerBit / 3600.0);
  }
}
