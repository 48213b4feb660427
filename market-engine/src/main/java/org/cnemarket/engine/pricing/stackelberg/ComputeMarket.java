package org.cnemarket.engine.pricing.stackelberg;

import java.util.Arrays;
import java.util.List;
import org.cnemarket.engine.pricing.Result;
import org.cnemarket.engine.pricing.Validation;

/**
 * Users and providers of one compute round. User j in segment s values provider k at
 * w_jk = w_j · q_k,s. Segments (e.g. latency class × green preference) keep the input linear in
 * J + K·S instead of J·K; one segment per user expresses an arbitrary q_jk.
 *
 * <p>Users are sorted once by (segment, w desc); each provider's descending weight list is then a
 * pairwise merge of the S already sorted runs, so K providers cost O(J log J + K·J·log S).
 */
public final class ComputeMarket {

    private final double[] userWeights;
    private final int[] userSegment;
    private final int segments;
    private final List<Provider> providers;
    private final int[] bySegment;    // user indices sorted by (segment, w desc)
    private final int[] segmentStart; // run boundaries in bySegment, length segments + 1
    private final double[] runWeights; // userWeights in bySegment order: the merge reads runs sequentially

    private ComputeMarket(double[] userWeights, int[] userSegment, int segments, List<Provider> providers) {
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
     * @param providers   each with S segment discounts in (0, 1], kwhPerUnit &gt; 0, costs ≥ 0
     */
    public static Result<ComputeMarket> of(double[] userWeights, int[] userSegment, List<Provider> providers) {
        Validation v = Validation.start()
                .check(userWeights != null && userWeights.length > 0, "empty market: no users")
                .check(providers != null && !providers.isEmpty(), "empty market: no providers");
        if (v.failed()) {
            return v.toInvalid();
        }
        int j = userWeights.length;
        int[] seg = userSegment == null ? new int[j] : userSegment.clone();
        v.check(seg.length == j, "userSegment must have one entry per user");
        // The providers' discount lists define the segments; every provider must list all of them.
        int segments = providers.get(0) == null ? 1 : Math.max(1, providers.get(0).segmentDiscount().size());
        for (int u = 0; u < j && !v.failed(); u++) {
            v.positive("w[" + u + "]", userWeights[u]);
            v.check(seg[u] >= 0 && seg[u] < segments,
                    "segment of user " + u + " must be in [0," + segments + "), got " + seg[u]);
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
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
                    .check(p.capacityUnits() > 0, n + "capacityUnits must be > 0 (or Infinity), got " + p.capacityUnits())
                    .check(p.segmentDiscount().size() == segments,
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
        // during the first pass: ceil(log2 S) sequential passes, and the values are exactly w_j · q_k,s.
        double[] scale = new double[segments];
        for (int s = 0; s < segments; s++) {
            scale[s] = q.get(s);
        }
        double[] a = new double[j];
        if (segments == 1) {
            mergeDescending(runWeights, 0, j, j, scale[0], 1.0, a);
            return new SortedDemand(a);
        }
        for (int r = 0; r < segments; r += 2) {
            int hi = r + 2 <= segments ? segmentStart[r + 2] : segmentStart[r + 1];
            mergeDescending(runWeights, segmentStart[r], segmentStart[r + 1], hi, scale[r],
                    r + 1 < segments ? scale[r + 1] : 1.0, a);
        }
        int runs = (segments + 1) / 2;
        int[] bounds = new int[runs + 1];
        for (int r = 0; r < runs; r++) {
            bounds[r + 1] = segmentStart[Math.min(2 * r + 2, segments)];
        }
        double[] b = runs > 1 ? new double[j] : null;
        while (runs > 1) {
            int merged = (runs + 1) / 2;
            int[] next = new int[merged + 1];
            for (int r = 0; r < runs; r += 2) {
                int hi = r + 2 <= runs ? bounds[r + 2] : bounds[r + 1];
                mergeDescending(a, bounds[r], bounds[r + 1], hi, 1.0, 1.0, b);
                next[r / 2 + 1] = hi;
            }
            double[] t = a;
            a = b;
            b = t;
            bounds = next;
            runs = merged;
        }
        return new SortedDemand(a);
    }

    /**
     * Merges the descending runs src[lo, mid) · qx and src[mid, hi) · qy (qx, qy &gt; 0) into dst[lo, hi).
     * Multiplying by 1.0 is exact, so later passes copy values unchanged.
     */
    private static void mergeDescending(double[] src, int lo, int mid, int hi, double qx, double qy, double[] dst) {
        int i = lo;
        int k = mid;
        int o = lo;
        while (i < mid && k < hi) {
            // Which run wins is a coin flip: select without a branch (measured ~2x faster than if/else here).
            double x = src[i] * qx;
            double y = src[k] * qy;
            int takeX = x >= y ? 1 : 0;
            dst[o++] = Math.max(x, y);
            i += takeX;
            k += 1 - takeX;
        }
        while (i < mid) {
            dst[o++] = src[i++] * qx;
        }
        while (k < hi) {
            dst[o++] = src[k++] * qy;
        }
    }

    private void sortRunByWeightDesc(int[] idx, int from, int to) {
        int n = to - from;
        if (n < 2) {
            return;
        }
        // Primitive quicksort on (weight, user) pairs: no boxing, deterministic tie order by user index.
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
