package org.cnemarket.engine.pricing.stackelberg;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cnemarket.engine.pricing.Result;
import org.cnemarket.engine.pricing.Validation;

/**
 * Users and providers of one compute round. User j in segment s values provider k at w_jk = w_j ·
 * q_k,s. Segments (e.g. latency class × green preference) keep the input linear in J + K·S instead
 * of J·K; one segment per user expresses an arbitrary q_jk.
 *
 * <p>Users are sorted once by (segment, w desc); each provider's descending weight list is then a
 * pairwise merge of the S already sorted runs, so K providers cost O(J log J + K·J·log S).
 */
public final class ComputeMarket {

  private final double[] userWeights;
  private final int[] userSegment;
  private final int segments;
  private final List<Provider> providers;
  private final int[] bySegment; // user indices sorted by (segment, w desc)
  private final int[] segmentStart; // run boundaries in bySegment, length segments + 1
  private final double[]
      runWeights; // userWeights in bySegment order: the merge reads runs sequentially

  private ComputeMarket(
      double[] userWeights, int[] userSegment, int segments, List<Provider> providers) {
    this.userWeights = userWeights;
    this.userSegment = userSegment;
    this.segments = segments;
    this.providers = List.copyOf(providers);
    int j = userWeights.length;
    // Sort by segment then weight descending via a packed key sort per segment bucket.
    this.segmentStart = new int[segments + 1];
    for (int s : userSegment) {
      segmentStart[s + 1]++;
    }
    for (int s = 0; s < segments; s++) {
      segmentStart[s + 1] += segmentStart[s];
    }
    int[] fill = Arrays.copyOf(segmentStart, segments);
    int[] bucketed = new int[j];
    for (int u = 0; u < j; u++) {
      bucketed[fill[userSegment[u]]++] = u;
    }
    for (int s = 0; s < segments; s++) {
      sortRunByWeightDesc(bucketed, segmentStart[s], segmentStart[s + 1]);
    }
    this.bySegment = bucketed;
    this.runWeights = new double[j];
    for (int i = 0; i < j; i++) {
      runWeights[i] = userWeights[bucketed[i]];
    }
  }

  /**
   * @param userWeights w_j &gt; 0
   * @param userSegment segment index of each user in [0, S), or null for a single segment
   * @param providers each with S segment discounts in (0, 1], kwhPerUnit &gt; 0, costs ≥ 0
   */
  public static Result<ComputeMarket> of(
      double[] userWeights, int[] userSegment, List<Provider> providers) {
    Validation v =
        Validation.start()
            .check(userWeights != null && userWeights.length > 0, "empty market: no users")
            .check(providers != null && !providers.isEmpty(), "empty market: no providers");
    if (v.failed()) {
      return v.toInvalid();
    }
    int j = userWeights.length;
    int[] seg = userSegment == null ? new int[j] : userSegment.clone();
    v.check(seg.length == j, "userSegment must have one entry per user");
    // The providers' discount lists define the segments; every provider must list all of them.
    int segments =
        providers.get(0) == null ? 1 : Math.max(1, providers.get(0).segmentDiscount().size());
    for (int u = 0; u < j && !v.failed(); u++) {
      v.positive("w[" + u + "]", userWeights[u]);
      v.check(
          seg[u] >= 0 && seg[u] < segments,
          "segment of user " + u + " must be in [0," + segments + "), got " + seg[u]);
    }
    Set<String> ids = new HashSet<>();
    for (Provider p : providers) {
      if (v.failed()) {
        break;
      }
      v.check(p != null && p.id() != null && ids.add(p.id()), "providers need unique non-null ids");
      if (v.failed()) {
        break;
      }
      String n = "provider " + p.id() + ": ";
      v.positive(n + "kwhPerUnit", p.kwhPerUnit())
          .nonNegative(n + "energyPricePerKwh", p.energyPricePerKwh())
          .nonNegative(n + "otherCostPerUnit", p.otherCostPerUnit())
          .check(
              p.capacityUnits() > 0,
              n + "capacityUnits must be > 0 (or Infinity), got " + p.capacityUnits())
          .check(
              p.segmentDiscount().size() == segments,
              n + "needs " + segments + " segment discounts, got " + p.segmentDiscount().size());
      for (double q : p.segmentDiscount()) {
        v.check(q > 0 && q <= 1, n + "segment discounts must be in (0,1], got " + q);
      }
    }
    if (v.failed()) {
      return v.toInvalid();
    }
    return Result.ok(new ComputeMarket(userWeights.clone(), seg, segments, providers));
  }

