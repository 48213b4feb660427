package org.cnemarket.agents.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class SchedulerTest {

  /** A random instance: 1..3 jobs, 1..4 slots, 1..3 sites, small capacities (some tight). */
  static SchedulingProblem random(long seed, int maxUnits) {
    Random r = new Random(seed);
    int slots = 1 + r.nextInt(4);
    int sites = 1 + r.nextInt(3);
    int first = 100;
    long[][] cost = new long[slots][sites];
    long[][] carbon = new long[slots][sites];
    long[][] cap = new long[slots][sites];
    for (int t = 0; t < slots; t++) {
      for (int s = 0; s < sites; s++) {
        cost[t][s] = 10_000 + r.nextInt(90_000);
        carbon[t][s] = r.nextInt(600_000);
        cap[t][s] = r.nextInt(4);
      }
    }
    List<Job> jobs = new ArrayList<>();
    int n = 1 + r.nextInt(3);
    for (int i = 0; i < n; i++) {
      int e = first + r.nextInt(slots);
      int d = e + r.nextInt(slots - (e - first));
      int home = r.nextInt(sites);
      List<Integer> allowed = new ArrayList<>();
      for (int s = 0; s < sites; s++) {
        if (s == home || r.nextBoolean()) {
          allowed.add(s);
        }
      }
      jobs.add(
          new Job(
              "j" + i,
              home,
              1 + r.nextInt(maxUnits),
              1 + r.nextInt(3),
              e,
              d,
              allowed,
              r.nextInt(20_000),
              500_000));
    }
    return new SchedulingProblem(first, cost, carbon, cap, jobs);
  }

  @Property(tries = 200)
  void offlineOptimumEqualsBruteForce(
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed,
      @ForAll @LongRange(min = 0, max = 300_000) long carbonPrice) {
    SchedulingProblem p = random(seed, 4);
    Objective o = Objective.carbonPrice(carbonPrice);
    Plan plan = OfflineOptimum.solve(p, o);
    assertThat(plan.violations(p)).isEmpty();
    assertThat(plan.score(p, o)).isEqualTo(BruteForce.bestScore(p, o));
  }

  @Property(tries = 300)
  void noPlanLeavesWindowRegionCapacityOrParallelism(
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed,
      @ForAll @LongRange(min = 0, max = 300_000) long carbonPrice) {
    SchedulingProblem p = random(seed, 8);
    Objective o = Objective.carbonPrice(carbonPrice);
    for (Plan plan :
        List.of(GreedyScheduler.plan(p, o), GreedyScheduler.asap(p), OfflineOptimum.solve(p, o))) {
      assertThat(plan.violations(p)).isEmpty();
      for (Placement x : plan.placements()) {
        Job j = p.jobs().get(x.jobIndex());
        assertThat(x.slot()).isBetween(j.earliestSlot(), j.deadlineSlot());
        assertThat(j.allowedSites()).contains(x.site());
      }
    }
  }

  @Property(tries = 100)
  void rollingOptimumIsValidAndExactWithOneBlock(
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    SchedulingProblem p = random(seed, 6);
    Objective o = Objective.carbonPrice(100_000);
    Plan one = OfflineOptimum.solveRolling(p, o, p.slots(), p.slots());
    assertThat(one.violations(p)).isEmpty();
    assertThat(one.score(p, o)).isEqualTo(OfflineOptimum.solve(p, o).score(p, o));
    Plan rolled = OfflineOptimum.solveRolling(p, o, 2, 1);
    assertThat(rolled.violations(p)).isEmpty();
  }

  @Property(tries = 100)
  void optimumIsNeverWorseThanTheOnlinePlanOnTheSameData(
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    SchedulingProblem p = random(seed, 6);
    Objective o = Objective.carbonPrice(100_000);
    assertThat(OfflineOptimum.solve(p, o).score(p, o))
        .isLessThanOrEqualTo(GreedyScheduler.plan(p, o).score(p, o));
  }

  @Test
  void aDeferrableJobWaitsForTheGreenHourAndMovesWhenNetworkIsCheap() {
    // Two sites; site 1 is clean in slot 2. The job may run in slots 0..2 and on both sites.
    long[][] cost = {{50_000, 50_000}, {50_000, 50_000}, {50_000, 50_000}};
    long[][] carbon = {{400_000, 300_000}, {400_000, 300_000}, {380_000, 20_000}};
    long[][] cap = {{10, 10}, {10, 10}, {10, 10}};
    Job j = new Job("train", 0, 8, 8, 0, 2, List.of(0, 1), 1_000, 500_000);
    SchedulingProblem p = new SchedulingProblem(0, cost, carbon, cap, List.of(j));
    Objective o = Objective.carbonPrice(100_000); // 100 credits per tonne
    Plan best = OfflineOptimum.solve(p, o);
    assertThat(best.placements()).containsExactly(new Placement(0, 2, 1, 8));
    Plan greedy = GreedyScheduler.plan(p, o);
    assertThat(greedy.placements()).containsExactly(new Placement(0, 2, 1, 8));
    // Time shifting only: it stays home and runs in the cleanest home slot.
    SchedulingProblem home = new SchedulingProblem(0, cost, carbon, cap, List.of(j.homeOnly()));
    assertThat(GreedyScheduler.plan(home, o).placements())
        .containsExactly(new Placement(0, 2, 0, 8));
    // Carbon-blind runs at once, at home.
    assertThat(GreedyScheduler.asap(p).placements()).containsExactly(new Placement(0, 0, 0, 8));
  }

  @Test
  void aCarbonBudgetTradesCostForCarbon() {
    long[][] cost = {{10_000, 40_000}};
    long[][] carbon = {{500_000, 50_000}};
    long[][] cap = {{10, 10}};
    Job j = new Job("j", 0, 10, 10, 0, 0, List.of(0, 1), 0, 500_000);
    SchedulingProblem p = new SchedulingProblem(0, cost, carbon, cap, List.of(j));
    Objective o = Objective.carbonPrice(0);
    assertThat(OfflineOptimum.solve(p, o).carbonMg(p)).isEqualTo(5_000_000);
    Plan capped = OfflineOptimum.solve(p, o, OptionalLong.of(2_300_000));
    assertThat(capped.carbonMg(p)).isLessThanOrEqualTo(2_300_000);
    assertThat(capped.placedUnits()).isEqualTo(10);
    assertThat(capped.violations(p)).isEmpty();
  }

  @Test
  void unavoidableMissesAreReportedNotHidden() {
    long[][] cost = {{10_000}};
    long[][] carbon = {{1}};
    long[][] cap = {{3}};
    Job j = new Job("big", 0, 5, 5, 0, 0, List.of(0), 0, 500_000);
    SchedulingProblem p = new SchedulingProblem(0, cost, carbon, cap, List.of(j));
    Plan plan = OfflineOptimum.solve(p, Objective.carbonPrice(0));
    assertThat(plan.unservedTotal()).isEqualTo(2);
    assertThat(plan.violations(p)).isEmpty();
  }
}
