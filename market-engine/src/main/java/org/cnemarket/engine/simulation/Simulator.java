package org.cnemarket.engine.simulation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.cnemarket.agents.agent.Battery;
import org.cnemarket.agents.agent.MicrogridAgent;
import org.cnemarket.agents.agent.Nonces;
import org.cnemarket.agents.agent.ProviderAgent;
import org.cnemarket.agents.agent.ProviderStrategy;
import org.cnemarket.agents.agent.UserAgent;
import org.cnemarket.agents.forecast.Forecast;
import org.cnemarket.agents.forecast.ForecastError;
import org.cnemarket.agents.schedule.GreedyScheduler;
import org.cnemarket.agents.schedule.Job;
import org.cnemarket.agents.schedule.Objective;
import org.cnemarket.agents.schedule.OfflineOptimum;
import org.cnemarket.agents.schedule.Placement;
import org.cnemarket.agents.schedule.Plan;
import org.cnemarket.agents.schedule.SchedulingProblem;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;

/**
 * Runs one strategy over a scenario's world, round by round: the scheduler places deferrable work,
 * the agents turn plans and forecasts into orders, the market clears them, and the outcome (fills,
 * not plans) is accounted: energy a provider did not buy is drawn from the grid at 1.5 × its price
 * and the grid's carbon intensity (imbalance), bought energy it did not use is paid for and wasted.
 */
final class Simulator {
  /** One zone in one slot, as the CSV reports it. */
  record SlotRow(
      Strategy strategy,
      int index,
      int zone,
      long energyPriceMicros,
      long energyWh,
      long greenWh,
      long carbonMg,
      long computeMilliUnits,
      long computePriceMicros,
      long renewableOfferedWh,
      long curtailedWh,
      long shiftedMilliUnits,
      long movedInMilliUnits,
      long gridCarbonMgPerKwh) {}

  record Result(Strategy strategy, Metrics metrics, List<SlotRow> rows) {}

  private enum Owner {
    PROVIDER_BID,
    PROVIDER_OFFER,
    MG_OUTPUT,
    MG_STORAGE,
    GRID,
    TRAINING,
    INFERENCE
  }

  private record Tag(Owner owner, int who, int job, int zone) {}

  static final long IMBALANCE_BPS = 15_000;

  /** Horizon the online scheduler looks ahead at most. */
  static final int MAX_HORIZON = 24 * 7;

  /** Online plans aim to finish this many hours before the deadline. */
  static final int SAFETY_HOURS = 6;

  /** Share of its remaining hours a job must need at full parallelism before its bid rises. */
  static final long URGENT_BPS = 7_500;

  private final World w;
  private final Forecast forecast;
  private final int zones;
  private final long[][] gridPrice;
  private final long[][] gridCarbon;
  final Map<String, ForecastError> forecastErrors = new LinkedHashMap<>();

  Simulator(World world, Forecast forecast) {
    this.w = world;
    this.forecast = forecast;
    this.zones = world.scenario.zones().size();
    gridPrice = new long[zones][SeriesData.HOURS];
    gridCarbon = new long[zones][SeriesData.HOURS];
    for (int z = 0; z < zones; z++) {
      for (int t = 0; t < SeriesData.HOURS; t++) {
        gridPrice[z][t] = world.gridPrice(z, t);
        gridCarbon[z][t] = world.gridCarbon(z, t);
      }
    }
  }

  /**
   * Per-unit cost, carbon and capacity of every (slot, zone) cell of [from, to], as forecast at
   * {@code now}.
   */
  SchedulingProblem problem(Forecast f, int now, int from, int to, List<Job> jobs) {
    int h = to - from + 1;
    long[][] cost = new long[h][zones];
    long[][] carbon = new long[h][zones];
    long[][] cap = new long[h][zones];
    for (int i = 0; i < h; i++) {
      int t = from + i;
      for (int z = 0; z < zones; z++) {
        long wh = w.zoneWhPerUnit[z];
        long price = f.at(gridPrice[z], now, t);
        long ci = f.at(gridCarbon[z], now, t);
        long ren = f.at(w.renewableWh[z], now, t);
        long free = f.at(w.freeUnits[z], now, t);
        long infer = f.at(w.inferenceMilli[z], now, t);
        long units = Math.max(0, free - (infer + 999) / 1000);
        // Renewables serve the latency-bound load first; the rest lowers the carbon of the cell.
        long surplusWh = Math.max(0, ren - infer * wh / 1000);
        long cellWh = Math.max(1, units * wh);
        long greenWh = Math.min(surplusWh, cellWh);
        long mix = (greenWh * w.zoneRenewableCarbon[z] + (cellWh - greenWh) * ci) / cellWh;
        cost[i][z] = price * wh / 1000 + w.zoneOtherCost[z];
        carbon[i][z] = mix * wh / 1000;
        cap[i][z] = units;
      }
    }
    return new SchedulingProblem(from, cost, carbon, cap, jobs);
  }

