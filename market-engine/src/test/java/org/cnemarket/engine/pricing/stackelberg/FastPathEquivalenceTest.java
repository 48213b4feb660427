package org.cnemarket.engine.pricing.stackelberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The pairwise run merge and the block-skipping scan must give bit-identical results to the plain
 * algorithms they replace: a full sort of w_jk, and the scan over every interval.
 */
class FastPathEquivalenceTest {

  /**
   * Many users (so the scan has blocks to skip), few distinct weights when {@code ties} (degenerate
   * intervals).
   */
  static ComputeMarket market(long seed, int users, int segments, boolean ties) {
    Random r = new Random(seed);
    double[] w = new double[users];
    int[] seg = new int[users];
    for (int j = 0; j < users; j++) {
      w[j] = ties ? 1 + r.nextInt(5) : 0.1 + 50 * r.nextDouble() * r.nextDouble();
      seg[j] = r.nextInt(segments);
    }
    List<Provider> ps = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      List<Double> q = new ArrayList<>();
      for (int s = 0; s < segments; s++) {
        q.add(ties && r.nextBoolean() ? 1.0 : 0.2 + 0.8 * r.nextDouble());
      }
      double cap =
          k == 0 ? Double.POSITIVE_INFINITY : users * (k == 1 ? 0.01 : 0.5) * r.nextDouble() + 0.1;
      ps.add(
          new Provider(
              "p" + k, 0.1 + r.nextDouble(), 0.05 + r.nextDouble(), 0.05 + r.nextDouble(), cap, q));
    }
    return ComputeMarket.of(w, seg, ps).orElseThrow();
  }

  @Property(tries = 60)
  void mergeAndScanEqualThePlainAlgorithms(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 5000) int users,
      @ForAll @IntRange(min = 1, max = 20) int segments,
      @ForAll boolean ties) {
    ComputeMarket m = market(seed, users, segments, ties);
    for (int k = 0; k < m.providers().size(); k++) {
      double[] wk = new double[users];
      for (int u = 0; u < users; u++) {
        wk[u] = m.weight(k, u);
      }
      SortedDemand fast = m.sortedDemand(k);
      SortedDemand plain = ProviderPricing.sorted(wk);
      for (int i = 0; i < users; i++) {
        assertThat(fast.weight(i)).isEqualTo(plain.weight(i));
      }
      Provider p = m.providers().get(k);
      double mc = p.marginalCost();
      for (double floorFactor : new double[] {1.0, 1.7, 4.0}) {
        assertThat(fast.optimum(mc * floorFactor, p.capacityUnits()))
            .isEqualTo(fullScanOptimum(plain, mc * floorFactor, p.capacityUnits()));
      }
    }
  }

  /** The scan as it was before block skipping: every interval above the floor, first best wins. */
  static ProviderSolution fullScanOptimum(SortedDemand d, double m, double capacity) {
    double[] best = fullScan(d, m, m);
    boolean bound = false;
    if (best[1] > capacity) {
      best = fullScan(d, m, Math.max(m, d.capacityPrice(capacity)));
      bound = true;
    }
    return new ProviderSolution(m, best[0], best[1], best[2], d.buyers(best[0]), bound);
  }

  private static double[] fullScan(SortedDemand d, double m, double floor) {
    int j = d.users();
    double[] prefix = new double[j + 1];
    for (int i = 0; i < j; i++) {
      prefix[i + 1] = prefix[i] + d.weight(i);
    }
    double bestP = Math.max(floor, d.maxWeight());
    double bestProfit = 0;
    double bestDemand = 0;
    for (int n = 1; n <= j; n++) {
      double upper = d.weight(n - 1);
      if (upper <= floor) {
        break;
      }
      double lower = Math.max(n < j ? d.weight(n) : 0.0, floor);
      double wn = prefix[n];
      double p = Math.sqrt(m * wn / n);
      p = Math.min(upper, Math.max(lower, p));
      double dn = wn / p - n;
      double profit = (p - m) * dn;
      if (profit > bestProfit) {
        bestProfit = profit;
        bestP = p;
        bestDemand = dn;
      }
    }
    return new double[] {bestP, bestDemand, bestProfit};
  }
}
