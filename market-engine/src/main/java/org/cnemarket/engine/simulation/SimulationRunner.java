package org.cnemarket.engine.simulation;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnemarket.agents.forecast.Forecast;
import org.cnemarket.agents.schedule.GreedyScheduler;
import org.cnemarket.agents.schedule.Job;
import org.cnemarket.agents.schedule.Objective;
import org.cnemarket.agents.schedule.Plan;
import org.cnemarket.agents.schedule.SchedulingProblem;
import org.cnemarket.core.model.Role;
import org.cnemarket.engine.ledger.embedded.LedgerAudit;
import org.cnemarket.engine.round.PowerProfile;
import org.cnemarket.engine.round.PricingRoundClearing;
import org.cnemarket.engine.round.RoundParameters;

/**
 * Runs the chosen strategies of a scenario side by side and writes CSV, summary JSON and the HTML
 * report.
 */
public final class SimulationRunner {
  /** What to run. {@code parameters} null: the scenario's mechanisms. */
  public record Options(
      Scenario scenario,
      int days,
      List<Strategy> strategies,
      boolean settle,
      Path out,
      RoundParameters parameters,
      String forecast,
      Long carbonPriceMicrosPerKg,
      boolean progress) {}

  private final PrintWriter out;
  private final PrintWriter err;