  /** Above this many job-slot variables the optimum is solved in overlapping blocks. */
  static final long EXACT_LIMIT = 4_000;

  static final int BLOCK_HOURS = 120;
  static final int STRIDE_HOURS = 48;

  /** The perfect-foresight plan of every training job over the whole run. */
  Plan offlinePlan(Objective o) {
    return offlinePlan(
        o,
        problem(
            new Forecast.Perfect(),
            w.firstIndex,
            w.firstIndex,
            w.endIndex - 1,
            w.jobs.stream().map(World.TrainingJob::job).toList()));
  }

  static Plan offlinePlan(Objective o, SchedulingProblem p) {
    return exact(p)
        ? OfflineOptimum.solve(p, o)
        : OfflineOptimum.solveRolling(p, o, BLOCK_HOURS, STRIDE_HOURS);
  }

  static boolean exact(SchedulingProblem p) {
    long vars = 0;
    for (Job j : p.jobs()) {
      vars += j.deadlineSlot() - j.earliestSlot() + 1;
    }
    return vars <= EXACT_LIMIT;
  }

  Result run(Strategy strategy, SimMarket market, Objective objective, IntConsumer progress)
      throws Exception {
    long started = System.currentTimeMillis();
    Metrics m = new Metrics();
    List<SlotRow> rows = new ArrayList<>();
    int nJobs = w.jobs.size();
    long[] doneMilli = new long[nJobs];
    boolean[] closed = new boolean[nJobs];
    m.jobs = nJobs;
    // Offline plan, by slot, for the optimum strategy.
    Map<Integer, List<Placement>> planned = new HashMap<>();
    long[] plannedAfter = new long[nJobs];
    if (strategy == Strategy.OPTIMUM) {
      for (Placement p : offlinePlan(objective).placements()) {
        planned.computeIfAbsent(p.slot(), k -> new ArrayList<>()).add(p);
        plannedAfter[p.jobIndex()] += p.units();
      }
    }
    ProviderStrategy ps =
        strategy.carbonAware()
            ? new ProviderStrategy.Green(2_000)
            : new ProviderStrategy.CarbonBlind();
    boolean uniformCompute = !w.scenario.parameters().compute().providersSetPrices();
    List<ProviderAgent> providers = new ArrayList<>();
    for (World.Provider p : w.providers) {
      providers.add(
          new ProviderAgent(
              p.key().address(),
              w.scenario.zones().get(p.zone()).id(),
              p.whPerUnit(),
              p.otherCostMicrosPerUnit(),
              ps,
              uniformCompute));
    }
    List<MicrogridAgent> microgrids = new ArrayList<>();
    for (World.Microgrid g : w.microgrids) {
      Battery b =
          g.spec().batteryWh() > 0
              ? new Battery(
                  g.spec().batteryWh(),
                  g.spec().batteryMaxWh(),
                  g.spec().batteryMaxWh(),
                  g.spec().batteryEfficiencyBps())
              : null;
      microgrids.add(
          new MicrogridAgent(
              g.key().address(),
              w.scenario.zones().get(g.zone()).id(),
              g.spec().source(),
              b,
              9_000));
    }
    List<UserAgent> users = new ArrayList<>();
    for (World.User u : w.users) {
      users.add(new UserAgent(u.key().address(), strategy.carbonAware() ? 5_000 : 0));
    }
    Map<String, Nonces> nonces = new HashMap<>();
    int jobCursor = 0;
    List<Integer> pending = new ArrayList<>();

    for (int now = w.firstIndex; now < w.endIndex; now++) {
      long slot = SeriesData.FIRST_SLOT + now;
      while (jobCursor < nJobs && w.jobs.get(jobCursor).job().earliestSlot() <= now) {
        pending.add(jobCursor++);
      }
      // 1. Where deferrable work runs this slot: jobIndex -> units per zone.
      Map<Integer, long[]> place =
          decide(strategy, objective, now, pending, doneMilli, planned, plannedAfter);
      // 2. Latency-bound work and the committed load per zone.
      long[] committedMilli = new long[zones];
      place.forEach(
          (j, perZone) -> {
            for (int z = 0; z < zones; z++) {
              committedMilli[z] += perZone[z] * 1000;
            }
          });
      for (int z = 0; z < zones; z++) {
        committedMilli[z] += w.inferenceMilli[z][now];
      }
      List<Order> orders = new ArrayList<>();
      List<Tag> tags = new ArrayList<>();
      // 3. Providers: offers first, then each zone's committed load in merit order becomes their
      // energy bids.
      long[] offerPrice = new long[providers.size()];
      long[] freeUnits = new long[providers.size()];
      for (int i = 0; i < providers.size(); i++) {
        World.Provider p = w.providers.get(i);
        freeUnits[i] = w.free(p, now);
        long energyCost =
            uniformCompute ? p.whPerUnit() * forecast.at(gridPrice[p.zone()], now, now) / 1000 : 0;
        offerPrice[i] = ps.computeOfferMicros(p.otherCostMicrosPerUnit(), energyCost);
      }
      Integer[] merit = new Integer[providers.size()];
      for (int i = 0; i < merit.length; i++) {
        merit[i] = i;
      }
      Arrays.sort(
          merit, Comparator.comparingLong((Integer i) -> offerPrice[i]).thenComparingInt(i -> i));
      long[] left = committedMilli.clone();
      for (int i : merit) {
        World.Provider p = w.providers.get(i);
        long units = Math.min(freeUnits[i], (left[p.zone()] + 999) / 1000);
        left[p.zone()] = Math.max(0, left[p.zone()] - units * 1000);
        long fp = forecast.at(gridPrice[p.zone()], now, now);
        for (Order o :
            providers
                .get(i)
                .orders(
                    new ProviderAgent.Outlook(slot, units, freeUnits[i], fp),
                    nonces(nonces, p.key().address(), slot))) {
          if (o.kind() == OrderKind.COMPUTE_OFFER && uniformCompute) {
            o = withPrice(o, offerPrice[i]);
          }
          orders.add(o);
          tags.add(
              new Tag(
                  o.kind() == OrderKind.ENERGY_BID ? Owner.PROVIDER_BID : Owner.PROVIDER_OFFER,
                  i,
                  -1,
                  p.zone()));
        }
      }
      // 4. Microgrids and the grid supply of each zone.
      long[] outputWh = new long[microgrids.size()];
      long[] offeredPerZone = new long[zones];
      for (int i = 0; i < microgrids.size(); i++) {
        World.Microgrid g = w.microgrids.get(i);
        outputWh[i] = w.outputWh(g, now);
        offeredPerZone[g.zone()] += outputWh[i];
        for (Order o :
            microgrids
                .get(i)
                .offers(
                    slot,
                    outputWh[i],
                    g.spec().priceMicrosPerKwh(),
                    g.spec().carbonMgPerKwh(),
                    forecast.at(gridPrice[g.zone()], now, now),
                    nonces(nonces, g.key().address(), slot))) {
          orders.add(o);
          tags.add(
              new Tag(
                  o.source() == EnergySource.STORAGE ? Owner.MG_STORAGE : Owner.MG_OUTPUT,
                  i,
                  -1,
                  g.zone()));
        }
      }
      long[] zoneMaxWh = new long[zones];
      for (World.Provider p : w.providers) {
        zoneMaxWh[p.zone()] += p.servers() * p.whPerUnit();
      }
      for (World.Grid g : w.grids) {
        if (zoneMaxWh[g.zone()] == 0) {
          continue;
        }
        orders.add(
            new Order(
                    OrderKind.ENERGY_OFFER,
                    g.key().address(),
                    slot,
                    w.scenario.zones().get(g.zone()).id(),
                    zoneMaxWh[g.zone()] * 2,
                    Math.max(1, gridPrice[g.zone()][now]),
                    EnergySource.GRID,
                    0,
                    gridCarbon[g.zone()][now],
                    0,
                    nonces(nonces, g.key().address(), slot).next(),
                    0)
                .validate());
        tags.add(new Tag(Owner.GRID, g.zone(), -1, g.zone()));
      }
      // 5. Users: the placed units of their jobs, and their latency-bound inference.
      for (Map.Entry<Integer, long[]> e : place.entrySet()) {
        World.TrainingJob tj = w.jobs.get(e.getKey());
        World.User u = w.users.get(tj.user());
        for (int z = 0; z < zones; z++) {
          if (e.getValue()[z] > 0) {
            orders.add(
                users
                    .get(tj.user())
                    .demand(
                        slot,
                        w.scenario.zones().get(z).id(),
                        e.getValue()[z],
                        urgentValue(tj.job(), doneMilli[e.getKey()], now),
                        0,
                        nonces(nonces, u.key().address(), slot)));
            tags.add(new Tag(Owner.TRAINING, tj.user(), e.getKey(), z));
          }
        }
      }
      for (int ui = 0; ui < w.users.size(); ui++) {
        World.User u = w.users.get(ui);
        long milli = w.inferenceMilli(u, now);
        if (milli > 0) {
          Order o =
              users
                  .get(ui)
                  .demand(
                      slot,
                      w.scenario.zones().get(u.home()).id(),
                      1,
                      u.workload().valueMicrosPerUnit(),
                      u.workload().latencyMs(),
                      nonces(nonces, u.key().address(), slot));
          orders.add(
              new Order(
                      o.kind(),
                      o.trader(),
                      o.slot(),
                      o.zone(),
                      milli,
                      o.priceMicros(),
                      o.source(),
                      o.greenBps(),
                      o.carbonMgPerKwh(),
                      o.latencyMs(),
                      o.nonce(),
                      o.expiry())
                  .validate());
          tags.add(new Tag(Owner.INFERENCE, ui, -1, u.home()));
        }
      }

      // 6. Clear, then account what actually traded.
      List<SimMarket.Match> matches = market.clear(slot, orders);
      m.orders += orders.size();
      m.trades += matches.size();
      m.rounds++;
      account(
          strategy,
          now,
          orders,
          tags,
          matches,
          m,
          rows,
          doneMilli,
          outputWh,
          offeredPerZone,
          microgrids);
      // 7. Deadlines.
      for (var it = pending.iterator(); it.hasNext(); ) {
        int j = it.next();
        Job job = w.jobs.get(j).job();
        if (doneMilli[j] >= job.units() * 1000) {
          it.remove();
          closed[j] = true;
        } else if (job.deadlineSlot() <= now) {
          m.deadlineMisses++;
          m.missedMilliUnits += job.units() * 1000 - doneMilli[j];
          it.remove();
          closed[j] = true;
        }
      }
      if (progress != null) {
        progress.accept(now - w.firstIndex + 1);
      }
    }
    market.finish();
    m.elapsedMillis = System.currentTimeMillis() - started;
    return new Result(strategy, m, rows);
  }

