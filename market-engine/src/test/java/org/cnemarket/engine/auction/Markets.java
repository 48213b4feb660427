package org.cnemarket.engine.auction;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Random books for property tests. */
final class Markets {

  record Book(List<Bid> bids, List<Ask> asks) {}

  private Markets() {}

  /** Small integer prices so ties and crossings are frequent. */
  static Arbitrary<Book> books(int maxOrders, long maxQty, long maxPrice) {
    Arbitrary<List<long[]>> side =
        Combinators.combine(
                Arbitraries.longs().between(0, maxQty), Arbitraries.longs().between(0, maxPrice))
            .as((q, p) -> new long[] {q, p})
            .list()
            .ofMinSize(1)
            .ofMaxSize(maxOrders);
    return Combinators.combine(side, side)
        .as(
            (b, a) -> {
              List<Bid> bids = new ArrayList<>();
              for (int i = 0; i < b.size(); i++) {
                bids.add(Bid.of("b" + i, b.get(i)[0], b.get(i)[1]));
              }
              List<Ask> asks = new ArrayList<>();
              for (int i = 0; i < a.size(); i++) {
                asks.add(Ask.of("a" + i, a.get(i)[0], a.get(i)[1]));
              }
              return new Book(bids, asks);
            });
  }
}
