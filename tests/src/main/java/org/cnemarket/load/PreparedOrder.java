package org.cnemarket.load;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Units;

/**
 * An order signed before the measured window: its EIP-712 digest (for the raw recovery rate), the
 * JSON body POSTed to {@code /v1/orders}, and the bearer token of its trader.
 */
record PreparedOrder(SignedOrder signed, byte[] digest, byte[] body, String bearer) {
  /** The most a bid of this generator locks in escrow. */
  static final long MAX_BID_ESCROW_MICROS = Units.maxCostMicros(10_000, 150_000);

  /**
   * Orders {@code from .. from+count-1} of a run for {@code slot}: even indexes are energy offers
   * of the microgrids, odd ones energy bids of the providers, round-robin; quantities 1–10 kWh,
   * offers at 40 000–120 000 and bids at 60 000–150 000 µcredits/kWh, so about half the volume
   * trades. Values depend only on (seed, index); nonces are the index, unique per trader. Signed on
   * all cores.
   */
  static List<PreparedOrder> prepare(
      Population pop, Eip712.Domain domain, long seed, long slot, int from, int count) {
    return IntStream.range(from, from + count)
        .parallel()
        .mapToObj(
            i -> {
              long h = mix(seed * 0x9E3779B97F4A7C15L + i);
              long wh = 1_000 + Math.floorMod(h, 9_001);
              long r = Math.floorMod(h >>> 20, 80_001);
              Population.Trader t;
              Order o;
              if (i % 2 == 0) {
                t = pop.microgrids().get((i / 2) % pop.microgrids().size());
                EnergySource src =
                    (i / 2) % 3 == 0
                        ? EnergySource.GRID
                        : (i / 2) % 3 == 1 ? EnergySource.SOLAR : EnergySource.WIND;
                o =
                    new Order(
                        OrderKind.ENERGY_OFFER,
                        t.key().address(),
                        slot,
                        1,
                        wh,
                        40_000 + r,
                        src,
                        src.green() ? 10_000 : 0,
                        src.green() ? 20_000 : 380_000,
                        0,
                        i,
                        0);
              } else {
                t = pop.providers().get((i / 2) % pop.providers().size());
                o =
                    new Order(
                        OrderKind.ENERGY_BID,
                        t.key().address(),
                        slot,
                        1,
                        wh,
                        60_000 + Math.floorMod(r * 9, 90_001),
                        EnergySource.NONE,
                        0,
                        0,
                        0,
                        i,
                        0);
              }
              byte[] digest = Eip712.orderDigest(domain, o);
              SignedOrder so = new SignedOrder(o, t.key().sign(digest));
              byte[] body =
                  Json.write(RecordCodec.signedOrder(so)).getBytes(StandardCharsets.UTF_8);
              return new PreparedOrder(so, digest, body, t.token());
            })
        .toList();
  }

  /**
   * Escrow every provider needs for {@code totalOrders} orders of this generator, with room to
   * spare.
   */
  static long providerDepositMicros(long totalOrders, int providers) {
    long bidsPerProvider = (totalOrders / 2 + providers - 1) / providers + 1;
    return Math.multiplyExact(bidsPerProvider, MAX_BID_ESCROW_MICROS) * 2;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
