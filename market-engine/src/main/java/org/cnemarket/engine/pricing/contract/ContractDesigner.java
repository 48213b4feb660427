package org.cnemarket.engine.pricing.contract;

import java.util.ArrayList;
import java.util.List;
import org.cnemarket.engine.pricing.Result;

/** Optimal screening menu (§3) and the complete-information benchmark. */
public final class ContractDesigner {

  private ContractDesigner() {}

  /** Convenience: validate then build the optimal menu. */
  public static Result<ContractMenu> optimalMenu(
      double[] thetas, double[] priors, double unitCost, double alpha) {
    return ContractProblem.of(thetas, priors, unitCost, alpha).map(ContractDesigner::optimalMenu);
  }

  /**
   * IR_1 and the local downward ICs bind: virtual costs φ_i, ironed so that they are
   * non-increasing, q_i = max(0, α / (c φ_i) − 1), R_1 = c q_1 / θ_1, R_i = R_{i−1} + c (q_i −
   * q_{i−1}) / θ_i. O(K).
   */
  public static ContractMenu optimalMenu(ContractProblem p) {
    int n = p.types();
    double[] phi = new double[n];
    double tail = 0; // Σ_{k>i} π_k, accumulated from the top
    for (int i = n - 1; i >= 0; i--) {
      double inv = 1.0 / p.theta(i);
      phi[i] = i == n - 1 ? inv : inv + (inv - 1.0 / p.theta(i + 1)) * tail / p.prior(i);
      tail += p.prior(i);
    }
    iron(phi, p);
    List<Contract> contracts = new ArrayList<>(n);
    List<Double> virtualCosts = new ArrayList<>(n);
    double c = p.unitCost();
    double prevQ = 0;
    double reward = 0;
    for (int i = 0; i < n; i++) {
      double q = Math.max(0.0, p.alpha() / (c * phi[i]) - 1.0);
      reward = i == 0 ? c * q / p.theta(0) : reward + c * (q - prevQ) / p.theta(i);
      contracts.add(new Contract(q, reward));
      virtualCosts.add(phi[i]);
      prevQ = q;
    }
    return new ContractMenu(p, contracts, virtualCosts, ContractMenu.platformUtility(p, contracts));
  }

  /**
   * Pool adjacent violators: while a block's φ is below the next block's (φ must be non-increasing
   * so that q is non-decreasing), merge them into their π-weighted average.
   */
  private static void iron(double[] phi, ContractProblem p) {
    int n = phi.length;
    double[] weight = new double[n];
    double[] mass = new double[n]; // Σ π φ per block
    int[] size = new int[n];
    int blocks = 0;
    for (int i = 0; i < n; i++) {
      weight[blocks] = p.prior(i);
      mass[blocks] = p.prior(i) * phi[i];
      size[blocks] = 1;
      blocks++;
      while (blocks > 1
          && mass[blocks - 2] / weight[blocks - 2] < mass[blocks - 1] / weight[blocks - 1]) {
        weight[blocks - 2] += weight[blocks - 1];
        mass[blocks - 2] += mass[blocks - 1];
        size[blocks - 2] += size[blocks - 1];
        blocks--;
      }
    }
    int i = 0;
    for (int b = 0; b < blocks; b++) {
      double avg = mass[b] / weight[b];
      for (int s = 0; s < size[b]; s++) {
        phi[i++] = avg;
      }
    }
  }

  /**
   * Complete information: the platform sees θ and pays each type exactly its cost (IR binds), q_i =
   * max(0, α θ_i / c − 1), R_i = c q_i / θ_i. Its utility bounds every feasible menu's.
   */
  public static CompleteInformation completeInformation(ContractProblem p) {
    List<Contract> contracts = new ArrayList<>(p.types());
    for (int i = 0; i < p.types(); i++) {
      double q = Math.max(0.0, p.alpha() * p.theta(i) / p.unitCost() - 1.0);
      contracts.add(new Contract(q, p.unitCost() * q / p.theta(i)));
    }
    return new CompleteInformation(contracts, ContractMenu.platformUtility(p, contracts));
  }

  /**
   * The complete-information (first-best) contracts.
   *
   * @param contracts contract per type
   * @param platformUtility the platform's expected utility under full information
   */
  public record CompleteInformation(List<Contract> contracts, double platformUtility) {
    public CompleteInformation {
      contracts = List.copyOf(contracts);
    }
  }
}
