package org.cnemarket.engine.measurement;

import org.cnemarket.engine.pricing.Result;
import org.cnemarket.engine.pricing.Validation;

/**
 * Server power at utilisation u: P(u) = idle + (peak − idle) · u^r; r = 1 is the linear model.
 *
 * @param idleW power at u = 0, watts
 * @param peakW power at u = 1, watts (≥ idle)
 * @param exponent r &gt; 0
 */
public record PowerModel(double idleW, double peakW, double exponent) {

  public static Result<PowerModel> linear(double idleW, double peakW) {
    return of(idleW, peakW, 1.0);
  }

  public static Result<PowerModel> of(double idleW, double peakW, double exponent) {
    Validation v =
        Validation.start()
            .nonNegative("idleW", idleW)
            .nonNegative("peakW", peakW)
            .positive("exponent r", exponent)
            .check(!(peakW < idleW), "peakW " + peakW + " must be >= idleW " + idleW);
    return v.failed() ? v.toInvalid() : Result.ok(new PowerModel(idleW, peakW, exponent));
  }

  /** P(u) in watts; u must be in [0, 1]. */
  public Result<Double> powerW(double utilisation) {
    Validation v = Validation.start().inUnitInterval("utilisation", utilisation);
    if (v.failed()) {
      return v.toInvalid();
    }
    double shape = exponent == 1.0 ? utilisation : Math.pow(utilisation, exponent);
    return Result.ok(idleW + (peakW - idleW) * shape);
  }
}
