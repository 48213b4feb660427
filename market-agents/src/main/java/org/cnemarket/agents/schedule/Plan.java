package org.cnemarket.agents.schedule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A schedule: where and when every unit runs, and what is left unserved per job.
 *
 * @param unservedUnits per job (index as in the problem), units not placed by the deadline
 */
public record Plan(List<Placement> placements, long[] unservedUnits) {
  public Plan {
    placements = List.copyOf(placements);
    unservedUnits = unservedUnits.clone();
  }

  /**
   * The objective value in micro-micro-credits, as {@link SchedulingProblem#unitScore} counts it.
   */
  public long score(SchedulingProblem p, Objective o) {
    long total = 0;
    for (Placement x : placements) {
      total =
          Math.addExact(
              total,
              Math.multiplyExact(
                  x.units(), p.unitScore(p.jobs().get(x.jobIndex()), x.slot(), x.site(), o)));
    }
    for (long u : unservedUnits) {
      total =
          Math.addExact(
              total,
              Math.multiplyExact(u, Math.multiplyExact(o.missPenaltyMicrosPerUnit(), 1_000_000L)));
    }
    return total;
  }

  /** Cost in micro-credits (energy, non-energy and network), without the carbon price. */
  public long costMicros(SchedulingProblem p) {
    long total = 0;
    for (Placement x : placements) {
      Job j = p.jobs().get(x.jobIndex());
      long unit =
          p.unitCostMicros(x.slot(), x.site())
              + (x.site() == j.homeSite() ? 0 : j.networkCostMicrosPerUnit());
      total = Math.addExact(total, Math.multiplyExact(unit, x.units()));
    }
    return total;
  }

  public long carbonMg(SchedulingProblem p) {
    long total = 0;
    for (Placement x : placements) {
      total =
          Math.addExact(total, Math.multiplyExact(p.unitCarbonMg(x.slot(), x.site()), x.units()));
    }
    return total;
  }

  public long placedUnits() {
    return placements.stream().mapToLong(Placement::units).sum();
  }

  public long unservedTotal() {
    long t = 0;
    for (long u : unservedUnits) {
      t += u;
    }
    return t;
  }

  /** Every rule a plan must keep; empty when it keeps them all. */
  public List<String> violations(SchedulingProblem p) {
    List<String> out = new ArrayList<>();
    int n = p.jobs().size();
    if (unservedUnits.length != n) {
      out.add("unserved units must list every job");
      return out;
    }
    long[] placed = new long[n];
    long[][] used = new long[p.slots()][p.sites()];
    Map<Long, Long> perJobSlot = new HashMap<>();
    for (Placement x : placements) {
      if (x.jobIndex() < 0 || x.jobIndex() >= n) {
        out.add("placement of unknown job " + x.jobIndex());
        continue;
      }
      Job j = p.jobs().get(x.jobIndex());
      if (!j.allows(x.slot(), x.site())) {
        out.add(
            "job "
                + j.id()
                + " placed outside its window or regions: slot "
                + x.slot()
                + " site "
                + x.site());
        continue;
      }
      if (!p.inHorizon(x.slot())) {
        out.add("job " + j.id() + " placed outside the horizon: slot " + x.slot());
        continue;
      }
      placed[x.jobIndex()] += x.units();
      used[x.slot() - p.firstSlot()][x.site()] += x.units();
      long key = ((long) x.jobIndex() << 32) | (x.slot() & 0xffffffffL);
      long rate = perJobSlot.merge(key, x.units(), Long::sum);
      if (rate > j.maxUnitsPerSlot()) {
        out.add(
            "job "
                + j.id()
                + " runs "
                + rate
                + " units in slot "
                + x.slot()
                + ", above its parallelism");
      }
    }
    for (int i = 0; i < n; i++) {
      if (unservedUnits[i] < 0 || placed[i] + unservedUnits[i] != p.jobs().get(i).units()) {
        out.add(
            "job "
                + p.jobs().get(i).id()
                + ": placed "
                + placed[i]
                + " + unserved "
                + unservedUnits[i]
                + " != "
                + p.jobs().get(i).units());
      }
    }
    for (int t = 0; t < p.slots(); t++) {
      for (int s = 0; s < p.sites(); s++) {
        if (used[t][s] > p.capacityUnits(p.firstSlot() + t, s)) {
          out.add("slot " + (p.firstSlot() + t) + " site " + s + " over capacity: " + used[t][s]);
        }
      }
    }
    return out;
  }
}
