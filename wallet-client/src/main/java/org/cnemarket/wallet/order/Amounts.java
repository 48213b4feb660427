package org.cnemarket.wallet.order;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Exact conversions of human decimal amounts to the records' fixed-point integer units. A value
 * with more decimals than the unit can hold is rejected, never rounded: a wallet that silently
 * rounds a price is a wallet that signs something other than what its user typed.
 */
public final class Amounts {
  /** Micro-credits per credit. */
  public static final int CREDIT_DECIMALS = 6;

  /** Wh per kWh, milli units per compute unit, mg per g. */
  public static final int MILLI_DECIMALS = 3;

  /** Basis points per percent. */
  public static final int PERCENT_DECIMALS = 2;

  private Amounts() {}

  /** {@code decimal × 10^decimals} as a long; rejects negatives, too many decimals and overflow. */
  public static long toFixed(String decimal, int decimals, String what) {
    if (decimal == null || decimal.isBlank()) {
      throw new IllegalArgumentException(what + " is required");
    }
    BigDecimal d;
    try {
      d = new BigDecimal(decimal.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be a decimal number, not '" + decimal + "'");
    }
    if (d.signum() < 0) {
      throw new IllegalArgumentException(what + " must not be negative");
    }
    BigDecimal scaled = d.movePointRight(decimals).stripTrailingZeros();
    if (scaled.scale() > 0) {
      throw new IllegalArgumentException(
          what + " has more than " + decimals + " decimal places: " + decimal);
    }
    BigInteger v = scaled.toBigIntegerExact();
    if (v.bitLength() > 62) {
      throw new IllegalArgumentException(what + " is too large: " + decimal);
    }
    return v.longValueExact();
  }

  /** Credits (e.g. "0.12") to micro-credits (120000). */
  public static long creditsToMicros(String credits) {
    return toFixed(credits, CREDIT_DECIMALS, "price");
  }

  /** kWh (e.g. "1.5") to Wh (1500). */
  public static long kwhToWh(String kwh) {
    return toFixed(kwh, MILLI_DECIMALS, "kWh");
  }

  /** Compute units (e.g. "2.5") to milli compute units (2500). */
  public static long unitsToMilli(String units) {
    return toFixed(units, MILLI_DECIMALS, "compute units");
  }

  /** g CO2/kWh to mg CO2/kWh. */
  public static long gramsToMg(String grams) {
    return toFixed(grams, MILLI_DECIMALS, "carbon intensity");
  }

  /** Percent (e.g. "50" or "12.5") to basis points; at most 100 %. */
  public static int percentToBps(String percent) {
    long bps = toFixed(percent, PERCENT_DECIMALS, "percentage");
    if (bps > 10_000) {
      throw new IllegalArgumentException("a percentage must be at most 100, not " + percent);
    }
    return (int) bps;
  }

  /** Fixed point back to a plain decimal string, e.g. (120000, 6) → "0.12". */
  public static String format(long fixed, int decimals) {
    BigDecimal d = BigDecimal.valueOf(fixed, decimals).stripTrailingZeros();
    return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
  }
}
