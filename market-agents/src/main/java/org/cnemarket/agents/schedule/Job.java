package org.cnemarket.agents.schedule;

import java.util.List;

/**
 * A compute job: {@code units} compute units (server-hours) to run in slots {@code
 * earliestSlot..deadlineSlot} (inclusive), at most {@code maxUnitsPerSlot} per slot, on allowed
 * sites only. A latency-bound job (inference) has {@code deadlineSlot == earliestSlot}: it runs now
 * or not at all.
 *
 * @param homeSite the site nearest to the user; running elsewhere costs the network cost
 * @param allowedSites sites the job may run on (always including its home site)
 * @param networkCostMicrosPerUnit cost per unit moved from the home site to another site
 * @param valueMicrosPerUnit what the user is willing to pay per unit (its limit price)
 */
public record Job(
    String id,
    int homeSite,
    long units,
    long maxUnitsPerSlot,
    int earliestSlot,
    int deadlineSlot,
    List<Integer> allowedSites,
    long networkCostMicrosPerUnit,
    long valueMicrosPerUnit) {

  public Job {
    allowedSites = List.copyOf(allowedSites);
    if (units <= 0 || maxUnitsPerSlot <= 0) {
      throw new IllegalArgumentException("job " + id + ": units and parallelism must be positive");
    }
    if (deadlineSlot < earliestSlot) {
      throw new IllegalArgumentException("job " + id + ": deadline before earliest start");
    }
    if (!allowedSites.contains(homeSite)) {
      throw new IllegalArgumentException("job " + id + ": the home site must be allowed");
    }
    if (networkCostMicrosPerUnit < 0 || valueMicrosPerUnit <= 0) {
      throw new IllegalArgumentException(
          "job " + id + ": network cost must be >= 0 and value positive");
    }
  }

  public boolean latencyBound() {
    return deadlineSlot == earliestSlot;
  }

  /** Whether the job may run in {@code slot} on {@code site}. */
  public boolean allows(int slot, int site) {
    return slot >= earliestSlot && slot <= deadlineSlot && allowedSites.contains(site);
  }

  /** The same job restricted to its home site (time shifting only). */
  public Job homeOnly() {
    return new Job(
        id,
        homeSite,
        units,
        maxUnitsPerSlot,
        earliestSlot,
        deadlineSlot,
        List.of(homeSite),
        networkCostMicrosPerUnit,
        valueMicrosPerUnit);
  }

  /** The same job with {@code remaining} units left to run from {@code fromSlot} on. */
  public Job remaining(long remaining, int fromSlot) {
    return new Job(
        id,
        homeSite,
        remaining,
        maxUnitsPerSlot,
        Math.max(earliestSlot, fromSlot),
        Math.max(deadlineSlot, Math.max(earliestSlot, fromSlot)),
        allowedSites,
        networkCostMicrosPerUnit,
        valueMicrosPerUnit);
  }
}
