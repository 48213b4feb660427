package org.cnemarket.engine.pricing.contract;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks any menu against its problem: IR for every type, IC for every pair (1e-9 relative), q
 * non-decreasing in type, and platform utility not above the complete-information optimum.
 */
public final class MenuChecker {

  /** Relative tolerance of every comparison. */
  public static final double TOLERANCE = 1e-9;

  private MenuChecker() {}

  /**
   * Verdict of a menu check.
   *
   * @param valid all conditions hold
   * @param violations human-readable descriptions, empty when valid (capped at 20)
   * @param worstIrShortfall max over types of −u_i(i) (≤ 0 when IR holds)
   * @param worstIcGain max over pairs of u_i(j) − u_i(i) (≤ 0 when IC holds)
   * @param completeInfoUtility the first-best platform utility
   */
  public record MenuCheck(
      boolean valid,
      List<String> violations,
      double worstIrShortfall,
      double worstIcGain,
      double completeInfoUtility) {
    public MenuCheck {
      violations = List.copyOf(violations);
    }
  }

  public static MenuCheck check(ContractMenu menu) {
    ContractProblem p = menu.problem();
    List<Contract> k = menu.contracts();
    List<String> violations = new ArrayList<>();
    int n = p.types();
    if (k.size() != n) {
      violations.add("menu has " + k.size() + " contracts for " + n + " types");
      return new MenuCheck(false, violations, Double.NaN, Double.NaN, Double.NaN);
    }
    double worstIr = Double.NEGATIVE_INFINITY;
    double worstIc = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      double theta = p.theta(i);
      double own = menu.providerUtility(theta, i);
      double ownScale =
          Math.max(
              1.0,
              Math.max(Math.abs(k.get(i).reward()), p.unitCost() * k.get(i).quantity() / theta));
      worstIr = Math.max(worstIr, -own);
      if (own < -TOLERANCE * ownScale) {
        add(violations, "IR violated for type " + i + ": utility " + own);
      }
      for (int j = 0; j < n; j++) {
        double other = menu.providerUtility(theta, j);
        worstIc = Math.max(worstIc, other - own);
        double scale =
            Math.max(
                ownScale,
                Math.max(Math.abs(k.get(j).reward()), p.unitCost() * k.get(j).quantity() / theta));
        if (other - own > TOLERANCE * scale) {
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
      if (i > 0
          && k.get(i).quantity()
              < k.get(i - 1).quantity() - TOLERANCE * Math.max(1.0, k.get(i - 1).quantity())) {
        add(
            violations,
            "q not monotone: q["
                + i
                + "]="
                + k.get(i).quantity()
                + " < q["
                + (i - 1)
                + "]="
                + k.get(i - 1).quantity());
      }
    }
    double firstBest = ContractDesigner.completeInformation(p).platformUtility();
    double utility = ContractMenu.platformUtility(p, k);
    if (utility > firstBest + TOLERANCE * Math.max(1.0, Math.abs(firstBest))) {
      add(
          violations,
          "platform utility " + utility + " exceeds the complete-information optimum " + firstBest);
    }
    return new MenuCheck(violations.isEmpty(), violations, worstIr, worstIc, firstBest);
  }

  private static void add(List<String> violations, String v) {
    if (violations.size() < 20) {
      violations.add(v);
    }
  }
}