  /** Single segment: every provider is valued at w_j by user j. */
  public static Result<ComputeMarket> of(double[] userWeights, List<Provider> providers) {
    return of(userWeights, null, providers);
  }

  public List<Provider> providers() {
    return providers;
  }

  public int users() {
    return userWeights.length;
  }

  public int segments() {
    return segments;
  }

  /** w_jk for user j and provider k. */
  public double weight(int provider, int user) {
    return userWeights[user] * providers.get(provider).segmentDiscount().get(userSegment[user]);
  }

  /** Provider k's weights, descending, with prefix sums. */
  SortedDemand sortedDemand(int provider) {
    return sortedDemand(provider, null);
  }

  /**
   * Buffers for {@link #sortedDemand(int, Workspace)}, reused from provider to provider: three
   * arrays of J doubles per provider are otherwise most of what a solve allocates (and at 10^5
   * users each is a humongous G1 allocation).
   */
  static final class Workspace {
    private final double[] a;
    private final double[] b;
    private final double[]
        prefix; // prefix[0] stays 0.0; every other entry is overwritten per provider

    Workspace(int users) {
      a = new double[users];
      b = new double[users];
      prefix = new double[users + 1];
    }
  }

  /**
   * As {@link #sortedDemand(int)}, but in ws's buffers (null: fresh ones): valid until ws is used
   * again.
   */
  SortedDemand sortedDemand(int provider, Workspace ws) {
    List<Double> q = providers.get(provider).segmentDiscount();
    int j = userWeights.length;
    if (segments > 16) {
      double[] out = new double[j];
      for (int u = 0; u < j; u++) {
        out[u] = weight(provider, u);
      }
      return ProviderPricing.sorted(out);
    }
    // Each run scaled by its (positive) discount stays descending; merge the runs pairwise, scaling
    // during the first pass: ceil(log2 S) sequential passes, and the values are exactly w_j ·
    // q_k,s.
    double[] scale = new double[segments];
    for (int s = 0; s < segments; s++) {
      scale[s] = q.get(s);
    }
    // The last pass also accumulates the prefix sums (same additions, same order as
    // SortedDemand's).
    double[] a = ws != null ? ws.a : new double[j];
    double[] prefix = ws != null ? ws.prefix : new double[j + 1];
    if (segments == 1) {
      mergeDescending(runWeights, 0, j, j, scale[0], 1.0, a, prefix);
      return new SortedDemand(a, prefix);
    }
    for (int r = 0; r < segments; r += 2) {
      int hi = r + 2 <= segments ? segmentStart[r + 2] : segmentStart[r + 1];
      mergeDescending(
          runWeights,
          segmentStart[r],
          segmentStart[r + 1],
          hi,
          scale[r],
          r + 1 < segments ? scale[r + 1] : 1.0,
          a,
          segments == 2 ? prefix : null);
    }
    int runs = (segments + 1) / 2;
    int[] bounds = new int[runs + 1];
    for (int r = 0; r < runs; r++) {
      bounds[r + 1] = segmentStart[Math.min(2 * r + 2, segments)];
    }
    double[] b = runs <= 1 ? null : ws != null ? ws.b : new double[j];
    while (runs > 1) {
      int merged = (runs + 1) / 2;
      int[] next = new int[merged + 1];
      for (int r = 0; r < runs; r += 2) {
        int hi = r + 2 <= runs ? bounds[r + 2] : bounds[r + 1];
        mergeDescending(a, bounds[r], bounds[r + 1], hi, 1.0, 1.0, b, runs == 2 ? prefix : null);
        next[r / 2 + 1] = hi;
      }
      double[] t = a;
      a = b;
      b = t;
      bounds = next;
      runs = merged;
    }
    return new SortedDemand(a, prefix);
  }

