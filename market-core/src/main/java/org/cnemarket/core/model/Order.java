package org.cnemarket.core.model;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A canonical order, exactly the fields the trader signs (EIP-712 type {@code Order}).
 *
 * @param kind what the order does (its market and side)
 * @param trader the signer's address (lower-case hex)
 * @param slot the delivery slot, hours since the Unix epoch (UTC)
 * @param zone grid zone of delivery or consumption
 * @param quantity Wh (energy) or milli compute units (compute); positive
 * @param priceMicros limit price in micro-credits per kWh or per compute unit; positive
 * @param source energy source of an offer (NONE for other kinds)
 * @param greenBps for buy orders: minimum green share; for offers: green share supplied
 * @param carbonMgPerKwh carbon intensity of offered energy in mg CO2 per kWh (0 otherwise)
 * @param latencyMs for compute demand: the latency bound; 0 = none
 * @param nonce per-trader number used once (replay protection); a uint64 in the long's 64 bits
 * @param expiry last slot the order stays valid; 0 = only {@code slot}
 */
public record Order(
    OrderKind kind,
    String trader,
    long slot,
    long zone,
    long quantity,
    long priceMicros,
    EnergySource source,
    int greenBps,
    long carbonMgPerKwh,
    long latencyMs,
    long nonce,
    long expiry) {

  public static final long MAX_QUANTITY = 1L << 50;
  public static final long MAX_PRICE_MICROS = 1L << 40;

  // Compiled once: validate() runs for every order taken in, read back and cleared.
  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-f]{40}");

  public Order {
    trader = trader == null ? null : trader.toLowerCase(Locale.ROOT);
  }

  /** Every structural rule an order must meet; throws with the first violated rule. */
  public Order validate() {
    require(kind != null, "kind is required");
    require(trader != null && ADDRESS.matcher(trader).matches(), "trader must be a 0x address");
    require(slot >= 0, "slot must not be negative");
    require(zone >= 0 && zone <= 0xffffffffL, "zone must be a uint32");
    require(quantity > 0, "quantity must be positive");
    require(quantity <= MAX_QUANTITY, "quantity is too large");
    require(priceMicros > 0, "priceMicros must be positive");
    require(priceMicros <= MAX_PRICE_MICROS, "priceMicros is too large");
    require(source != null, "source is required");
    require(greenBps >= 0 && greenBps <= Units.BPS_ONE, "greenBps must be between 0 and 10000");
    require(
        carbonMgPerKwh >= 0 && carbonMgPerKwh <= 0xffffffffL, "carbonMgPerKwh must be a uint32");
    require(latencyMs >= 0 && latencyMs <= 0xffffffffL, "latencyMs must be a uint32");
    require(expiry == 0 || expiry >= slot, "expiry must be 0 or not before slot");
    if (kind == OrderKind.ENERGY_OFFER) {
      require(source != EnergySource.NONE, "an energy offer needs a source");
    }
    return this;
  }

  /** The slot range the order may trade in. */
  public long lastSlot() {
    return expiry == 0 ? slot : expiry;
  }

  /** True for renewable energy offers, which carry green certificates. */
  public boolean green() {
    return kind == OrderKind.ENERGY_OFFER && source.green();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
