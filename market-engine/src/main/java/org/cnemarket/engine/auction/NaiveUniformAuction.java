package org.cnemarket.engine.auction;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.cnemarket.engine.pricing.Result;

/**
 * Reference uniform auction, written to be obviously correct rather than fast: repeatedly take the
 * best remaining bid and the best remaining ask by linear scan, trade the smaller remainder while
 * bid ≥ ask. O(n²); used only to test the fast implementation.
 */
final class NaiveUniformAuction implements UniformAuction {

  static final NaiveUniformAuction INSTANCE = new NaiveUniformAuction();

  private NaiveUniformAuction() {}

  @Override
  public Result<UniformClearing> clear(List<Bid> bids, List<Ask> asks, double k) {
    Optional<String> problem =
        OrderValidation.checkK(k).or(() -> OrderValidation.check(bids, asks));
    if (problem.isPresent()) {
      return Result.invalid(problem.get());
    }
    long[] bidLeft = bids.stream().mapToLong(Bid::quantityWh).toArray();
    long[] askLeft = asks.stream().mapToLong(Ask::quantityWh).toArray();
    List<Bid> tradedBids = new ArrayList<>();
    List<Ask> tradedAsks = new ArrayList<>();
    List<Long> quantities = new ArrayList<>();
    while (true) {
      int best = -1;
      for (int b = 0; b < bids.size(); b++) {
        if (bidLeft[b] > 0 && (best < 0 || better(bids.get(b), bids.get(best)))) {
          best = b;
        }
      }
      int cheapest = -1;
      for (int a = 0; a < asks.size(); a++) {
        if (askLeft[a] > 0 && (cheapest < 0 || cheaper(asks.get(a), asks.get(cheapest)))) {
          cheapest = a;
        }
      }
      if (best < 0
          || cheapest < 0
          || bids.get(best).priceMicros() < asks.get(cheapest).priceMicros()) {
        break;
      }
      long q = Math.min(bidLeft[best], askLeft[cheapest]);
      bidLeft[best] -= q;
      askLeft[cheapest] -= q;
      tradedBids.add(bids.get(best));
      tradedAsks.add(asks.get(cheapest));
      quantities.add(q);
    }
    if (quantities.isEmpty()) {
      return Result.ok(UniformClearing.noTrade());
    }
    int last = quantities.size() - 1;
    long bStar = tradedBids.get(last).priceMicros();
    long aStar = tradedAsks.get(last).priceMicros();
    long price = UniformAuction.clearingPrice(aStar, bStar, k);
    List<Fill> fills = new ArrayList<>();
    long traded = 0;
    double welfare = 0;
    for (int s = 0; s < quantities.size(); s++) {
      long q = quantities.get(s);
      fills.add(new Fill(tradedBids.get(s).id(), tradedAsks.get(s).id(), q, price, price));
      traded += q;
      welfare +=
          (double) (tradedBids.get(s).priceMicros() - tradedAsks.get(s).priceMicros()) * q / 1000.0;
    }
    return Result.ok(
        new UniformClearing(
            OptionalLong.of(price),
            OptionalLong.of(bStar),
            OptionalLong.of(aStar),
            traded,
            welfare,
            fills));
  }

  private static boolean better(Bid x, Bid y) {
    return x.priceMicros() > y.priceMicros()
        || (x.priceMicros() == y.priceMicros() && x.id().compareTo(y.id()) < 0);
  }

  private static boolean cheaper(Ask x, Ask y) {
    return x.priceMicros() < y.priceMicros()
        || (x.priceMicros() == y.priceMicros() && x.id().compareTo(y.id()) < 0);
  }
}
