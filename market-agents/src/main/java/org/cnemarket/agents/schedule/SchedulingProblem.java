package org.cnemarket.agents.schedule;

import java.util.List;

/**
 * Jobs and the per-unit cost, carbon and capacity of every (slot, site) cell of a horizon {@code
 * firstSlot .. firstSlot + slots - 1}. Costs and carbon are per compute unit: energy price (or
 * carbon intensity) times the site's kWh per unit, plus its non-energy cost. Arrays are copied in;
 * indices are [slot - firstSlot][site].
 */
public final class SchedulingProblem {
  private final int firstSlot;
  private final int slots;
  private final int sites;
  private final long[][] unitCostMicros;
  private final long[][] unitCarbonMg;
  private final long[][] capacityUnits;
  private final List<Job> jobs;

  public SchedulingProblem(
      int firstSlot,
      long[][] unitCostMicros,
      long[][] unitCarbonMg,
      long[][] capacityUnits,
      List<Job> jobs) {
    this.firstSlot = firstSlot;
    this.slots = unitCostMicros.length;
    this.sites = slots == 0 ? 0 : unitCostMicros[0].length;
    if (unitCarbonMg.length != slots || capacityUnits.length != slots) {
      throw new IllegalArgumentException("cost, carbon and capacity must cover the same slots");
    }
    this.unitCostMicros = copy(unitCostMicros);
    this.unitCarbonMg = copy(unitCarbonMg);
    this.capacityUnits = copy(capacityUnits);
    this.jobs = List.copyOf(jobs);
    for (Job j : this.jobs) {
      for (int s : j.allowedSites()) {
        if (s < 0 || s >= sites) {
          throw new IllegalArgumentException("job " + j.id() + " allows unknown site " + s);
        }
      }
    }
  }

  private long[][] copy(long[][] a) {
    long[][] c = new long[a.length][];
    for (int i = 0; i < a.length; i++) {
      if (a[i].length != sites) {
        throw new IllegalArgumentException("every slot needs one value per site");
      }
      for (long v : a[i]) {
        if (v < 0) {
          throw new IllegalArgumentException("cost, carbon and capacity must not be negative");
        }
      }
      c[i] = a[i].clone();
    }
    return c;
  }

  /**
   * The cells of slots {@code from..to} with other jobs and {@code used} units already taken per
   * cell.
   */
  public SchedulingProblem window(int from, int to, List<Job> jobs, long[][] used) {
    int h = to - from + 1;
    long[][] cost = new long[h][];
    long[][] carbon = new long[h][];
    long[][] cap = new long[h][];
    for (int i = 0; i < h; i++) {
      int t = from + i - firstSlot;
      cost[i] = unitCostMicros[t].clone();
      carbon[i] = unitCarbonMg[t].clone();
      cap[i] = capacityUnits[t].clone();
      for (int s = 0; s < sites; s++) {
        cap[i][s] = Math.max(0, cap[i][s] - used[t][s]);
      }
    }
    return new SchedulingProblem(from, cost, carbon, cap, jobs);
  }

  public int firstSlot() {
    return firstSlot;
  }

  public int lastSlot() {
    return firstSlot + slots - 1;
  }

  public int slots() {
    return slots;
  }

  public int sites() {
    return sites;
  }

  public List<Job> jobs() {
    return jobs;
  }

  public boolean inHorizon(int slot) {
    return slot >= firstSlot && slot < firstSlot + slots;
  }

  public long unitCostMicros(int slot, int site) {
    return unitCostMicros[slot - firstSlot][site];
  }

  public long unitCarbonMg(int slot, int site) {
    return unitCarbonMg[slot - firstSlot][site];
  }

  public long capacityUnits(int slot, int site) {
    return capacityUnits[slot - firstSlot][site];
  }

  /**
   * The objective of one unit of {@code job} in a cell, in micro-micro-credits (micros × 10^6) so
   * that the carbon price (micros per kg) times mg stays an exact integer.
   */
  public long unitScore(Job job, int slot, int site, Objective objective) {
    long cost =
        unitCostMicros(slot, site) + (site == job.homeSite() ? 0 : job.networkCostMicrosPerUnit());
    return Math.addExact(
        Math.multiplyExact(cost, 1_000_000L),
        Math.multiplyExact(objective.carbonPriceMicrosPerKg(), unitCarbonMg(slot, site)));
  }
}
