package org.cnemarket.agents.schedule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.ojalgo.optimisation.Expression;
import org.ojalgo.optimisation.ExpressionsBasedModel;
import org.ojalgo.optimisation.Optimisation;
import org.ojalgo.optimisation.Variable;

/**
 * The perfect-foresight optimum, an ojAlgo MILP. Jobs with the same home site, allowed sites and
 * network cost form a class: a unit of any of them costs the same in a given cell, so the model
 * keeps per-job slot totals y[j,t] (≤ parallelism, Σ_t y + miss_j = units_j) and per-class cell
 * flows z[c,t,s] with Σ_{j∈c} y[j,t] = Σ_s z[c,t,s] and Σ_c z[c,t,s] ≤ capacity, minimising Σ
 * score·z + penalty·miss (optionally under a carbon budget). This is exactly the per-job model (any
 * split of a class's cell flow among its jobs in that slot is feasible and costs the same), with
 * far fewer variables. Without a budget the constraints form a network matrix, so the LP optimum is
 * integral; large instances are solved as that LP (sparse simplex) and checked integral.
 */
public final class OfflineOptimum {
  /** Above this many variables the integrality markers are dropped (the LP optimum is integral). */
  static final int INTEGER_VARIABLE_LIMIT = 2_000;

  private OfflineOptimum() {}

  public static Plan solve(SchedulingProblem p, Objective o) {
    return solve(p, o, OptionalLong.empty());
  }

  /**
   * With {@code carbonBudgetMg}: minimise cost (and the carbon price) with total carbon at most the
   * budget.
   */
  public static Plan solve(SchedulingProblem p, Objective o, OptionalLong carbonBudgetMg) {
    long[] miss = new long[p.jobs().size()];
    Arrays.fill(miss, o.missPenaltyMicrosPerUnit());
    return solve(p, o, carbonBudgetMg, miss);
  }

  /**
   * Perfect foresight solved in overlapping blocks, for instances too large for one model: each
   * block of {@code blockSlots} is solved exactly, its first {@code strideSlots} are committed, and
   * units of jobs whose deadline lies beyond the block may be deferred at the price of their
   * cheapest later cell. Exact when every job's window fits in one block stride; otherwise a close
   * upper bound on the optimum's objective.
   */
  public static Plan solveRolling(
      SchedulingProblem p, Objective o, int blockSlots, int strideSlots) {
    List<Job> jobs = p.jobs();
    long[] remaining = new long[jobs.size()];
    for (int i = 0; i < jobs.size(); i++) {
      remaining[i] = jobs.get(i).units();
    }
    long[][] used = new long[p.slots()][p.sites()];
    List<Placement> placements = new ArrayList<>();
    for (int start = p.firstSlot(); start <= p.lastSlot(); start += strideSlots) {
      int end = Math.min(p.lastSlot(), start + blockSlots - 1);
      int commitEnd = Math.min(end, start + strideSlots - 1);
      List<Job> block = new ArrayList<>();
      List<Integer> index = new ArrayList<>();
      List<Long> missWeights = new ArrayList<>();
      for (int i = 0; i < jobs.size(); i++) {
        Job j = jobs.get(i);
        if (remaining[i] == 0 || j.earliestSlot() > end || j.deadlineSlot() < start) {
          continue;
        }
        int from = Math.max(j.earliestSlot(), start);
        int to = Math.min(j.deadlineSlot(), end);
        long miss = o.missPenaltyMicrosPerUnit();
        if (j.deadlineSlot() > end) {
          // Deferring costs what the cheapest cell after the block costs.
          long best = Long.MAX_VALUE;
          for (int t = end + 1; t <= Math.min(j.deadlineSlot(), p.lastSlot()); t++) {
            for (int s : j.allowedSites()) {
              best = Math.min(best, p.unitScore(j, t, s, o));
            }
          }
          miss = best == Long.MAX_VALUE ? miss : best / 1_000_000;
        }
        block.add(
            new Job(
                j.id(),
                j.homeSite(),
                remaining[i],
                j.maxUnitsPerSlot(),
                from,
                to,
                j.allowedSites(),
                j.networkCostMicrosPerUnit(),
                j.valueMicrosPerUnit()));
        index.add(i);
        missWeights.add(miss);
      }
      if (block.isEmpty()) {
        continue;
      }
      SchedulingProblem sub = p.window(start, end, block, used);
      Plan plan =
          solve(
              sub,
              o,
              OptionalLong.empty(),
              missWeights.stream().mapToLong(Long::longValue).toArray());
      for (Placement x : plan.placements()) {
        if (x.slot() <= commitEnd) {
          int ji = index.get(x.jobIndex());
          placements.add(new Placement(ji, x.slot(), x.site(), x.units()));
          remaining[ji] -= x.units();
          used[x.slot() - p.firstSlot()][x.site()] += x.units();
        }
      }
    }
    return new Plan(placements, remaining);
  }

