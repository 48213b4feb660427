package org.cnemarket.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The harness's arithmetic: the percentiles and growth exponents it prints. */
class HarnessFiguresTest {

  private static RoundRun.Figures run(int orders, long nanos) {
    return new RoundRun.Figures(
        orders, orders, orders / 2, nanos, nanos, 0, 0, 0, 0, true, 1L << 30, 0, 0, "0 0 0");
  }

  @Property(tries = 50)
  void aPowerLawGivesItsExponentBackStepByStepAndFitted(
      @ForAll @IntRange(min = 50, max = 200) int hundredths) {
    double k = hundredths / 100.0;
    List<RoundRun.Figures> runs =
        List.of(1_000, 10_000, 100_000).stream()
            .map(n -> run(n, Math.round(1e6 * Math.pow(n, k))))
            .toList();
    Map<String, Object> endToEnd = RoundRun.growth(runs).get(0);
    assertThat(endToEnd.get("of")).isEqualTo("endToEnd");
    String expected = String.format(Locale.ROOT, "%.2f", k);
    assertThat(endToEnd.get("fitted")).isEqualTo(expected);
    assertThat(endToEnd.get("steps"))
        .isEqualTo(List.of("1000->10000: " + expected, "10000->100000: " + expected));
  }

  @Test
  void oneScaleHasNoGrowth() {
    assertThat(RoundRun.growth(List.of(run(1_000, 5)))).isEmpty();
  }

  @Test
  void percentilesAreNearestRank() {
    long[] sorted = new long[100];
    for (int i = 0; i < 100; i++) {
      sorted[i] = i + 1;
    }
    assertThat(RestLoad.percentile(sorted, 0.50)).isEqualTo(50);
    assertThat(RestLoad.percentile(sorted, 0.99)).isEqualTo(99);
    assertThat(RestLoad.percentile(sorted, 1.0)).isEqualTo(100);
    assertThat(RestLoad.percentile(new long[] {7}, 0.99)).isEqualTo(7);
    assertThat(RestLoad.percentile(new long[0], 0.5)).isZero();
  }

  @Test
  void aMedianIsTheMiddlePassOrTheMeanOfTheMiddleTwo() {
    assertThat(LoadHarness.median(List.of(0.5))).isEqualTo(0.5);
    assertThat(LoadHarness.median(List.of(0.3, 0.7, 0.9))).isEqualTo(0.7);
    assertThat(LoadHarness.median(List.of(0.3, 0.5, 0.7, 0.9))).isEqualTo(0.6);
  }

  @Test
  void theCompilersAreQuietWhenTheirShareOfTheWholeCycleIsAtMostTheLimit() {
    // 4 % of the cycle's CPU in all, though one part alone had 8 %.
    List<long[]> cycle = List.of(new long[] {80, 1000}, new long[] {0, 1000});
    assertThat(LoadHarness.quiet(cycle, 5)).isTrue();
    assertThat(LoadHarness.quiet(cycle, 3.9)).isFalse();
    assertThat(LoadHarness.quiet(List.of(new long[] {0, 0}), 5)).isTrue();
  }

  @Test
  void participantKeysAreFixedBySeedAndIndex() {
    assertThat(Population.key(42, 3)).isEqualTo(Population.key(42, 3));
    assertThat(Population.key(42, 3).address())
        .isNotEqualTo(Population.key(42, 4).address())
        .isNotEqualTo(Population.key(43, 3).address());
  }
}
