package org.cnemarket.agents.schedule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The online planner: earliest deadline first, each job's units into its cheapest cells (by score:
 * cost + carbon price + network cost) that still have capacity, within its parallelism. O(jobs ×
 * cells log cells); it is re-run every round on forecasts, and only the current slot's placements
 * are acted on, so later slots are re-planned as prices clear.
 */
public final class GreedyScheduler {
  private GreedyScheduler() {}

  public static Plan plan(SchedulingProblem p, Objective o) {
    List<Job> jobs = p.jobs();
    Integer[] order = new Integer[jobs.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        Comparator.comparingInt((Integer i) -> jobs.get(i).deadlineSlot())
            .thenComparingInt(i -> jobs.get(i).earliestSlot())
            .thenComparing(i -> jobs.get(i).id()));
    long[][] left = new long[p.slots()][p.sites()];
    for (int t = 0; t < p.slots(); t++) {
      for (int s = 0; s < p.sites(); s++) {
        left[t][s] = p.capacityUnits(p.firstSlot() + t, s);
      }
    }
    List<Placement> placements = new ArrayList<>();
    long[] unserved = new long[jobs.size()];
    for (int ji : order) {
      Job j = jobs.get(ji);
      int from = Math.max(j.earliestSlot(), p.firstSlot());
      int to = Math.min(j.deadlineSlot(), p.lastSlot());
      List<long[]> cells = new ArrayList<>();
      for (int t = from; t <= to; t++) {
        for (int s : j.allowedSites()) {
          if (left[t - p.firstSlot()][s] > 0) {
            cells.add(new long[] {p.unitScore(j, t, s, o), t, s});
          }
        }
      }
      // Cheapest first; ties go to the earlier slot (less risk), then the lower site index.
      cells.sort(
          Comparator.<long[]>comparingLong(c -> c[0])
              .thenComparingLong(c -> c[1])
              .thenComparingLong(c -> c[2]));
      long need = j.units();
      long[] rateUsed = new long[Math.max(0, to - from + 1)];
      for (long[] c : cells) {
        if (need == 0) {
          break;
        }
        int t = (int) c[1];
        int s = (int) c[2];
        long take =
            Math.min(
                need,
                Math.min(left[t - p.firstSlot()][s], j.maxUnitsPerSlot() - rateUsed[t - from]));
        if (take <= 0) {
          continue;
        }
        placements.add(new Placement(ji, t, s, take));
        left[t - p.firstSlot()][s] -= take;
        rateUsed[t - from] += take;
        need -= take;
      }
      unserved[ji] = need;
    }
    return new Plan(placements, unserved);
  }

  /** Carbon-blind: every job at its home site, as early as it may run, at full parallelism. */
  public static Plan asap(SchedulingProblem p) {
    List<Job> jobs = p.jobs();
    long[][] left = new long[p.slots()][p.sites()];
    for (int t = 0; t < p.slots(); t++) {
      for (int s = 0; s < p.sites(); s++) {
        left[t][s] = p.capacityUnits(p.firstSlot() + t, s);
      }
    }
    List<Placement> placements = new ArrayList<>();
    long[] unserved = new long[jobs.size()];
    for (int ji = 0; ji < jobs.size(); ji++) {
      Job j = jobs.get(ji);
      long need = j.units();
      for (int t = Math.max(j.earliestSlot(), p.firstSlot());
          t <= Math.min(j.deadlineSlot(), p.lastSlot()) && need > 0;
          t++) {
        long take =
            Math.min(need, Math.min(j.maxUnitsPerSlot(), left[t - p.firstSlot()][j.homeSite()]));
        if (take > 0) {
          placements.add(new Placement(ji, t, j.homeSite(), take));
          left[t - p.firstSlot()][j.homeSite()] -= take;
          need -= take;
        }
      }
      unserved[ji] = need;
    }
    return new Plan(placements, unserved);
  }
}
