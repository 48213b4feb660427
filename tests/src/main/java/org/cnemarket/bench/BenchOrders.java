package org.cnemarket.bench;

import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.SignedOrder;

/** The energy orders the ledger benchmarks sign: one slot, one zone, green when renewable. */
final class BenchOrders {
  static final long SLOT = 492_000;
  static final long PRICE_MICROS = 100_000;

  private BenchOrders() {}

  static SignedOrder sign(
      Eip712.Domain domain,
      Secp256k1.KeyPair key,
      OrderKind kind,
      long quantity,
      long priceMicros,
      EnergySource source,
      long nonce) {
    Order o =
        new Order(
                kind,
                key.address(),
                SLOT,
                1,
                quantity,
                priceMicros,
                source,
                source.green() ? 10_000 : 0,
                kind == OrderKind.ENERGY_OFFER ? 20_000 : 0,
                0,
                nonce,
                0)
            .validate();
    return SignedOrder.sign(domain, o, key);
  }
}