  private static Order withPrice(Order o, long price) {
    return new Order(
            o.kind(),
            o.trader(),
            o.slot(),
            o.zone(),
            o.quantity(),
            Math.max(1, price),
            o.source(),
            o.greenBps(),
            o.carbonMgPerKwh(),
            o.latencyMs(),
            o.nonce(),
            o.expiry())
        .validate();
  }

  private static Nonces nonces(Map<String, Nonces> all, String address, long slot) {
    Nonces n = all.computeIfAbsent(address, a -> new Nonces(0));
    n.atLeast(slot * 4096);
    return n;
  }

  private Map<Integer, long[]> decide(
      Strategy s,
      Objective o,
      int now,
      List<Integer> pending,
      long[] doneMilli,
      Map<Integer, List<Placement>> planned,
      long[] plannedAfter) {
    Map<Integer, long[]> place = new HashMap<>();
    if (pending.isEmpty()) {
      return place;
    }
    if (!s.shifts()) {
      for (int j : pending) {
        Job job = w.jobs.get(j).job();
        long remaining = remainingUnits(job, doneMilli[j]);
        long[] z = new long[zones];
        z[job.homeSite()] = Math.min(remaining, job.maxUnitsPerSlot());
        place.put(j, z);
      }
      return place;
    }
    List<Job> jobs = new ArrayList<>();
    List<Integer> index = new ArrayList<>();
    if (s == Strategy.OPTIMUM) {
      for (Placement p : planned.getOrDefault(now, List.of())) {
        place.computeIfAbsent(p.jobIndex(), k -> new long[zones])[p.site()] += p.units();
        plannedAfter[p.jobIndex()] -= p.units();
      }
      // Whatever the market did not fill as planned is re-planned with perfect foresight.
      for (int j : pending) {
        Job job = w.jobs.get(j).job();
        long placedNow = place.containsKey(j) ? Arrays.stream(place.get(j)).sum() : 0;
        long deficit = remainingUnits(job, doneMilli[j]) - placedNow - plannedAfter[j];
        if (deficit > 0) {
          jobs.add(job.remaining(deficit, now));
          index.add(j);
        }
      }
    } else {
      for (int j : pending) {
        Job job = w.jobs.get(j).job();
        long rem = remainingUnits(job, doneMilli[j]);
        // Plan to finish SAFETY_HOURS early where the window allows: forecasts and fills can
        // disappoint.
        int needSlots = (int) ((rem + job.maxUnitsPerSlot() - 1) / job.maxUnitsPerSlot());
        int planDeadline =
            Math.max(
                Math.min(job.deadlineSlot(), now + needSlots * 2 - 1),
                job.deadlineSlot() - SAFETY_HOURS);
        Job r = job.remaining(rem, now);
        r =
            new Job(
                r.id(),
                r.homeSite(),
                r.units(),
                r.maxUnitsPerSlot(),
                r.earliestSlot(),
                Math.max(r.earliestSlot(), Math.min(r.deadlineSlot(), planDeadline)),
                r.allowedSites(),
                r.networkCostMicrosPerUnit(),
                r.valueMicrosPerUnit());
        jobs.add(s == Strategy.TIME_SHIFTING ? r.homeOnly() : r);
        index.add(j);
      }
    }
    if (jobs.isEmpty()) {
      return place;
    }
    int to = now;
    for (Job j : jobs) {
      to = Math.max(to, j.deadlineSlot());
    }
    to = Math.min(to, Math.min(now + MAX_HORIZON, w.endIndex - 1));
    Forecast f = s == Strategy.OPTIMUM ? new Forecast.Perfect() : forecast;
    SchedulingProblem p = problem(f, now, now, to, clip(jobs, to));
    Plan plan = GreedyScheduler.plan(p, o);
    for (Placement x : plan.placements()) {
      if (x.slot() == now) {
        place.computeIfAbsent(index.get(x.jobIndex()), k -> new long[zones])[x.site()] += x.units();
      }
    }
    // A job whose deadline is now and which the plan could not fit still tries at home.
    for (int i = 0; i < jobs.size(); i++) {
      if (jobs.get(i).deadlineSlot() == now && plan.unservedUnits()[i] > 0) {
        long[] z = place.computeIfAbsent(index.get(i), k -> new long[zones]);
        long room = jobs.get(i).maxUnitsPerSlot() - Arrays.stream(z).sum();
        z[jobs.get(i).homeSite()] += Math.max(0, Math.min(room, plan.unservedUnits()[i]));
      }
    }
    return place;
  }