  public SimulationRunner(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  public Map<String, Object> run(Options o) throws Exception {
    Scenario sc = o.scenario();
    int maxDays = Math.min(SeriesData.MAX_DAYS, sc.maxDays());
    if (o.days() < 1 || o.days() > maxDays) {
      throw new IllegalArgumentException(
          "--days must be between 1 and " + maxDays + " (the shipped data)");
    }
    RoundParameters params = o.parameters() != null ? o.parameters() : sc.parameters();
    Forecast forecast = Forecast.of(o.forecast() != null ? o.forecast() : sc.forecast());
    long carbonPrice =
        o.carbonPriceMicrosPerKg() != null
            ? o.carbonPriceMicrosPerKg()
            : sc.carbonPriceMicrosPerKg();
    if (carbonPrice < 0) {
      throw new IllegalArgumentException("the carbon price must not be negative");
    }
    Objective objective = Objective.carbonPrice(carbonPrice);
    Files.createDirectories(o.out());
    World world = new World(sc, SeriesData.load(), o.days());
    Simulator sim = new Simulator(world, forecast);
    Map<String, PowerProfile> profiles = new LinkedHashMap<>();
    for (World.Provider p : world.providers) {
      profiles.put(p.key().address(), p.power());
    }
    out.printf(
        "simulating %s: %d days, %d providers, %d microgrids, %d users, %d training jobs; %s%n",
        sc.name(),
        o.days(),
        world.providers.size(),
        world.microgrids.size(),
        world.users.size(),
        world.jobs.size(),
        String.join(", ", o.strategies().stream().map(Strategy::label).toList()));
    out.flush();
    List<Simulator.Result> results = new ArrayList<>();
    Map<String, Object> settlement = new LinkedHashMap<>();
    int slots = o.days() * 24;
    for (Strategy s : o.strategies()) {
      Progress bar = new Progress(err, s.label(), slots, o.progress());
      if (o.settle()) {
        Path dir = o.out().resolve("ledger").resolve(s.label());
        Map<String, Object> st = new LinkedHashMap<>();
        try (LedgerMarket market = new LedgerMarket(dir, params)) {
          join(world, market);
          results.add(sim.run(s, market, objective, bar::update));
          var cons = market.conservation();
          st.put("dataDir", dir.toString());
          st.put("conserved", cons.conserved());
          st.put("depositsMicros", cons.depositsMicros());
          st.put("availableMicros", cons.availableMicros());
          st.put("escrowMicros", cons.escrowMicros());
          st.put("ledgerHeight", market.ledgerHeight());
          settlement.put(s.label(), st);
        }
        LedgerAudit.Report audit = LedgerAudit.verify(dir);
        st.put("auditVerified", audit.verified());
        st.put("auditTrades", audit.trades());
      } else {
        try (DirectMarket market =
            new DirectMarket(
                new ZonedRoundClearing(new PricingRoundClearing()), params, profiles)) {
          results.add(sim.run(s, market, objective, bar::update));
        }
      }
      bar.done();
    }
    Map<String, Object> summary =
        summary(sc, o, params, forecast, carbonPrice, world, sim, results);
    if (!settlement.isEmpty()) {
      summary.put("settlement", settlement);
    }
    Report.write(o.out(), summary, results, world);
    return summary;
  }

  private static void join(World world, LedgerMarket market) {
    for (World.Provider p : world.providers) {
      market.join(p.key(), Role.PROVIDER, p.name(), p.power());
    }
    for (World.Microgrid g : world.microgrids) {
      market.join(g.key(), Role.MICROGRID, g.name(), null);
    }
    for (World.Grid g : world.grids) {
      market.join(g.key(), Role.MICROGRID, g.name(), null);
    }
    for (World.User u : world.users) {
      market.join(u.key(), Role.USER, u.name(), null);
    }
  }

  private Map<String, Object> summary(
      Scenario sc,
      Options o,
      RoundParameters params,
      Forecast forecast,
      long carbonPrice,
      World world,
      Simulator sim,
      List<Simulator.Result> results) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("scenario", sc.name());
    s.put("description", sc.description());
    s.put("days", (long) o.days());
    s.put(
        "firstSlotUtc",
        Instant.ofEpochSecond((SeriesData.FIRST_SLOT + world.firstIndex) * 3600).toString());
    s.put("mechanism", params.toJson());
    s.put("forecast", forecast.name());
    s.put("carbonPriceMicrosPerKg", carbonPrice);
    s.put("providers", (long) world.providers.size());
    s.put("microgrids", (long) world.microgrids.size());
    s.put("users", (long) world.users.size());
    s.put("trainingJobs", (long) world.jobs.size());
    Map<String, Object> strategies = new LinkedHashMap<>();
    Metrics blind = null;
    Metrics online = null;
    Metrics optimum = null;
    for (Simulator.Result r : results) {
      switch (r.strategy()) {
        case CARBON_BLIND -> blind = r.metrics();
        case TIME_LOCATION -> online = r.metrics();
        case OPTIMUM -> optimum = r.metrics();
        default -> {}
      }
    }
    for (Simulator.Result r : results) {
      Map<String, Object> m = r.metrics().toJson();
      if (blind != null && blind.mgCo2PerUnit() > 0) {
        m.put(
            "carbonReductionBps",
            (blind.mgCo2PerUnit() - r.metrics().mgCo2PerUnit()) * 10_000 / blind.mgCo2PerUnit());
        m.put(
            "costChangeBps",
            blind.costMicrosPerUnit() == 0
                ? 0
                : (r.metrics().costMicrosPerUnit() - blind.costMicrosPerUnit())
                    * 10_000
                    / blind.costMicrosPerUnit());
      }
      strategies.put(r.strategy().label(), m);
    }
    s.put("strategies", strategies);
    if (blind != null && online != null) {
      Map<String, Object> t = new LinkedHashMap<>();
      long reduction =
          (blind.mgCo2PerUnit() - online.mgCo2PerUnit())
              * 10_000
              / Math.max(1, blind.mgCo2PerUnit());
      long costUp =
          (online.costMicrosPerUnit() - blind.costMicrosPerUnit())
              * 10_000
              / Math.max(1, blind.costMicrosPerUnit());
      t.put("carbonReductionBps", reduction);
      t.put("carbonReductionMet", reduction >= 3_000);
      t.put("costIncreaseBps", costUp);
      t.put("costIncreaseMet", costUp <= 500);
      t.put("deadlineMisses", online.deadlineMisses);
      t.put("deadlineMissesMet", online.deadlineMisses == 0);
      if (optimum != null) {
        long best = blind.mgCo2PerUnit() - optimum.mgCo2PerUnit();
        long reach = best <= 0 ? 0 : (blind.mgCo2PerUnit() - online.mgCo2PerUnit()) * 10_000 / best;
        t.put("optimumCarbonReductionBps", best * 10_000 / Math.max(1, blind.mgCo2PerUnit()));
        t.put("onlineReachBps", reach);
        t.put("onlineReachMet", reach >= 9_000);
      }
      s.put("targets", t);
    }
    long t0 = System.currentTimeMillis();
    s.put("frontier", frontier(sc, world, sim));
    s.put("frontierMillis", System.currentTimeMillis() - t0);
    s.put(
        "optimumSolvedExactly",
        Simulator.exact(
            sim.problem(
                new Forecast.Perfect(),
                world.firstIndex,
                world.firstIndex,
                world.endIndex - 1,
                world.jobs.stream().map(World.TrainingJob::job).toList())));
    s.put("forecastError", sim.forecastError());
    s.put(
        "data",
        "CAISO/ERCOT 2022 (US EIA Form EIA-930 via HewlettPackard/dc-rl), DK1/DK2 2023 (Energinet),"
            + " DE PV 2020 (PVGIS via oemof-solph), Google clusterdata-2011-2 (CC BY 4.0); aligned by hour of year;"
            + " US prices are a fossil-share proxy (see market-engine/src/main/resources/simulation/README.md)");
    return s;
  }

