package org.cnemarket.engine.auction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class LpAgreesWithCurveTest {

  /**
   * Unconstrained (one zone, no green minimum): same welfare and traded Wh. Bid prices are odd and
   * ask prices even so no unit trades at zero margin (where traded Wh would be ambiguous).
   */
  @Property(tries = 60)
  void sameWelfareAndVolumeWhenNothingBinds(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 30) int n,
      @ForAll @IntRange(min = 0, max = 100) int kPercent) {
    Random r = new Random(seed);
    List<Bid> bids = new ArrayList<>();
    List<Ask> asks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      bids.add(new Bid("b" + i, 1 + r.nextInt(5000), 2L * r.nextInt(100) + 1, 0, 0));
      asks.add(new Ask("a" + i, 1 + r.nextInt(5000), 2L * r.nextInt(100), r.nextBoolean(), 0, 0));
    }
    double k = kPercent / 100.0;
    UniformClearing fast = UniformAuction.fast().clear(bids, asks, k).orElseThrow();
    LpClearing lp = WelfareLp.clear(bids, asks, ZoneFees.none(), k).orElseThrow();
    assertThat(lp.welfareMicros())
        .isCloseTo(fast.welfareMicros(), within(1e-6 * Math.max(1, fast.welfareMicros())));
    assertThat(lp.tradedWh())
        .isCloseTo(fast.tradedWh(), within(1e-6 * Math.max(1, fast.tradedWh())));
    if (fast.tradedWh() > 0) {
      assertThat(lp.uniformPriceMicros()).isEqualTo(fast.clearingPriceMicros());
    }
  }
}