  /**
   * The user's limit price: its value, raised up to 25 % as the job runs out of slack, so that when
   * capacity is short the market serves the jobs closest to their deadline first. The raise starts
   * only when the job needs more than {@link #URGENT_BPS} of its remaining hours at full
   * parallelism: a shifted job keeps bidding its value while it still has slack, since under a
   * uniform price every raised bid lifts the price all buyers pay.
   */
  static long urgentValue(Job job, long doneMilli, int now) {
    long rem = remainingUnits(job, doneMilli);
    long needSlots = (rem + job.maxUnitsPerSlot() - 1) / job.maxUnitsPerSlot();
    long slotsLeft = Math.max(1, job.deadlineSlot() - now + 1);
    long urgencyBps = Math.min(10_000, needSlots * 10_000 / slotsLeft);
    long raiseBps = Math.max(0, urgencyBps - URGENT_BPS) * 10_000 / (10_000 - URGENT_BPS);
    return job.valueMicrosPerUnit() + job.valueMicrosPerUnit() * raiseBps / 40_000;
  }

  private static List<Job> clip(List<Job> jobs, int to) {
    List<Job> out = new ArrayList<>(jobs.size());
    for (Job j : jobs) {
      out.add(
          j.deadlineSlot() <= to
              ? j
              : new Job(
                  j.id(),
                  j.homeSite(),
                  j.units(),
                  j.maxUnitsPerSlot(),
                  j.earliestSlot(),
                  to,
                  j.allowedSites(),
                  j.networkCostMicrosPerUnit(),
                  j.valueMicrosPerUnit()));
    }
    return out;
  }

