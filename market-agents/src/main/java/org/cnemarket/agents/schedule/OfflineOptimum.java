package org.cnemarket.agents.schedule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.ojalgo.optimisation.Expression;
import org.ojalgo.optimisation.ExpressionsBasedModel;
import org.ojalgo.optimisation.Optimisation;
import org.ojalgo.optimisation.Variable;

/**
 * The perfect-foresight optimum: a MILP over integer units x[j,t,s] ≥ 0 with
 * Σ_{t,s} x + miss_j = units_j per job, Σ_s x[j,t,s] ≤ parallelism per job and slot, and
 * Σ_j x[j,t,s] ≤ capacity per cell, minimising Σ score·x + penalty·miss (optionally subject to
 * a carbon budget). Without a budget the constraint matrix is a network matrix, so the LP
 * relaxation is already integral; large instances are solved as that LP and checked integral.
 */
public final class OfflineOptimum {
  /** Above this many variables the integrality markers are dropped (the LP optimum is integral). */
  static final int INTEGER_VARIABLE_LIMIT = 2_000;

  private OfflineOptimum() {}

  public static Plan solve(SchedulingProblem p, Objective o) {
    return solve(p, o, OptionalLong.empty());
  }

  /** With {@code carbonBudgetMg}: minimise cost (and the carbon price) with total carbon at most the budget. */
  public static Plan solve(SchedulingProblem p, Objective o, OptionalLong carbonBudgetMg) {
    ExpressionsBasedModel model = new ExpressionsBasedModel();
    List<Job> jobs = p.jobs();
    int cells = 0;
    for (Job j : jobs) {
      cells += Math.max(0, Math.min(j.deadlineSlot(), p.lastSlot()) - Math.max(j.earliestSlot(), p.firstSlot()) + 1)
          * j.allowedSites().size();
    }
    boolean integer = cells <= INTEGER_VARIABLE_LIMIT || carbonBudgetMg.isPresent();
    Map<Long, Expression> cellRows = new HashMap<>();
    Expression budget = carbonBudgetMg.isPresent()
        ? model.addExpression("carbon").upper(carbonBudgetMg.getAsLong() / 1000.0) : null;
    List<Variable> vars = new ArrayList<>();
    List<int[]> where = new ArrayList<>();
    Variable[] miss = new Variable[jobs.size()];
    // Scores are scaled to micro-credits (÷10^6) so the solver works with moderate magnitudes.
    for (int ji = 0; ji < jobs.size(); ji++) {
      Job j = jobs.get(ji);
      Expression demand = model.addExpression("job" + ji).level(j.units());
      miss[ji] = model.addVariable("miss" + ji).lower(0).upper(j.units()).weight((double) o.missPenaltyMicrosPerUnit())
          .integer(integer);
      demand.set(miss[ji], 1);
      int from = Math.max(j.earliestSlot(), p.firstSlot());
      int to = Math.min(j.deadlineSlot(), p.lastSlot());
      for (int t = from; t <= to; t++) {
        Expression rate = model.addExpression("rate" + ji + "_" + t).upper(j.maxUnitsPerSlot());
        for (int s : j.allowedSites()) {
          long cap = p.capacityUnits(t, s);
          if (cap <= 0) {
            continue;
          }
          double score = p.unitScore(j, t, s, o) / 1e6;
          Variable x = model.addVariable("x" + ji + "_" + t + "_" + s).lower(0)
              .upper(Math.min(cap, Math.min(j.units(), j.maxUnitsPerSlot()))).weight(score).integer(integer);
          vars.add(x);
          where.add(new int[] {ji, t, s});
          demand.set(x, 1);
          rate.set(x, 1);
          long key = ((long) t << 20) | s;
          String name = "cell" + t + "_" + s;
          cellRows.computeIfAbsent(key, k -> model.addExpression(name).upper(cap)).set(x, 1);
          if (budget != null) {
            budget.set(x, p.unitCarbonMg(t, s) / 1000.0);
          }
        }
      }
    }
    Optimisation.Result r = model.minimise();
    if (!r.getState().isFeasible()) {
      throw new IllegalStateException("the scheduling model has no feasible solution: " + r.getState());
    }
    List<Placement> placements = new ArrayList<>();
    long[] unserved = new long[jobs.size()];
    long[] placed = new long[jobs.size()];
    for (int i = 0; i < vars.size(); i++) {
      long units = integral(r.doubleValue(model.indexOf(vars.get(i))));
      if (units > 0) {
        int[] w = where.get(i);
        placements.add(new Placement(w[0], w[1], w[2], units));
        placed[w[0]] += units;
      }
    }
    for (int ji = 0; ji < jobs.size(); ji++) {
      unserved[ji] = jobs.get(ji).units() - placed[ji];
      if (unserved[ji] < 0) {
        throw new IllegalStateException("solver placed more units than job " + jobs.get(ji).id() + " has");
      }
    }
    return new Plan(placements, unserved);
  }

  private static long integral(double v) {
    long n = Math.round(v);
    if (Math.abs(v - n) > 1e-6) {
      throw new IllegalStateException("the scheduling LP returned a fractional placement " + v);
    }
    return n;
  }
}
