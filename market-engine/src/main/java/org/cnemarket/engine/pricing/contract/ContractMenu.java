package org.cnemarket.engine.pricing.contract;

import java.util.List;

/**
 * A menu offered to the types of a {@link ContractProblem}: contract i is meant for type i (pooled
 * types share identical contracts).
 *
 * @param problem the screening problem
 * @param contracts one contract per type, in type order
 * @param virtualCosts the (ironed) virtual unit costs φ_i used to build the menu
 * @param platformUtility Σ π_k (α ln(1 + q_k) − R_k)
 */
public record ContractMenu(
    ContractProblem problem,
    List<Contract> contracts,
    List<Double> virtualCosts,
    double platformUtility) {

  public ContractMenu {
    contracts = List.copyOf(contracts);
    virtualCosts = List.copyOf(virtualCosts);
  }

  /** Relative tolerance for choice comparisons. */
  public static final double TOLERANCE = 1e-9;

  /** u_θ(k) = R_k − c q_k / θ: what a provider of type θ gets from contract k. */
  public double providerUtility(double theta, int contractIndex) {
    Contract k = contracts.get(contractIndex);
    return k.reward() - problem.unitCost() * k.quantity() / theta;
  }

  /** The contract a provider of type θ prefers (lowest index among exact ties). */
  public int bestContractFor(double theta) {
    int best = 0;
    double bestU = providerUtility(theta, 0);
    for (int k = 1; k < contracts.size(); k++) {
      double u = providerUtility(theta, k);
      if (u > bestU) {
        best = k;
        bestU = u;
      }
    }
    return best;
  }

  /**
   * Whether a provider of type {@code typeIndex} choosing {@code chosenIndex} is consistent with
   * utility maximization (ties within the relative tolerance allowed). Under IC the own contract is
   * always consistent.
   */
  public boolean isChoiceConsistent(int typeIndex, int chosenIndex) {
    double theta = problem.theta(typeIndex);
    double chosen = providerUtility(theta, chosenIndex);
    double best = providerUtility(theta, bestContractFor(theta));
    return chosen >= best - TOLERANCE * Math.max(1.0, Math.abs(best));
  }

  /** Platform utility Σ π_k (α ln(1 + q_k) − R_k) of any menu (contract k taken by type k). */
  static double platformUtility(ContractProblem p, List<Contract> contracts) {
    double u = 0;
    for (int k = 0; k < contracts.size(); k++) {
      Contract c = contracts.get(k);
      u += p.prior(k) * (p.alpha() * Math.log1p(c.quantity()) - c.reward());
    }
    return u;
  }
}