  private static long remainingUnits(Job job, long doneMilli) {
    return Math.max(0, (job.units() * 1000 - doneMilli + 999) / 1000);
  }

  private void account(
      Strategy s,
      int now,
      List<Order> orders,
      List<Tag> tags,
      List<SimMarket.Match> matches,
      Metrics m,
      List<SlotRow> rows,
      long[] doneMilli,
      long[] outputWh,
      long[] offeredPerZone,
      List<MicrogridAgent> microgrids) {
    int np = w.providers.size();
    long[] boughtWh = new long[np];
    long[] boughtCarbon = new long[np];
    long[] boughtGreen = new long[np];
    long[] soldMilli = new long[np];
    long[] mgOutputSold = new long[microgrids.size()];
    long[] mgStorageSold = new long[microgrids.size()];
    long[] zEnergyValue = new long[zones];
    long[] zEnergyWh = new long[zones];
    long[] zComputeValue = new long[zones];
    long[] zComputeMilli = new long[zones];
    long[] zShifted = new long[zones];
    long[] zMovedIn = new long[zones];
    for (SimMarket.Match x : matches) {
      Tag buy = tags.get(x.buyIndex());
      Tag sell = tags.get(x.sellIndex());
      m.platformFeeMicros += x.feeMicros();
      if (x.market() == OrderKind.Market.ENERGY) {
        boughtWh[buy.who()] += x.quantity();
        boughtCarbon[buy.who()] += x.carbonMg();
        boughtGreen[buy.who()] += x.greenWh();
        m.providerEnergyCostMicros += x.amountMicros() + x.feeMicros();
        zEnergyValue[buy.zone()] += x.quantity() * x.priceMicros();
        zEnergyWh[buy.zone()] += x.quantity();
        switch (sell.owner()) {
          case MG_OUTPUT -> {
            mgOutputSold[sell.who()] += x.quantity();
            m.microgridRevenueMicros += x.amountMicros();
          }
          case MG_STORAGE -> {
            mgStorageSold[sell.who()] += x.quantity();
            m.microgridRevenueMicros += x.amountMicros();
          }
          default -> m.gridRevenueMicros += x.amountMicros();
        }
      } else {
        soldMilli[sell.who()] += x.quantity();
        m.providerRevenueMicros += x.amountMicros();
        m.userPaidMicros += x.amountMicros();
        m.computeMilliUnits += x.quantity();
        zComputeValue[buy.zone()] += x.quantity() * x.priceMicros();
        zComputeMilli[buy.zone()] += x.quantity();
        if (buy.owner() == Owner.TRAINING) {
          Job job = w.jobs.get(buy.job()).job();
          m.trainingMilliUnits += x.quantity();
          if (buy.zone() != job.homeSite()) {
            m.movedMilliUnits += x.quantity();
            m.networkCostMicros += job.networkCostMicrosPerUnit() * x.quantity() / 1000;
            zMovedIn[buy.zone()] += x.quantity();
          }
          // Units run later than running at once (full parallelism from release) would have run
          // them.
          long asapMilli =
              Math.min(job.units(), (long) (now - job.earliestSlot() + 1) * job.maxUnitsPerSlot())
                  * 1000;
          long from = doneMilli[buy.job()];
          long late = Math.max(0, from + x.quantity() - Math.max(from, asapMilli));
          m.shiftedMilliUnits += late;
          zShifted[buy.zone()] += late;
          doneMilli[buy.job()] += x.quantity();
        } else {
          m.inferenceMilliUnits += x.quantity();
        }
      }
    }
    // Latency-bound demand not served this slot is lost.
    for (int i = 0; i < orders.size(); i++) {
      if (tags.get(i).owner() == Owner.INFERENCE) {
        m.inferenceUnservedMilliUnits += orders.get(i).quantity();
      }
    }
    for (SimMarket.Match x : matches) {
      if (x.market() == OrderKind.Market.COMPUTE
          && tags.get(x.buyIndex()).owner() == Owner.INFERENCE) {
        m.inferenceUnservedMilliUnits -= x.quantity();
      }
    }
    // Physical energy: what the sold compute needed, from the market first, the grid for the rest.
    long[] zWh = new long[zones];
    long[] zGreen = new long[zones];
    long[] zCarbon = new long[zones];
    for (int i = 0; i < np; i++) {
      World.Provider p = w.providers.get(i);
      long needWh = soldMilli[i] * p.whPerUnit() / 1000;
      long usedWh = Math.min(needWh, boughtWh[i]);
      long carbon = boughtWh[i] == 0 ? 0 : boughtCarbon[i] * usedWh / boughtWh[i];
      long green = boughtWh[i] == 0 ? 0 : boughtGreen[i] * usedWh / boughtWh[i];
      long shortWh = needWh - usedWh;
      long imbalanceMicros = shortWh * gridPrice[p.zone()][now] * IMBALANCE_BPS / 10_000 / 1000;
      m.providerEnergyCostMicros += imbalanceMicros;
      m.providerOtherCostMicros += soldMilli[i] * p.otherCostMicrosPerUnit() / 1000;
      m.balancingWh += shortWh;
      carbon += shortWh * gridCarbon[p.zone()][now] / 1000;
      zWh[p.zone()] += needWh;
      zGreen[p.zone()] += green;
      zCarbon[p.zone()] += carbon;
    }
    long[] zCurtailed = new long[zones];
    for (int i = 0; i < microgrids.size(); i++) {
      World.Microgrid g = w.microgrids.get(i);
      long curtailed =
          microgrids
              .get(i)
              .settle(outputWh[i], mgOutputSold[i], mgStorageSold[i], g.spec().carbonMgPerKwh());
      zCurtailed[g.zone()] += curtailed;
      m.renewableOfferedWh += outputWh[i];
      m.renewableSoldWh += mgOutputSold[i];
      m.storageSoldWh += mgStorageSold[i];
      m.curtailedWh += curtailed;
    }
    for (int z = 0; z < zones; z++) {
      m.energyWh += zWh[z];
      m.greenWh += zGreen[z];
      m.carbonMg += zCarbon[z];
      rows.add(
          new SlotRow(
              s,
              now,
              z,
              zEnergyWh[z] == 0 ? 0 : zEnergyValue[z] / zEnergyWh[z],
              zWh[z],
              zGreen[z],
              zCarbon[z],
              zComputeMilli[z],
              zComputeMilli[z] == 0 ? 0 : zComputeValue[z] / zComputeMilli[z],
              offeredPerZone[z],
              zCurtailed[z],
              zShifted[z],
              zMovedIn[z],
              gridCarbon[z][now]));
    }
  }

  /** Day-ahead forecast error of the scenario's forecast on each zone's price and carbon series. */
  Map<String, Object> forecastError() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int z = 0; z < zones; z++) {
      ForecastError price = new ForecastError();
      ForecastError carbon = new ForecastError();
      for (int now = w.firstIndex; now < w.endIndex; now++) {
        for (int h = 0; h < 24 && now + h < w.endIndex; h++) {
          price.add(forecast.at(gridPrice[z], now, now + h), gridPrice[z][now + h]);
          carbon.add(forecast.at(gridCarbon[z], now, now + h), gridCarbon[z][now + h]);
        }
      }
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("priceMicrosPerKwh", price.toJson());
      e.put("carbonMgPerKwh", carbon.toJson());
      out.put(w.scenario.zones().get(z).name(), e);
    }
    return out;
  }
}
