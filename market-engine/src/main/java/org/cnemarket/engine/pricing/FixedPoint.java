package org.cnemarket.engine.pricing;

/**
 * Rounding from the solvers' {@code double} results to the ledger's fixed-point longs. Called once,
 * at the edge; every helper documents its rounding so a round can be recomputed.
 */
public final class FixedPoint {

  /** Micro-credits per credit. */
  public static final long MICROS_PER_CREDIT = 1_000_000L;

  private FixedPoint() {}

  /**
   * Credits (double) to micro-credits, rounding half to even (unbiased over many trades).
   *
   * @throws ArithmeticException if the value is NaN, infinite or outside the long range
   */
  public static long toMicros(double credits) {
    return roundHalfEven(credits * MICROS_PER_CREDIT);
  }

  /** Credits to micro-credits rounding toward negative infinity: use for amounts paid out. */
  public static long toMicrosFloor(double credits) {
    return checkedLong(Math.floor(credits * MICROS_PER_CREDIT));
  }

  /** Credits to micro-credits rounding toward positive infinity: use for amounts charged. */
  public static long toMicrosCeil(double credits) {
    return checkedLong(Math.ceil(credits * MICROS_PER_CREDIT));
  }

  /** Micro-credits back to credits (exact for |micros| below 2^53). */
  public static double fromMicros(long micros) {
    return micros / (double) MICROS_PER_CREDIT;
  }

  /** A quantity already in the target unit (Wh, mg, milli-units) to a long, half to even. */
  public static long roundHalfEven(double value) {
    return checkedLong(Math.rint(value));
  }

  private static long checkedLong(double integral) {
    if (!Double.isFinite(integral) || integral >= 0x1p63 || integral < -0x1p63) {
      throw new ArithmeticException("not representable as a fixed-point long: " + integral);
    }
    return (long) integral;
  }
}
