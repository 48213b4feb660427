package org.cnemarket.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.SignedOrder;

/**
 * The packed batch the contract hashes and walks: every field survives the round trip at its full
 * Solidity width, so the order ids and signatures an auditor recomputes from calldata are the
 * engine's.
 */
class PackedOrdersTest {
  private static final Eip712.Domain DOMAIN =
      Eip712.Domain.cne(31337, "0x5fbdb2315678afecb367f032d93f642f64180aa3");

  @Property(tries = 50)
  void unpackingPackedOrdersGivesBackTheSameSignedOrdersAndIds(
      @ForAll("orders") List<Order> orders, @ForAll @IntRange(min = 1, max = 1000) int seed) {
    Secp256k1.KeyPair key = Secp256k1.KeyPair.fromPrivateKey(BigInteger.valueOf(seed + 10L));
    List<SignedOrder> signed = new ArrayList<>();
    for (Order o : orders) {
      signed.add(SignedOrder.sign(DOMAIN, o, key));
    }
    byte[] packed = PackedOrders.pack(signed);
    assertThat(packed).hasSize(signed.size() * PackedOrders.BYTES);
    List<SignedOrder> back = PackedOrders.unpack(packed);
    assertThat(back).isEqualTo(signed);
    assertThat(back.stream().map(so -> so.id(DOMAIN)).toList())
        .isEqualTo(signed.stream().map(so -> so.id(DOMAIN)).toList());
    for (SignedOrder so : signed) {
      assertThat(PackedOrders.unpackOne(PackedOrders.packOne(so))).isEqualTo(so);
    }
    assertThat(PackedOrders.sortedByTrader(back))
        .isSortedAccordingTo((a, b) -> a.order().trader().compareTo(b.order().trader()));
  }

  @Property(tries = 20)
  void dataThatIsNotWholeOrdersIsRefused(@ForAll @IntRange(min = 1, max = 140) int cut) {
    assertThatThrownBy(() -> PackedOrders.unpack(new byte[PackedOrders.BYTES + cut]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(PackedOrders.unpack(new byte[0])).isEmpty();
    assertThatThrownBy(() -> PackedOrders.unpackOne(new byte[PackedOrders.BYTES + cut]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Provide
  Arbitrary<List<Order>> orders() {
    Arbitrary<String> trader =
        Arbitraries.strings().withChars("0123456789abcdef").ofLength(40).map(h -> "0x" + h);
    Arbitrary<Order> order =
        Combinators.combine(
                Arbitraries.of(OrderKind.values()),
                trader,
                Arbitraries.longs().between(0, Long.MAX_VALUE / 2),
                Arbitraries.longs().between(0, 0xffffffffL),
                Arbitraries.longs().between(1, Order.MAX_QUANTITY),
                Arbitraries.longs().between(1, Order.MAX_PRICE_MICROS),
                Arbitraries.of(EnergySource.values()),
                Arbitraries.integers().between(0, 10_000))
            .as(
                (kind, t, slot, zone, qty, price, source, green) ->
                    new Order(
                        kind,
                        t,
                        slot,
                        zone,
                        qty,
                        price,
                        source,
                        green,
                        zone,
                        0xffffffffL - zone,
                        slot ^ 0x8000_0000_0000_0001L,
                        slot + zone));
    return order.list().ofMinSize(1).ofMaxSize(6);
  }
}
