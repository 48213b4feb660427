package org.cnemarket.engine.pricing.contract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cnemarket.engine.pricing.Result;

/**
 * Closed-form menus of a {@link ScreeningProblem}: the second best (IR of the least efficient type
 * and the local downward ICs bind, virtual costs ironed where they are not monotone) and the first
 * best. Both are O(K) after sorting; every valuation form has a closed-form maximiser of V(q) − φ
 * q.
 */
public final class ScreeningSolver {

  private ScreeningSolver() {}

  /**
   * In efficiency order j = 1..K (marginal costs k_1 &gt; … &gt; k_K, masses π_j), the virtual cost
   * φ_j = k_j + (k_j − k_{j+1}) Σ_{l&gt;j} π_l / π_j (φ_K = k_K) is ironed into a non-increasing
   * sequence (pooled blocks take their π-weighted mean); then q_j = argmax V(q) − φ_j q, R_1 = u_0
   * + k_1 q_1 and R_j = R_{j−1} + k_j (q_j − q_{j−1}).
   */
  public static Result<ScreeningMenu> secondBest(ScreeningProblem p) {
    int n = p.types();
    int[] order = p.efficiencyOrder();
    double[] k = new double[n];
    double[] pi = new double[n];
    for (int j = 0; j < n; j++) {
      k[j] = p.marginalCost(order[j]);
      pi[j] = p.prior(order[j]);
    }
    double[] phi = new double[n];
    double tail = 0; // Σ_{l>j} π_l
    for (int j = n - 1; j >= 0; j--) {
      phi[j] = j == n - 1 ? k[j] : k[j] + (k[j] - k[j + 1]) * tail / pi[j];
      tail += pi[j];
    }
    iron(phi, pi);
    Contract[] contracts = new Contract[n];
    Double[] virtualCosts = new Double[n];
    double prevQ = 0;
    double reward = 0;
    for (int j = 0; j < n; j++) {
      double q = p.valuation().quantityAt(phi[j]);
      reward = j == 0 ? p.reservationUtility() + k[0] * q : reward + k[j] * (q - prevQ);
      contracts[order[j]] = new Contract(q, reward);
      virtualCosts[order[j]] = phi[j];
      prevQ = q;
    }
    return menu(p, ScreeningMenu.Method.CLOSED_FORM, contracts, virtualCosts);
  }

  /** Complete information: type i commits q_i = argmax V(q) − k_i q and is paid u_0 + k_i q_i. */
  public static Result<ScreeningMenu> firstBest(ScreeningProblem p) {
    int n = p.types();
    Contract[] contracts = new Contract[n];
    Double[] costs = new Double[n];
    for (int i = 0; i < n; i++) {
      double k = p.marginalCost(i);
      double q = p.valuation().quantityAt(k);
      contracts[i] = new Contract(q, p.reservationUtility() + k * q);
      costs[i] = k;
    }
    return menu(p, ScreeningMenu.Method.FIRST_BEST, contracts, costs);
  }

  private static Result<ScreeningMenu> menu(
      ScreeningProblem p,
      ScreeningMenu.Method method,
      Contract[] contracts,
      Double[] virtualCosts) {
    for (int i = 0; i < contracts.length; i++) {
      if (!Double.isFinite(contracts[i].quantity()) || !Double.isFinite(contracts[i].reward())) {
        return Result.invalid(
            "the optimal quantity for type "
                + i
                + " is not a finite number (q = "
                + contracts[i].quantity()
                + "): the valuation grows too fast for its cost");
      }
    }
    List<Contract> list = Arrays.asList(contracts);
    double utility = ScreeningMenu.platformUtility(p, list);
    if (!Double.isFinite(utility)) {
      return Result.invalid("the platform's utility is not a finite number");
    }
    return Result.ok(
        new ScreeningMenu(p, method, list, new ArrayList<>(Arrays.asList(virtualCosts)), utility));
  }

  /**
   * Pool adjacent violators: while a block's φ is below the next block's (φ must be non-increasing
   * so that q is non-decreasing), merge them into their π-weighted mean.
   */
  static void iron(double[] phi, double[] pi) {
    int n = phi.length;
    double[] weight = new double[n];
    double[] mass = new double[n];
    int[] size = new int[n];
    int blocks = 0;
    for (int i = 0; i < n; i++) {
      weight[blocks] = pi[i];
      mass[blocks] = pi[i] * phi[i];
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
      double mean = mass[b] / weight[b];
      for (int s = 0; s < size[b]; s++) {
        phi[i++] = mean;
      }
    }
  }
}
