package org.cnemarket.bench;

import java.util.ArrayList;
import java.util.List;
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

  /**
   * {@code perSide} bids of one buyer and as many solar offers of one seller, all {@code whEach}.
   */
  record Book(List<SignedOrder> bids, List<SignedOrder> offers) {
    /** The bids, then the offers. */
    List<SignedOrder> all() {
      List<SignedOrder> all = new ArrayList<>(bids);
      all.addAll(offers);
      return all;
    }
  }

  static Book book(
      Eip712.Domain domain,
      Secp256k1.KeyPair buyer,
      Secp256k1.KeyPair seller,
      int perSide,
      long whEach) {
    List<SignedOrder> bids = new ArrayList<>(perSide);
    List<SignedOrder> offers = new ArrayList<>(perSide);
    for (int j = 0; j < perSide; j++) {
      bids.add(
          sign(
              domain, buyer, OrderKind.ENERGY_BID, whEach, PRICE_MICROS, EnergySource.NONE, j + 1));
      offers.add(
          sign(
              domain,
              seller,
              OrderKind.ENERGY_OFFER,
              whEach,
              PRICE_MICROS,
              EnergySource.SOLAR,
              j + 1));
    }
    return new Book(bids, offers);
  }

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
