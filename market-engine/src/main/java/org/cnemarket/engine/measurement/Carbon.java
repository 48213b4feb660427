package org.cnemarket.engine.measurement;

import java.util.List;
import org.cnemarket.engine.pricing.Result;

/**
 * Carbon accounting in exact long arithmetic: mg CO2 = Wh × (mg/kWh) / 1000, rounded half up once
 * (at the final division), so splitting the same energy differently cannot change the total by more
 * than the one rounding. Overflow of the exact product is an error value, never a wrapped number.
 */
public final class Carbon {

  private Carbon() {}

  /**
   * Energy bought under one contract at a known intensity.
   *
   * @param energyWh Wh
   * @param mgPerKwh intensity of that energy, mg CO2 / kWh
   */
  public record ContractedEnergy(long energyWh, long mgPerKwh) {}

  public static Result<Long> carbonMg(long energyWh, long mgPerKwh) {
    return marketBasedMg(energyWh, List.of(new ContractedEnergy(energyWh, mgPerKwh)), 0);
  }

  /**
   * Market-based carbon: contracted energy at its own intensity (in list order, up to the energy
   * actually used), any remainder at the grid-mix intensity.
   */
  public static Result<Long> marketBasedMg(
      long usedWh, List<ContractedEnergy> contracted, long gridMgPerKwh) {
    if (usedWh < 0 || gridMgPerKwh < 0) {
      return Result.invalid("usedWh and gridMgPerKwh must be >= 0");
    }
    try {
      long remaining = usedWh;
      long numerator = 0; // Wh · mg/kWh = mg · 1000
      for (ContractedEnergy c : contracted) {
        if (c.energyWh() < 0 || c.mgPerKwh() < 0) {
          return Result.invalid("contracted energy and intensity must be >= 0, got " + c);
        }
        long take = Math.min(remaining, c.energyWh());
        numerator = Math.addExact(numerator, Math.multiplyExact(take, c.mgPerKwh()));
        remaining -= take;
      }
      numerator = Math.addExact(numerator, Math.multiplyExact(remaining, gridMgPerKwh));
      return Result.ok(Math.floorDiv(Math.addExact(numerator, 500), 1000));
    } catch (ArithmeticException e) {
      return Result.invalid("carbon computation overflows a long for " + usedWh + " Wh");
    }
  }
}
