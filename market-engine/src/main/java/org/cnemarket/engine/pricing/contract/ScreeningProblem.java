package org.cnemarket.engine.pricing.contract;

import java.util.Arrays;
import java.util.List;
import org.cnemarket.engine.pricing.Result;
import org.cnemarket.engine.pricing.Validation;

/**
 * The general screening problem: types θ_1 &lt; … &lt; θ_K with prior π, the platform's valuation
 * V, the provider's cost form (marginal cost c θ_i or c / θ_i) and a reservation utility u_0 every
 * type must be left with. A provider of type i taking (q, R) gets R − k_i q with k_i its marginal
 * cost; the platform gets Σ π_i (V(q_i) − R_i). Build with {@link #of}, which rejects invalid
 * parameters.
 *
 * @param thetas provider types, strictly increasing, &gt; 0
 * @param priors prior mass per type, each &gt; 0, summing to 1 within 1e-9
 * @param valuation the platform's value of a committed quantity
 * @param costForm how θ enters the provider's cost
 * @param unitCost c &gt; 0, the cost scale
 * @param reservationUtility u_0 &ge; 0, what a provider gets by not contracting
 */
public record ScreeningProblem(
    List<Double> thetas,
    List<Double> priors,
    Valuation valuation,
    CostForm costForm,
    double unitCost,
    double reservationUtility) {

  public ScreeningProblem {
    thetas = List.copyOf(thetas);
    priors = List.copyOf(priors);
  }

  public static Result<ScreeningProblem> of(
      double[] thetas,
      double[] priors,
      Valuation valuation,
      CostForm costForm,
      double unitCost,
      double reservationUtility) {
    Validation v =
        Validation.start()
            .check(valuation != null, "a valuation is required")
            .check(costForm != null, "a cost form is required")
            .positive("c (unitCost)", unitCost)
            .nonNegative("reservation utility", reservationUtility);
    if (v.failed()) {
      return v.toInvalid();
    }
    // The type list rules are the ones of today's problem: reuse them.
    Result<ContractProblem> types = ContractProblem.of(thetas, priors, unitCost, 1.0);
    if (!types.isOk()) {
      return Result.invalid(types.reason());
    }
    return Result.ok(
        new ScreeningProblem(
            box(thetas), box(priors), valuation, costForm, unitCost, reservationUtility));
  }

  /** Today's problem of the round: α ln(1 + q), cost c q / θ, reservation utility 0. */
  public static ScreeningProblem of(ContractProblem p) {
    return new ScreeningProblem(
        p.thetas(),
        p.priors(),
        new Valuation.Log(p.alpha()),
        CostForm.EFFICIENCY_TYPE,
        p.unitCost(),
        0.0);
  }

  public int types() {
    return thetas.size();
  }

  public double theta(int i) {
    return thetas.get(i);
  }

  public double prior(int i) {
    return priors.get(i);
  }

  /** k_i: what one more committed unit costs type i. */
  public double marginalCost(int i) {
    return costForm.marginalCost(theta(i), unitCost);
  }

  /**
   * Type indices from the least efficient (highest marginal cost) to the most efficient: the order
   * in which quantities must be non-decreasing and rents accumulate.
   */
  public int[] efficiencyOrder() {
    int n = types();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = costForm == CostForm.EFFICIENCY_TYPE ? i : n - 1 - i;
    }
    return order;
  }

  private static List<Double> box(double[] values) {
    return Arrays.stream(values).boxed().toList();
  }
}