  /**
   * The cost/carbon frontier of the deferrable work: the perfect-foresight plan for each carbon
   * price of the sweep (and carbon-blind ASAP as the reference), valued on the real series.
   */
  private static List<Object> frontier(Scenario sc, World world, Simulator sim) {
    List<Object> points = new ArrayList<>();
    if (world.jobs.isEmpty()) {
      return points;
    }
    List<Job> jobs = world.jobs.stream().map(World.TrainingJob::job).toList();
    SchedulingProblem p =
        sim.problem(
            new Forecast.Perfect(), world.firstIndex, world.firstIndex, world.endIndex - 1, jobs);
    points.add(point("carbon-blind", -1, GreedyScheduler.asap(p), p));
    for (long price : sc.carbonPriceSweepMicrosPerKg()) {
      points.add(
          point("optimum", price, Simulator.offlinePlan(Objective.carbonPrice(price), p), p));
    }
    return points;
  }

  private static Map<String, Object> point(
      String kind, long price, Plan plan, SchedulingProblem p) {
    Map<String, Object> m = new LinkedHashMap<>();
    long units = Math.max(1, plan.placedUnits());
    m.put("plan", kind);
    m.put("carbonPriceMicrosPerKg", price);
    m.put("costMicrosPerUnit", plan.costMicros(p) / units);
    m.put("mgCo2PerUnit", plan.carbonMg(p) / units);
    m.put("unservedUnits", plan.unservedTotal());
    return m;
  }

  /** A one-line progress bar on the error stream, redrawn every simulated day. */
  static final class Progress {
    private final PrintWriter err;
    private final String label;
    private final int total;
    private final boolean on;
    private final long started = System.currentTimeMillis();

    Progress(PrintWriter err, String label, int total, boolean on) {
      this.err = err;
      this.label = label;
      this.total = total;
      this.on = on;
    }

    void update(int done) {
      if (on && (done % 24 == 0 || done == total)) {
        int width = 30;
        int filled = (int) ((long) done * width / total);
        err.printf(
            "\r%-14s [%s%s] %3d%% %d/%d rounds %.1f s",
            label,
            "#".repeat(filled),
            " ".repeat(width - filled),
            done * 100 / total,
            done,
            total,
            (System.currentTimeMillis() - started) / 1000.0);
        err.flush();
      }
    }

    void done() {
      if (on) {
        err.println();
        err.flush();
      }
    }
  }
}
