package org.cnemarket.engine.auction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.cnemarket.engine.pricing.Result;
import org.junit.jupiter.api.Test;

/** One behavioural suite, run against every {@link UniformAuction} implementation. */
abstract class UniformAuctionContract {

  abstract UniformAuction create();

  static List<Bid> unitBids(long... prices) {
    return IntStream.range(0, prices.length).mapToObj(i -> Bid.of("b" + i, 1, prices[i])).toList();
  }

  static List<Ask> unitAsks(long... prices) {
    return IntStream.range(0, prices.length).mapToObj(i -> Ask.of("a" + i, 1, prices[i])).toList();
  }

  @Test
  void referenceCaseThreeTradesAtSix() {
    UniformClearing c =
        create().clear(unitBids(9, 8, 7, 4, 2), unitAsks(1, 3, 5, 6, 8), 0.5).orElseThrow();
    assertThat(c.tradedWh()).isEqualTo(3);
    assertThat(c.clearingPriceMicros()).hasValue(6);
    assertThat(c.marginalBidMicros()).hasValue(7);
    assertThat(c.marginalAskMicros()).hasValue(5);
    assertThat(c.fills())
        .containsExactly(
            new Fill("b0", "a0", 1, 6, 6),
            new Fill("b1", "a1", 1, 6, 6),
            new Fill("b2", "a2", 1, 6, 6));
  }

  @Test
  void kSelectsPointInMarginalSpread() {
    assertThat(
            create()
                .clear(unitBids(9, 8, 7, 4, 2), unitAsks(1, 3, 5, 6, 8), 0.0)
                .orElseThrow()
                .clearingPriceMicros())
        .hasValue(5);
    assertThat(
            create()
                .clear(unitBids(9, 8, 7, 4, 2), unitAsks(1, 3, 5, 6, 8), 1.0)
                .orElseThrow()
                .clearingPriceMicros())
        .hasValue(7);
  }

  @Test
  void divisibleQuantitiesSplitAcrossSegments() {
    List<Bid> bids = List.of(Bid.of("x", 1500, 100_000), Bid.of("y", 1000, 80_000));
    List<Ask> asks = List.of(Ask.of("p", 1000, 50_000), Ask.of("q", 2000, 90_000));
    UniformClearing c = create().clear(bids, asks).orElseThrow();
    // x takes 1000 from p and 500 from q (100k ≥ 90k); y (80k) < q (90k) stops the walk.
    assertThat(c.fills())
        .containsExactly(
            new Fill("x", "p", 1000, 95_000, 95_000), new Fill("x", "q", 500, 95_000, 95_000));
    assertThat(c.tradedWh()).isEqualTo(1500);
    assertThat(c.welfareMicros()).isEqualTo(50_000.0 + 5_000.0);
  }

  @Test
  void tiesBrokenById() {
    List<Bid> bids = List.of(Bid.of("z", 1, 10), Bid.of("a", 1, 10));
    List<Ask> asks = List.of(Ask.of("s2", 1, 5));
    UniformClearing c = create().clear(bids, asks).orElseThrow();
    assertThat(c.fills()).extracting(Fill::bidId).containsExactly("a");
  }

  @Test
  void noCrossingMeansNoTradeAndNoPrice() {
    UniformClearing c = create().clear(unitBids(1, 2), unitAsks(3, 4)).orElseThrow();
    assertThat(c.tradedWh()).isZero();
    assertThat(c.clearingPriceMicros()).isEmpty();
    assertThat(c.fills()).isEmpty();
  }

  @Test
  void equalPricesTrade() {
    UniformClearing c = create().clear(unitBids(5), unitAsks(5)).orElseThrow();
    assertThat(c.tradedWh()).isEqualTo(1);
    assertThat(c.clearingPriceMicros()).hasValue(5);
  }

  @Test
  void zeroQuantityOrdersAreIgnored() {
    List<Bid> bids = List.of(Bid.of("b0", 0, 100), Bid.of("b1", 2, 50));
    List<Ask> asks = List.of(Ask.of("a0", 0, 1), Ask.of("a1", 2, 10));
    UniformClearing c = create().clear(bids, asks).orElseThrow();
    assertThat(c.fills()).containsExactly(new Fill("b1", "a1", 2, 30, 30));
  }

  @Test
  void invalidInputsAreRejectedWithReasons() {
    UniformAuction u = create();
    assertThat(u.clear(List.of(), unitAsks(1)).reason()).contains("no bids");
    assertThat(u.clear(unitBids(1), List.of()).reason()).contains("no asks");
    assertThat(u.clear(unitBids(1), unitAsks(1), 1.5).reason()).contains("k must be in [0,1]");
    assertThat(u.clear(unitBids(1), unitAsks(1), Double.NaN).reason())
        .contains("k must be in [0,1]");
    assertThat(u.clear(List.of(Bid.of("b", -1, 5)), unitAsks(1)).reason())
        .contains("negative quantityWh");
    assertThat(u.clear(List.of(Bid.of("b", 1, 5), Bid.of("b", 1, 6)), unitAsks(1)).reason())
        .contains("duplicate bid id b");
    assertThat(u.clear(unitBids(1), List.of(Ask.of("a", 1, -5))).reason())
        .contains("negative priceMicros");
    Result<UniformClearing> r = u.clear(unitBids(1), unitAsks(1), -0.1);
    assertThat(r.isOk()).isFalse();
  }

  @Test
  void deterministicAcrossInputPermutations() {
    List<Bid> bids = new ArrayList<>();
    List<Ask> asks = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      bids.add(Bid.of("b" + i, 1 + (i * 7) % 5, 100 + (i * 13) % 9));
      asks.add(Ask.of("a" + i, 1 + (i * 3) % 4, 95 + (i * 11) % 9));
    }
    UniformClearing first = create().clear(bids, asks).orElseThrow();
    Collections.reverse(bids);
    Collections.rotate(asks, 7);
    assertThat(create().clear(bids, asks).orElseThrow()).isEqualTo(first);
  }
}
