package org.cnemarket.wallet.cli;

import org.cnemarket.wallet.order.Nonces;
import org.cnemarket.wallet.order.OrderTerms;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Options every order takes: slot, validity, zone, nonce and price. */
final class OrderOptions {
  @Option(
      names = "--slot",
      required = true,
      paramLabel = "SLOT",
      converter = Converters.SlotConverter.class,
      description =
          "Delivery slot: hours since the epoch, or an ISO-8601 hour such as 2026-07-01T13:00Z.")
  Long slot;

  @Option(
      names = "--expiry",
      paramLabel = "SLOT",
      converter = Converters.SlotConverter.class,
      description = "Last slot the order stays valid (default: only --slot).")
  Long expiry;

  @Option(
      names = "--zone",
      paramLabel = "ZONE",
      converter = Converters.NonNegativeConverter.class,
      description = "Grid zone (default 0).")
  Long zone;

  @Option(
      names = "--nonce",
      paramLabel = "N",
      converter = Converters.NonNegativeConverter.class,
      description = "Order nonce (default: a millisecond timestamp).")
  Long nonce;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Price price;

  /** The limit price, in credits or micro-credits. */
  static final class Price {
    @Option(
        names = "--price",
        paramLabel = "CREDITS",
        converter = Converters.CreditsConverter.class,
        description =
            "Limit price in credits per kWh (energy) or per compute unit (compute), at most 6 decimals.")
    Long credits;

    @Option(
        names = "--price-micros",
        paramLabel = "MICROS",
        converter = Converters.NonNegativeConverter.class,
        description = "Limit price in micro-credits per kWh or per compute unit.")
    Long micros;

    long micros() {
      return credits != null ? credits : micros;
    }
  }

  OrderTerms terms(long quantity) {
    OrderTerms t =
        OrderTerms.of(slot, quantity, price.micros())
            .withNonce(nonce != null ? nonce : Nonces.next());
    if (zone != null) {
      t = t.withZone(zone);
    }
    if (expiry != null) {
      t = t.withExpiry(expiry);
    }
    return t;
  }
}