  private static Plan solve(
      SchedulingProblem p, Objective o, OptionalLong carbonBudgetMg, long[] missWeights) {
    List<Job> jobs = p.jobs();
    Map<String, List<Integer>> classes = new LinkedHashMap<>();
    int[] jobClass = new int[jobs.size()];
    for (int ji = 0; ji < jobs.size(); ji++) {
      Job j = jobs.get(ji);
      String key = j.homeSite() + "|" + j.allowedSites() + "|" + j.networkCostMicrosPerUnit();
      classes.computeIfAbsent(key, k -> new ArrayList<>()).add(ji);
    }
    List<List<Integer>> members = new ArrayList<>(classes.values());
    for (int c = 0; c < members.size(); c++) {
      for (int ji : members.get(c)) {
        jobClass[ji] = c;
      }
    }
    long size = 0;
    for (Job j : jobs) {
      size += window(j, p) * (1L + j.allowedSites().size());
    }
    boolean integer = size <= INTEGER_VARIABLE_LIMIT || carbonBudgetMg.isPresent();

    ExpressionsBasedModel model = new ExpressionsBasedModel();
    if (!integer) {
      model.options.sparse = Boolean.TRUE;
    }
    Expression budget =
        carbonBudgetMg.isPresent()
            ? model.addExpression("carbon").upper(carbonBudgetMg.getAsLong() / 1000.0)
            : null;
    Map<Long, Expression> balance = new HashMap<>();
    Map<Long, Expression> cells = new HashMap<>();
    List<Variable> ys = new ArrayList<>();
    List<int[]> yAt = new ArrayList<>();
    List<Variable> zs = new ArrayList<>();
    List<int[]> zAt = new ArrayList<>();
    // y: per job and slot, tied to its class's balance row of that slot.
    for (int ji = 0; ji < jobs.size(); ji++) {
      Job j = jobs.get(ji);
      Expression demand = model.addExpression("job" + ji).level(j.units());
      Variable miss =
          model
              .addVariable("miss" + ji)
              .lower(0)
              .upper(j.units())
              .weight((double) missWeights[ji])
              .integer(integer);
      demand.set(miss, 1);
      for (int t = Math.max(j.earliestSlot(), p.firstSlot());
          t <= Math.min(j.deadlineSlot(), p.lastSlot());
          t++) {
        Variable y =
            model
                .addVariable("y" + ji + "_" + t)
                .lower(0)
                .upper(Math.min(j.units(), j.maxUnitsPerSlot()))
                .integer(integer);
        ys.add(y);
        yAt.add(new int[] {ji, t});
        demand.set(y, 1);
        int c = jobClass[ji];
        int slot = t;
        balance
            .computeIfAbsent(
                ((long) c << 32) | slot, k -> model.addExpression("bal" + c + "_" + slot).level(0))
            .set(y, 1);
      }
    }
    // z: per class, slot and allowed site, where the class's slot total runs.
    for (Map.Entry<Long, Expression> e : balance.entrySet()) {
      int c = (int) (e.getKey() >>> 32);
      int t = (int) (long) e.getKey();
      Job rep = jobs.get(members.get(c).get(0));
      for (int s : rep.allowedSites()) {
        long cap = p.capacityUnits(t, s);
        if (cap <= 0) {
          continue;
        }
        Variable z =
            model
                .addVariable("z" + c + "_" + t + "_" + s)
                .lower(0)
                .upper(cap)
                .weight(p.unitScore(rep, t, s, o) / 1e6)
                .integer(integer);
        zs.add(z);
        zAt.add(new int[] {c, t, s});
        e.getValue().set(z, -1);
        long key = ((long) t << 20) | s;
        String name = "cell" + t + "_" + s;
        cells.computeIfAbsent(key, k -> model.addExpression(name).upper(cap)).set(z, 1);
        if (budget != null) {
          budget.set(z, p.unitCarbonMg(t, s) / 1000.0);
        }
      }
    }
    Optimisation.Result r = model.minimise();
    if (!r.getState().isFeasible()) {
      throw new IllegalStateException(
          "the scheduling model has no feasible solution: " + r.getState());
    }
    // Split each class's cell flow among its jobs' slot totals.
    Map<Long, List<long[]>> jobsAt = new HashMap<>();
    for (int i = 0; i < ys.size(); i++) {
      long units = integral(r.doubleValue(model.indexOf(ys.get(i))));
      if (units > 0) {
        int ji = yAt.get(i)[0];
        int t = yAt.get(i)[1];
        jobsAt
            .computeIfAbsent(((long) jobClass[ji] << 32) | t, k -> new ArrayList<>())
            .add(new long[] {ji, units});
      }
    }
    List<Placement> placements = new ArrayList<>();
    long[] placed = new long[jobs.size()];
    for (int i = 0; i < zs.size(); i++) {
      long units = integral(r.doubleValue(model.indexOf(zs.get(i))));
      int[] at = zAt.get(i);
      List<long[]> open = jobsAt.getOrDefault(((long) at[0] << 32) | at[1], List.of());
      for (long[] jy : open) {
        if (units == 0) {
          break;
        }
        long take = Math.min(units, jy[1]);
        if (take > 0) {
          placements.add(new Placement((int) jy[0], at[1], at[2], take));
          placed[(int) jy[0]] += take;
          jy[1] -= take;
          units -= take;
        }
      }
      if (units != 0) {
        throw new IllegalStateException("class flow and job totals of slot " + at[1] + " disagree");
      }
    }
    long[] unserved = new long[jobs.size()];
    for (int ji = 0; ji < jobs.size(); ji++) {
      unserved[ji] = jobs.get(ji).units() - placed[ji];
      if (unserved[ji] < 0) {
        throw new IllegalStateException(
            "solver placed more units than job " + jobs.get(ji).id() + " has");
      }
    }
    return new Plan(placements, unserved);
  }

  private static long window(Job j, SchedulingProblem p) {
    return Math.max(
        0,
        Math.min(j.deadlineSlot(), p.lastSlot()) - Math.max(j.earliestSlot(), p.firstSlot()) + 1);
  }

  private static long integral(double v) {
    long n = Math.round(v);
    if (Math.abs(v - n) > 1e-6) {
      throw new IllegalStateException("the scheduling LP returned a fractional placement " + v);
    }
    return n;
  }
}
