package org.cnemarket.engine.pricing.contract;

import java.util.ArrayList;
import java.util.List;

/**
 * A menu for the types of a {@link ScreeningProblem}: contract i is meant for type i (bunched types
 * share one contract).
 *
 * @param problem the screening problem
 * @param method how the menu was obtained
 * @param contracts one contract per type, in type order
 * @param virtualCosts the (ironed) virtual unit costs per type for {@link Method#CLOSED_FORM}, the
 *     marginal costs for {@link Method#FIRST_BEST}, empty for {@link Method#NUMERIC}
 * @param platformUtility Σ π_i (V(q_i) − R_i)
 */
public record ScreeningMenu(
    ScreeningProblem problem,
    Method method,
    List<Contract> contracts,
    List<Double> virtualCosts,
    double platformUtility) {

  /** How a menu was obtained. */
  public enum Method {
    /** Second best from the virtual costs, ironed. */
    CLOSED_FORM,
    /** Second best from the numeric solver over every IR and IC constraint. */
    NUMERIC,
    /** Complete information: every type paid exactly its cost plus u_0. */
    FIRST_BEST
  }

  /** Relative tolerance under which two quantities count as one bunch. */
  public static final double BUNCH_TOLERANCE = 1e-9;

  public ScreeningMenu {
    contracts = List.copyOf(contracts);
    virtualCosts = List.copyOf(virtualCosts);
  }

  /** u_i(k) = R_k − k_i q_k: what type i gets from contract k. */
  public double providerUtility(int type, int contractIndex) {
    Contract k = contracts.get(contractIndex);
    return k.reward() - problem.marginalCost(type) * k.quantity();
  }

  /**
   * Groups of adjacent types (in efficiency order, given as type indices) that take the same
   * quantity: bunching. Singletons are listed too, so the groups cover every type.
   */
  public List<List<Integer>> bunches() {
    int[] order = problem.efficiencyOrder();
    List<List<Integer>> out = new ArrayList<>();
    List<Integer> current = new ArrayList<>();
    for (int j = 0; j < order.length; j++) {
      if (j > 0) {
        double a = contracts.get(order[j - 1]).quantity();
        double b = contracts.get(order[j]).quantity();
        if (Math.abs(a - b) > BUNCH_TOLERANCE * Math.max(1.0, Math.max(Math.abs(a), Math.abs(b)))) {
          out.add(List.copyOf(current));
          current.clear();
        }
      }
      current.add(order[j]);
    }
    out.add(List.copyOf(current));
    return List.copyOf(out);
  }

  /** Σ π_i (V(q_i) − R_i) of any contract list (contract i taken by type i). */
  public static double platformUtility(ScreeningProblem p, List<Contract> contracts) {
    double u = 0;
    for (int i = 0; i < contracts.size(); i++) {
      Contract c = contracts.get(i);
      u += p.prior(i) * (p.valuation().value(c.quantity()) - c.reward());
    }
    return u;
  }
}
