package org.cnemarket.engine.pricing.stackelberg;

/**
 * One provider's user weights sorted descending with prefix sums: demand at any price in O(log J)
 * and the exact optimal price by the active-set scan of §2.
 */
final class SortedDemand {

  private final double[] w; // descending
  private final double[] prefix; // prefix[n] = Σ_{i<n} w[i]

  /**
   * @param descending weights already sorted descending; taken over, not copied
   */
  SortedDemand(double[] descending) {
    this.w = descending;
    this.prefix = new double[descending.length + 1];
    for (int i = 0; i < descending.length; i++) {
      prefix[i + 1] = prefix[i] + descending[i];
    }
  }

  /**
   * @param prefix prefix[n] = Σ_{i&lt;n} descending[i], added in index order from 0.0; both taken
   *     over
   */
  SortedDemand(double[] descending, double[] prefix) {
    this.w = descending;
    this.prefix = prefix;
  }

  int users() {
    return w.length;
  }

  double maxWeight() {
    return w.length == 0 ? 0 : w[0];
  }

  double weight(int i) {
    return w[i];
  }

  /** Number of users with w &gt; p (they buy a positive amount). */
  int buyers(double p) {
    int lo = 0;
    int hi = w.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (w[mid] > p) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Σ_j max(0, w_j / p − 1). */
  double demand(double p) {
    int n = buyers(p);
    return n == 0 ? 0.0 : prefix[n] / p - n;
  }

  /** Profit with rationing at capacity: (p − m) · min(D(p), C). */
  double profit(double m, double capacity, double p) {
    return (p - m) * Math.min(demand(p), capacity);
  }

  /**
   * Exact optimum: for every n, on (w_(n+1), w_(n)] the profit (p − m)(W_n / p − n) is concave with
   * stationary point sqrt(m W_n / n); clip it into the interval (and above m), evaluate, keep the
   * best. If demand exceeds capacity, repeat the scan on prices ≥ the price that sells exactly C.
   */
  ProviderSolution optimum(double m, double capacity) {
    double[] best = scan(m, m);
    boolean bound = false;
    if (best[1] > capacity) {
      double pc = capacityPrice(capacity);
      best = scan(m, Math.max(m, pc));
      bound = true;
    }
    return new ProviderSolution(m, best[0], best[1], best[2], buyers(best[0]), bound);
  }

  /** Returns {price, demand, profit}: best price ≥ floor (floor ≥ m). */
  private double[] scan(double m, double floor) {
    int j = w.length;
    double bestP = Math.max(floor, maxWeight()); // nobody buys: post the floor (or the top weight)
    double bestProfit = 0;
    double bestDemand = 0;
    int end = buyers(floor); // intervals n > end lie at or below the floor
    // Skipping whole blocks of intervals: on interval n the profit is at most its unconstrained
    // maximum
    // (√W_n − √(m n))², so a block [lo, hi] is bounded by (√W_hi − √(m lo))². A block bounded below
    // a
    // profit some sampled interval attains cannot hold the first best interval, so the result is
    // exactly that of the full scan. The slack covers rounding in the bound and in the profits
    // (both within a few ulps of W_J).
    double threshold = 0;
    for (int n = SAMPLE_STRIDE; n <= end; n += SAMPLE_STRIDE) {
      threshold = Math.max(threshold, profitOn(n, m, floor));
    }
    double slack = 1e-12 * prefix[j];
    double sqrtM = Math.sqrt(m);
    for (int lo = 1; lo <= end; lo += BLOCK) {
      int hi = Math.min(end, lo + BLOCK - 1);
      double root = Math.max(0.0, Math.sqrt(prefix[hi]) - sqrtM * Math.sqrt(lo));
      if (root * root + slack < threshold) {
        continue;
      }
      for (int n = lo; n <= hi; n++) {
        double upper = w[n - 1];
        double lower = Math.max(n < j ? w[n] : 0.0, floor);
        double wn = prefix[n];
        double p = Math.sqrt(m * wn / n);
        p = Math.min(upper, Math.max(lower, p));
        double d = wn / p - n;
        double profit = (p - m) * d;
        if (profit > bestProfit) {
          bestProfit = profit;
          bestP = p;
          bestDemand = d;
        }
      }
    }
    return new double[] {bestP, bestDemand, bestProfit};
  }

  private static final int BLOCK = 64;
  private static final int SAMPLE_STRIDE = 128;

  /**
   * The scan's candidate profit on interval n (same arithmetic as the scan, so a value it attains).
   */
  private double profitOn(int n, double m, double floor) {
    double upper = w[n - 1];
    double lower = Math.max(n < w.length ? w[n] : 0.0, floor);
    double wn = prefix[n];
    double p = Math.min(upper, Math.max(lower, Math.sqrt(m * wn / n)));
    return (p - m) * (wn / p - n);
  }

  /**
   * The price p with D(p) = C: on the active set of n buyers, W_n / p − n = C ⇒ p = W_n / (C + n).
   */
  double capacityPrice(double capacity) {
    int j = w.length;
    for (int n = 1; n <= j; n++) {
      double p = prefix[n] / (capacity + n);
      double lower = n < j ? w[n] : 0.0;
      if (p >= lower && p <= w[n - 1]) {
        return p;
      }
    }
    return maxWeight(); // capacity 0 ⇒ price where demand vanishes
  }
}
