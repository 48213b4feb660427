package org.cnemarket.wallet.order;

import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;

/**
 * What a trader chooses for an order, all in the records' units; the wallet adds the kind and its
 * own address and signs. Use {@link #of} and the {@code with...} methods for the optional fields.
 *
 * @param slot delivery slot, hours since the epoch
 * @param zone grid zone
 * @param quantity Wh (energy) or milli compute units (compute)
 * @param priceMicros limit price, micro-credits per kWh or per compute unit
 * @param source energy source (offers of energy only; NONE otherwise)
 * @param greenBps minimum (bids) or supplied (offers) green share in basis points
 * @param carbonMgPerKwh carbon intensity of offered energy
 * @param latencyMs latency bound of compute demand (0 = none)
 * @param nonce number used once; {@link Nonces#next()} by default
 * @param expiry last slot the order stays valid (0 = only {@code slot})
 */
public record OrderTerms(
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

  public OrderTerms {
    if (source == null) {
      source = EnergySource.NONE;
    }
  }

  /**
   * Terms with the required fields; zone 0, no source, green share, carbon or latency, a fresh
   * nonce.
   */
  public static OrderTerms of(long slot, long quantity, long priceMicros) {
    return new OrderTerms(
        slot, 0, quantity, priceMicros, EnergySource.NONE, 0, 0, 0, Nonces.next(), 0);
  }

  public OrderTerms withZone(long z) {
    return new OrderTerms(
        slot, z, quantity, priceMicros, source, greenBps, carbonMgPerKwh, latencyMs, nonce, expiry);
  }

  public OrderTerms withSource(EnergySource s) {
    return new OrderTerms(
        slot, zone, quantity, priceMicros, s, greenBps, carbonMgPerKwh, latencyMs, nonce, expiry);
  }

  public OrderTerms withGreenBps(int g) {
    return new OrderTerms(
        slot, zone, quantity, priceMicros, source, g, carbonMgPerKwh, latencyMs, nonce, expiry);
  }

  public OrderTerms withCarbonMgPerKwh(long c) {
    return new OrderTerms(
        slot, zone, quantity, priceMicros, source, greenBps, c, latencyMs, nonce, expiry);
  }

  public OrderTerms withLatencyMs(long l) {
    return new OrderTerms(
        slot, zone, quantity, priceMicros, source, greenBps, carbonMgPerKwh, l, nonce, expiry);
  }

  public OrderTerms withNonce(long n) {
    return new OrderTerms(
        slot, zone, quantity, priceMicros, source, greenBps, carbonMgPerKwh, latencyMs, n, expiry);
  }

  public OrderTerms withExpiry(long e) {
    return new OrderTerms(
        slot, zone, quantity, priceMicros, source, greenBps, carbonMgPerKwh, latencyMs, nonce, e);
  }

  /** The canonical order {@code trader} signs, checked against every structural rule. */
  public Order toOrder(OrderKind kind, String trader) {
    return new Order(
            kind,
            trader,
            slot,
            zone,
            quantity,
            priceMicros,
            source,
            greenBps,
            carbonMgPerKwh,
            latencyMs,
            nonce,
            expiry)
        .validate();
  }
}
