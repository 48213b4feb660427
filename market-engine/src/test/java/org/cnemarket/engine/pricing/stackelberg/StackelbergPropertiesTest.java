package org.cnemarket.engine.pricing.stackelberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class StackelbergPropertiesTest {

  static ComputeMarket randomMarket(
      long seed, int users, int providers, int segments, boolean capacities) {
    Random r = new Random(seed);
    double[] w = new double[users];
    int[] seg = new int[users];
    for (int j = 0; j < users; j++) {
      w[j] = 0.1 + 20 * r.nextDouble() * r.nextDouble();
      seg[j] = r.nextInt(segments);
    }
    List<Provider> ps = new ArrayList<>();
    for (int k = 0; k < providers; k++) {
      List<Double> q = new ArrayList<>();
      for (int s = 0; s < segments; s++) {
        q.add(0.2 + 0.8 * r.nextDouble());
      }
      double cap =
          capacities && r.nextBoolean() ? 0.5 + 10 * r.nextDouble() : Double.POSITIVE_INFINITY;
      ps.add(
          new Provider(
              "p" + k, 0.1 + r.nextDouble(), 0.05 + r.nextDouble(), 0.05 + r.nextDouble(), cap, q));
    }
    return ComputeMarket.of(w, seg, ps).orElseThrow();
  }

  @Property(tries = 200)
  void solutionsPassTheVerifier(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 60) int users,
      @ForAll @IntRange(min = 1, max = 4) int providers,
      @ForAll @IntRange(min = 1, max = 3) int segments) {
    ComputeMarket m = randomMarket(seed, users, providers, segments, true);
    MarketSolution s = StackelbergSolver.solve(m).orElseThrow();
    Verdict v = EquilibriumVerifier.verify(m, s);
    assertThat(v.passed()).as(v.detail()).isTrue();
    for (int k = 0; k < providers; k++) {
      assertThat(s.outcomes().get(k).solution().demand())
          .isLessThanOrEqualTo(m.providers().get(k).capacityUnits() * (1 + 1e-9));
    }
  }

  /**
   * A seller's profit with a tooth narrower than the price grid's step, hidden between two lower
   * grid points: the solver once settled on the next tooth, 0.25 % below the best.
   */
  @Example
  void threeTierFindsTheBestToothBetweenGridPoints() {
    threeTierSolutionsPassTheVerifier(Long.MAX_VALUE - 1, 23, 2);
  }

  @Property(tries = 200)
  void threeTierSolutionsPassTheVerifier(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 25) int users,
      @ForAll @IntRange(min = 1, max = 3) int providers) {
    ComputeMarket m = randomMarket(seed, users, providers, 2, false);
    ThreeTierSolution s = ThreeTierGame.solve(m, 0.05, Double.POSITIVE_INFINITY).orElseThrow();
    Verdict v = EquilibriumVerifier.verifyThreeTier(m, 0.05, Double.POSITIVE_INFINITY, s, 1e-6);
    assertThat(v.passed()).as(v.detail()).isTrue();
  }
}
