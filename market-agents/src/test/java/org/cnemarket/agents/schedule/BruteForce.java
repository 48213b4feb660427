package org.cnemarket.agents.schedule;

import java.util.ArrayList;
import java.util.List;

/** Enumerates every integer schedule of a small problem and returns the best score. */
final class BruteForce {
  private final SchedulingProblem p;
  private final Objective o;
  private final long[][] left;
  private long best = Long.MAX_VALUE;

  private BruteForce(SchedulingProblem p, Objective o) {
    this.p = p;
    this.o = o;
    this.left = new long[p.slots()][p.sites()];
    for (int t = 0; t < p.slots(); t++) {
      for (int s = 0; s < p.sites(); s++) {
        left[t][s] = p.capacityUnits(p.firstSlot() + t, s);
      }
    }
  }

  static long bestScore(SchedulingProblem p, Objective o) {
    BruteForce b = new BruteForce(p, o);
    b.job(0, 0);
    return b.best;
  }

  private void job(int ji, long score) {
    if (ji == p.jobs().size()) {
      best = Math.min(best, score);
      return;
    }
    Job j = p.jobs().get(ji);
    List<int[]> cells = new ArrayList<>();
    for (int t = Math.max(j.earliestSlot(), p.firstSlot());
        t <= Math.min(j.deadlineSlot(), p.lastSlot());
        t++) {
      for (int s : j.allowedSites()) {
        cells.add(new int[] {t, s});
      }
    }
    cell(ji, j, cells, 0, j.units(), new long[p.slots()], score);
  }

  /** Distributes {@code need} units over cells[i..]; what is left is unserved. */
  private void cell(int ji, Job j, List<int[]> cells, int i, long need, long[] rate, long score) {
    if (i == cells.size() || need == 0) {
      long penalty =
          Math.multiplyExact(need, Math.multiplyExact(o.missPenaltyMicrosPerUnit(), 1_000_000L));
      job(ji + 1, score + penalty);
      return;
    }
    int t = cells.get(i)[0];
    int s = cells.get(i)[1];
    int ti = t - p.firstSlot();
    long max = Math.min(need, Math.min(left[ti][s], j.maxUnitsPerSlot() - rate[ti]));
    for (long u = 0; u <= max; u++) {
      left[ti][s] -= u;
      rate[ti] += u;
      cell(ji, j, cells, i + 1, need - u, rate, score + u * p.unitScore(j, t, s, o));
      left[ti][s] += u;
      rate[ti] -= u;
    }
  }
}
