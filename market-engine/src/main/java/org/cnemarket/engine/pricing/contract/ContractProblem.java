package org.cnemarket.engine.pricing.contract;

import java.util.Arrays;
import java.util.List;
import org.cnemarket.engine.pricing.Result;
import org.cnemarket.engine.pricing.Validation;

/**
 * The screening problem of §3: types θ_1 &lt; … &lt; θ_K with prior π, unit cost c and platform
 * value α · ln(1 + q). Build with {@link #of}, which rejects invalid parameters.
 *
 * @param thetas provider types, strictly increasing, &gt; 0
 * @param priors prior mass per type, each &gt; 0, summing to 1 within 1e-9
 * @param unitCost c &gt; 0, the provider's cost of one unit of committed capacity at θ = 1
 * @param alpha α &gt; 0, the platform's valuation scale
 */
public record ContractProblem(
    List<Double> thetas, List<Double> priors, double unitCost, double alpha) {

  /** Tolerance on Σ π = 1. */
  public static final double PRIOR_SUM_TOLERANCE = 1e-9;

  public ContractProblem {
    thetas = List.copyOf(thetas);
    priors = List.copyOf(priors);
  }

  public static Result<ContractProblem> of(
      double[] thetas, double[] priors, double unitCost, double alpha) {
    Validation v =
        Validation.start()
            .check(thetas != null && priors != null, "thetas and priors are required")
            .positive("c (unitCost)", unitCost)
            .positive("alpha", alpha);
    if (v.failed()) {
      return v.toInvalid();
    }
    v.check(thetas.length > 0, "at least one type is required")
        .check(
            thetas.length == priors.length,
            "thetas and priors must have the same length ("
                + thetas.length
                + " vs "
                + priors.length
                + ")");
    double sum = 0;
    for (int i = 0; i < thetas.length && !v.failed(); i++) {
      v.positive("theta[" + i + "]", thetas[i]);
      if (i > 0) {
        v.check(
            thetas[i] > thetas[i - 1],
            "thetas must be strictly increasing: theta["
                + i
                + "]="
                + thetas[i]
                + " <= theta["
                + (i - 1)
                + "]="
                + thetas[i - 1]);
      }
      v.finite("pi[" + i + "]", priors[i]);
      v.check(!(priors[i] < 0), "pi[" + i + "] must not be negative, got " + priors[i]);
      // Zero mass would make the virtual cost infinite: drop empty types instead.
      v.check(!(priors[i] == 0), "pi[" + i + "] is 0: every listed type needs positive prior mass");
      sum += priors[i];
    }
    if (!v.failed()) {
      v.check(
          Math.abs(sum - 1.0) <= PRIOR_SUM_TOLERANCE,
          "priors must sum to 1 within 1e-9, got " + sum);
    }
    if (v.failed()) {
      return v.toInvalid();
    }
    return Result.ok(new ContractProblem(box(thetas), box(priors), unitCost, alpha));
  }

  public int types() {
    return thetas.size();
  }

  double theta(int i) {
    return thetas.get(i);
  }

  double prior(int i) {
    return priors.get(i);
  }

  private static List<Double> box(double[] values) {
    return Arrays.stream(values).boxed().toList();
  }
}
