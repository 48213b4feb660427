package org.cnemarket.core.model;

/**
 * Fixed-point units of every canonical record. Prices are micro-credits per kWh (energy) or per
 * compute unit (compute); quantities are Wh or milli compute units, so both markets share one rule:
 * {@code amountMicros = floor(quantity * priceMicros / 1000)}.
 */
public final class Units {
  /** Quantity units (Wh, milli compute units) per priced unit (kWh, compute unit). */
  public static final long QUANTITY_PER_PRICE_UNIT = 1000;

  public static final int BPS_ONE = 10_000;

  /** The account platform fees are paid to on every ledger (no key controls it). */
  public static final String PLATFORM_ACCOUNT = "0x000000000000000000000000000000000000fee5";

  private Units() {}

  /** What a fill of {@code quantity} at {@code priceMicros} costs, rounded down. */
  public static long amountMicros(long quantity, long priceMicros) {
    return Math.floorDiv(Math.multiplyExact(quantity, priceMicros), QUANTITY_PER_PRICE_UNIT);
  }

  /** What a buy order locks: the most it can pay, rounded up so every fill is covered. */
  public static long maxCostMicros(long quantity, long limitPriceMicros) {
    long num = Math.multiplyExact(quantity, limitPriceMicros);
    return Math.floorDiv(num + QUANTITY_PER_PRICE_UNIT - 1, QUANTITY_PER_PRICE_UNIT);
  }

  /** mg CO2 of {@code energyWh} at {@code mgPerKwh}, rounded down. */
  public static long carbonMg(long energyWh, long mgPerKwh) {
    return Math.floorDiv(Math.multiplyExact(energyWh, mgPerKwh), 1000);
  }
}