  /**
   * Merges the descending runs src[lo, mid) · qx and src[mid, hi) · qy (qx, qy &gt; 0) into dst[lo,
   * hi). Multiplying by 1.0 is exact, so later passes copy values unchanged. With a non-null prefix
   * (only for the final pass, lo = 0) also prefix[o + 1] = prefix[o] + dst[o], added in index
   * order.
   *
   * <p>Branch-free (which run wins is a coin flip, so a branch would mispredict half the time), and
   * from both ends at once: the front takes the larger head (left on ties), the back the smaller
   * tail (right on ties), so they produce the two halves of the same merged sequence as two
   * independent dependency chains the CPU overlaps. Exhausted runs read as ∓∞.
   */
  private static void mergeDescending(
      double[] src, int lo, int mid, int hi, double qx, double qy, double[] dst, double[] prefix) {
    int n = hi - lo;
    int backCount = n / 2;
    int frontCount = n - backCount;
    int i = lo;
    int k = mid;
    int o = lo;
    int ie = mid - 1;
    int ke = hi - 1;
    int oe = hi - 1;
    for (int t = 0; t < backCount; t++) {
      double x = i < mid ? src[i] * qx : Double.NEGATIVE_INFINITY;
      double y = k < hi ? src[k] * qy : Double.NEGATIVE_INFINITY;
      int takeX = x >= y ? 1 : 0;
      dst[o++] = Math.max(x, y);
      i += takeX;
      k += 1 - takeX;
      double xe = ie >= lo ? src[ie] * qx : Double.POSITIVE_INFINITY;
      double ye = ke >= mid ? src[ke] * qy : Double.POSITIVE_INFINITY;
      int takeYe = ye <= xe ? 1 : 0;
      dst[oe--] = Math.min(xe, ye);
      ke -= takeYe;
      ie -= 1 - takeYe;
    }
    if (frontCount > backCount) {
      double x = i < mid ? src[i] * qx : Double.NEGATIVE_INFINITY;
      double y = k < hi ? src[k] * qy : Double.NEGATIVE_INFINITY;
      dst[o] = Math.max(x, y);
    }
    if (prefix != null) {
      double sum = 0;
      for (int p = lo; p < hi; p++) {
        sum += dst[p];
        prefix[p + 1] = sum;
      }
    }
  }

  private void sortRunByWeightDesc(int[] idx, int from, int to) {
    int n = to - from;
    if (n < 2) {
      return;
    }
    // Primitive quicksort on (weight, user) pairs: no boxing, deterministic tie order by user
    // index.
    double[] w = new double[n];
    int[] pos = new int[n];
    for (int i = 0; i < n; i++) {
      pos[i] = idx[from + i];
      w[i] = userWeights[pos[i]];
    }
    quickSortDesc(w, pos, 0, n - 1);
    System.arraycopy(pos, 0, idx, from, n);
  }

  /** In-place sort of w descending, carrying pos along (ties by user index for determinism). */
  private static void quickSortDesc(double[] w, int[] pos, int lo, int hi) {
    while (lo < hi) {
      if (hi - lo < 16) {
        for (int i = lo + 1; i <= hi; i++) {
          double wv = w[i];
          int pv = pos[i];
          int k = i - 1;
          while (k >= lo && (w[k] < wv || (w[k] == wv && pos[k] > pv))) {
            w[k + 1] = w[k];
            pos[k + 1] = pos[k];
            k--;
          }
          w[k + 1] = wv;
          pos[k + 1] = pv;
        }
        return;
      }
      int mid = (lo + hi) >>> 1;
      double pw = w[mid];
      int pp = pos[mid];
      int i = lo;
      int k = hi;
      while (i <= k) {
        while (w[i] > pw || (w[i] == pw && pos[i] < pp)) {
          i++;
        }
        while (w[k] < pw || (w[k] == pw && pos[k] > pp)) {
          k--;
        }
        if (i <= k) {
          double tw = w[i];
          w[i] = w[k];
          w[k] = tw;
          int tp = pos[i];
          pos[i] = pos[k];
          pos[k] = tp;
          i++;
          k--;
        }
      }
      if (k - lo < hi - i) {
        quickSortDesc(w, pos, lo, k);
        lo = i;
      } else {
        quickSortDesc(w, pos, i, hi);
        hi = k;
      }
    }
  }
}
