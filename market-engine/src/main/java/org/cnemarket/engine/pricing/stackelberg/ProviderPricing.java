package org.cnemarket.engine.pricing.stackelberg;

import java.util.Arrays;
import org.cnemarket.engine.pricing.Result;
import org.cnemarket.engine.pricing.Validation;

/** Single-provider optimal price against users with effective weights w_jk (§2). O(J log J). */
public final class ProviderPricing {

  private ProviderPricing() {}

  /**
   * @param marginalCost m &gt; 0
   * @param weights w_jk &gt; 0 of each user for this provider (not modified)
   * @param capacity C &gt; 0, or {@link Double#POSITIVE_INFINITY} for none
   */
  public static Result<ProviderSolution> solve(
      double marginalCost, double[] weights, double capacity) {
    Validation v =
        Validation.start()
            .positive("marginal cost m", marginalCost)
            .check(weights != null && weights.length > 0, "empty market: no users")
            .check(capacity > 0, "capacity must be > 0 (or +Infinity), got " + capacity);
    for (int i = 0; weights != null && i < weights.length && !v.failed(); i++) {
      v.positive("w[" + i + "]", weights[i]);
    }
    if (v.failed()) {
      return v.toInvalid();
    }
    return Result.ok(sorted(weights).optimum(marginalCost, capacity));
  }

  static SortedDemand sorted(double[] weights) {
    double[] s = weights.clone();
    Arrays.sort(s);
    for (int i = 0, k = s.length - 1; i < k; i++, k--) {
      double t = s[i];
      s[i] = s[k];
      s[k] = t;
    }
    return new SortedDemand(s);
  }
}
