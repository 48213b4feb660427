package org.cnemarket.engine.auction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class WelfareLpTest {

  @Test
  void unconstrainedMatchesReferenceCase() {
    LpClearing c =
        WelfareLp.clear(
                UniformAuctionContract.unitBids(9000, 8000, 7000, 4000, 2000),
                UniformAuctionContract.unitAsks(1000, 3000, 5000, 6000, 8000),
                ZoneFees.none(),
                0.5)
            .orElseThrow();
    assertThat(c.tradedWh()).isCloseTo(3, within(1e-6));
    assertThat(c.uniformPriceMicros()).hasValue(6000);
    assertThat(c.welfareMicros()).isCloseTo((8000 + 5000 + 2000) / 1000.0, within(1e-6));
  }

  @Test
  void greenShareBindsAndIsHonoured() {
    // The buyer wants 100% green; the only green ask is expensive but still below its bid.
    List<Bid> bids = List.of(new Bid("b", 1000, 100_000, 10_000, 0));
    List<Ask> asks =
        List.of(
            new Ask("cheap", 1000, 10_000, false, 400_000, 0),
            new Ask("solar", 600, 90_000, true, 0, 0));
    LpClearing c = WelfareLp.clear(bids, asks, ZoneFees.none(), 0.5).orElseThrow();
    assertThat(c.tradedWh()).isCloseTo(600, within(1e-6));
    assertThat(c.fills()).allMatch(LpFill::green);
    assertThat(c.uniformPriceMicros()).hasValue(95_000);
  }

  @Test
  void halfGreenMixes() {
    List<Bid> bids = List.of(new Bid("b", 1000, 100_000, 5_000, 0));
    List<Ask> asks =
        List.of(
            new Ask("cheap", 1000, 10_000, false, 400_000, 0),
            new Ask("solar", 300, 90_000, true, 0, 0));
    LpClearing c = WelfareLp.clear(bids, asks, ZoneFees.none(), 0.5).orElseThrow();
    // At most 300 green Wh, so at most 300 grey: 600 Wh total.
    assertThat(c.tradedWh()).isCloseTo(600, within(1e-6));
    double green = c.fills().stream().filter(LpFill::green).mapToDouble(LpFill::quantityWh).sum();
    assertThat(green).isCloseTo(300, within(1e-6));
  }

  @Test
  void zoneFeeRoutesLocally() {
    List<Bid> bids = List.of(new Bid("b", 1000, 100_000, 0, 1));
    List<Ask> asks =
        List.of(
            new Ask("far", 1000, 50_000, false, 0, 2), new Ask("near", 1000, 60_000, false, 0, 1));
    LpClearing c = WelfareLp.clear(bids, asks, ZoneFees.flat(20_000), 0.5).orElseThrow();
    assertThat(c.fills())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.askId()).isEqualTo("near");
              assertThat(f.feeMicrosPerKwh()).isZero();
            });
    LpClearing cheapFee = WelfareLp.clear(bids, asks, ZoneFees.flat(5_000), 0.5).orElseThrow();
    assertThat(cheapFee.fills())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.askId()).isEqualTo("far");
              assertThat(f.sellerPriceMicros()).isEqualTo(f.buyerPriceMicros() - 5_000);
              assertThat(f.sellerPriceMicros()).isGreaterThanOrEqualTo(50_000);
            });
  }

  @Test
  void rejectsNegativeFees() {
    assertThat(
            WelfareLp.clear(
                    UniformAuctionContract.unitBids(1),
                    UniformAuctionContract.unitAsks(1),
                    ZoneFees.flat(-1),
                    0.5)
                .reason())
        .contains("zone fees must be >= 0");
  }
}
