package org.cnemarket.engine.pricing.contract;

import java.util.ArrayList;
import java.util.List;
import org.cnemarket.engine.pricing.Result;

/**
 * Checks any menu of a {@link ScreeningProblem} from the constraints alone: IR for every type, IC
 * for every ordered pair, quantities non-decreasing in efficiency, and the platform's utility not
 * above the first best. It also searches for a better feasible menu by moving quantities on a grid.
 */
public final class ScreeningChecker {

  /** Relative tolerance of every comparison. */
  public static final double TOLERANCE = 1e-9;

  private ScreeningChecker() {}

  public static MenuChecker.MenuCheck check(ScreeningMenu menu) {
    ScreeningProblem p = menu.problem();
    List<Contract> k = menu.contracts();
    List<String> violations = new ArrayList<>();
    int n = p.types();
    if (k.size() != n) {
      violations.add("menu has " + k.size() + " contracts for " + n + " types");
      return new MenuChecker.MenuCheck(false, violations, Double.NaN, Double.NaN, Double.NaN);
    }
    double u0 = p.reservationUtility();
    double worstIr = Double.NEGATIVE_INFINITY;
    double worstIc = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      double own = menu.providerUtility(i, i);
      double ownScale = scale(p, k.get(i), i);
      worstIr = Math.max(worstIr, u0 - own);
      if (own < u0 - TOLERANCE * ownScale) {
        add(
            violations,
            "IR violated for type " + i + ": utility " + own + " < reservation utility " + u0);
      }
      for (int j = 0; j < n; j++) {
        double other = menu.providerUtility(i, j);
        worstIc = Math.max(worstIc, other - own);
        if (other - own > TOLERANCE * Math.max(ownScale, scale(p, k.get(j), i))) {
          add(
              violations,
              "IC violated: type "
                  + i
                  + " prefers contract "
                  + j
                  + " ("
                  + other
                  + " > "
                  + own
                  + ")");
        }
      }
    }
    int[] order = p.efficiencyOrder();
    for (int j = 1; j < n; j++) {
      double lower = k.get(order[j - 1]).quantity();
      double higher = k.get(order[j]).quantity();
      if (higher < lower - TOLERANCE * Math.max(1.0, lower)) {
        add(
            violations,
            "q not monotone: the more efficient type "
                + order[j]
                + " commits "
                + higher
                + " < "
                + lower
                + " of type "
                + order[j - 1]);
      }
    }
    Result<ScreeningMenu> best = ScreeningSolver.firstBest(p);
    double firstBest = best.isOk() ? best.orElseThrow().platformUtility() : Double.NaN;
    double utility = ScreeningMenu.platformUtility(p, k);
    if (utility > firstBest + TOLERANCE * Math.max(1.0, Math.abs(firstBest))) {
      add(violations, "platform utility " + utility + " exceeds the first best " + firstBest);
    }
    return new MenuChecker.MenuCheck(violations.isEmpty(), violations, worstIr, worstIc, firstBest);
  }

  private static double scale(ScreeningProblem p, Contract c, int type) {
    return Math.max(1.0, Math.max(Math.abs(c.reward()), p.marginalCost(type) * c.quantity()));
  }

  /**
   * The cheapest rewards that make the quantities q (one per type) IR and IC, found from the
   * constraints alone: R_i = max(u_0 + k_i q_i, max_j R_j + k_i (q_i − q_j)) iterated to its fixed
   * point (a longest-path problem). Invalid when q cannot be implemented (the iteration diverges: q
   * is not monotone in efficiency).
   */
  public static Result<double[]> cheapestRewards(ScreeningProblem p, double[] q) {
    int n = p.types();
    if (q.length != n) {
      return Result.invalid(q.length + " quantities for " + n + " types");
    }
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      if (!(q[i] >= 0) || !Double.isFinite(q[i])) {
        return Result.invalid("q[" + i + "] must be a finite number >= 0, got " + q[i]);
      }
      r[i] = p.reservationUtility() + p.marginalCost(i) * q[i];
    }
    for (int pass = 0; pass <= n; pass++) {
      boolean changed = false;
      for (int i = 0; i < n; i++) {
        double k = p.marginalCost(i);
        for (int j = 0; j < n; j++) {
          double need = r[j] + k * (q[i] - q[j]);
          if (need > r[i] + TOLERANCE * Math.max(1.0, Math.abs(need))) {
            r[i] = need;
            changed = true;
          }
        }
      }
      if (!changed) {
        return Result.ok(r);
      }
    }
    return Result.invalid(
        "these quantities cannot be made incentive compatible: they must not decrease "
            + "with efficiency");
  }

  /**
   * The best deviation from a menu's quantities.
   *
   * @param platformUtility the platform's utility of the best feasible menu found
   * @param quantities that menu's quantities
   * @param menusTried how many implementable menus were evaluated
   */
  public record Deviation(double platformUtility, List<Double> quantities, int menusTried) {
    public Deviation {
      quantities = List.copyOf(quantities);
    }
  }

  /**
   * Moves each type's quantity, and each bunch's common quantity, over a grid of {@code points}
   * values on [0, 2 q_max] (q_max the largest first-best quantity) and to ±10%, ±1%, ±0.1% of its
   * value, gives each deviation its cheapest IR/IC rewards and returns the best platform utility
   * found. An optimal menu is not improved by any of them.
   */
  public static Deviation gridDeviation(ScreeningMenu menu, int points) {
    ScreeningProblem p = menu.problem();
    int n = p.types();
    double[] base = new double[n];
    for (int i = 0; i < n; i++) {
      base[i] = menu.contracts().get(i).quantity();
    }
    double qMax = 0;
    for (int i = 0; i < n; i++) {
      qMax = Math.max(qMax, p.valuation().quantityAt(p.marginalCost(i)));
    }
    double top = 2 * Math.max(qMax, 1e-9);
    List<List<Integer>> groups = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      groups.add(List.of(i));
    }
    for (List<Integer> b : menu.bunches()) {
      if (b.size() > 1) {
        groups.add(b);
      }
    }
    double bestUtility = Double.NEGATIVE_INFINITY;
    double[] bestQ = base.clone();
    int tried = 0;
    double[] factors = {0.9, 1.1, 0.99, 1.01, 0.999, 1.001};
    for (List<Integer> g : groups) {
      double current = base[g.get(0)];
      List<Double> candidates = new ArrayList<>(points + factors.length + 1);
      candidates.add(current);
      for (int s = 0; s <= points; s++) {
        candidates.add(top * s / points);
      }
      for (double f : factors) {
        candidates.add(current * f);
      }
      for (double value : candidates) {
        double[] q = base.clone();
        for (int i : g) {
          q[i] = value;
        }
        Result<double[]> rewards = cheapestRewards(p, q);
        if (!rewards.isOk()) {
          continue;
        }
        tried++;
        double[] r = rewards.orElseThrow();
        double u = 0;
        for (int i = 0; i < n; i++) {
          u += p.prior(i) * (p.valuation().value(q[i]) - r[i]);
        }
        if (u > bestUtility) {
          bestUtility = u;
          bestQ = q;
        }
      }
    }
    List<Double> quantities = new ArrayList<>(n);
    for (double v : bestQ) {
      quantities.add(v);
    }
    return new Deviation(bestUtility, quantities, tried);
  }

  private static void add(List<String> violations, String v) {
    if (violations.size() < 20) {
      violations.add(v);
    }
  }
}
