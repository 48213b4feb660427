package org.cnemarket.engine.simulation;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cnemarket.core.codec.Json;
import org.cnemarket.engine.round.RoundParameters;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cne-engine simulate}: a scenario's strategies side by side through the market's clearing.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Run a scenario's agents for N days of real hourly data through the market's round clearing,"
          + " one run per strategy, and write slots.csv, summary.json and report.html to --out."
    })
public final class SimulateCommand implements Callable<Integer> {
  @Option(
      names = "--scenario",
      required = true,
      description = "scenario JSON file (see docs/simulation.md)")
  Path scenario;

  @Option(
      names = "--days",
      defaultValue = "28",
      description = "simulated days, 1..28 (default ${DEFAULT-VALUE})")
  int days;

  @Option(
      names = "--strategy",
      split = ",",
      description =
          "strategies to compare (default all): carbon-blind, market, time-shifting, time-location, optimum")
  List<String> strategies;

  @Option(
      names = "--settle",
      description = "settle every round on an embedded ledger under DIR/ledger/STRATEGY")
  boolean settle;

  @Option(names = "--out", required = true, description = "output directory")
  Path out;

  @Option(
      names = "--energy-mechanism",
      description = "override the scenario's: uniform, mcafee or lp")
  String energyMechanism;

  @Option(
      names = "--compute-mechanism",
      description = "override the scenario's: uniform or stackelberg")
  String computeMechanism;

  @Option(
      names = "--k-permille",
      description = "override the scenario's k of the k-double auction, in 1/1000")
  Long kPermille;

  @Option(
      names = "--forecast",
      description =
          "override the scenario's forecast: persistence, seasonal, seasonal-corrected or perfect")
  String forecast;

  @Option(
      names = "--carbon-price",
      description = "carbon price the schedulers use, micro-credits per kg CO2")
  Long carbonPrice;

  @Option(names = "--json", description = "print the summary as JSON on the last line")
  boolean json;

  @Option(names = "--no-progress", description = "do not draw the progress bar")
  boolean noProgress;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // ojAlgo prints a hardware-profile notice on first use unless told not to.
    if (System.getProperty("shut.up.ojAlgo") == null) {
      System.setProperty("shut.up.ojAlgo", "true");
    }
    if (!Files.isRegularFile(scenario)) {
      err.println("cne-engine: no scenario file " + scenario);
      return 2;
    }
    Scenario sc;
    List<Strategy> chosen = new ArrayList<>();
    RoundParameters params;
    try {
      sc = Scenario.load(scenario);
      for (String s : strategies == null ? Strategy.labels() : strategies) {
        chosen.add(Strategy.parse(s.trim()));
      }
      RoundParameters base = sc.parameters();
      params =
          new RoundParameters(
              energyMechanism != null ? energyMechanism : base.energyMechanism(),
              kPermille != null ? kPermille : base.kPermille(),
              computeMechanism != null ? computeMechanism : base.computeMechanism());
    } catch (IllegalArgumentException e) {
      err.println("cne-engine: " + e.getMessage());
      return 2;
    }
    Map<String, Object> summary;
    try {
      summary =
          new SimulationRunner(out, err)
              .run(
                  new SimulationRunner.Options(
                      sc, days, chosen, settle, out(), params, forecast, carbonPrice, !noProgress));
    } catch (IllegalArgumentException e) {
      err.println("cne-engine: " + e.getMessage());
      return 2;
    }
    printSummary(out, summary);
    out.println("wrote " + this.out.resolve("report.html") + ", summary.json and slots.csv");
    if (json) {
      out.println(Json.write(summary));
    }
    out.flush();
    return 0;
  }

  private Path out() {
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void printSummary(PrintWriter out, Map<String, Object> summary) {
    out.printf(
        "%-14s %10s %9s %12s %8s %7s %10s %9s%n",
        "strategy", "gCO2/unit", "vs blind", "cost/unit", "vs blind", "green", "misses", "seconds");
    for (Map.Entry<String, Object> e :
        ((Map<String, Object>) summary.get("strategies")).entrySet()) {
      Map<String, Object> m = (Map<String, Object>) e.getValue();
      out.printf(
          "%-14s %10.1f %8s %12.4f %8s %6.1f%% %10s %9.1f%n",
          e.getKey(),
          (Long) m.get("mgCo2PerUnit") / 1000.0,
          m.containsKey("carbonReductionBps")
              ? String.format("%+.1f%%", -(Long) m.get("carbonReductionBps") / 100.0)
              : "",
          (Long) m.get("costMicrosPerUnit") / 1e6,
          m.containsKey("costChangeBps")
              ? String.format("%+.1f%%", (Long) m.get("costChangeBps") / 100.0)
              : "",
          (Long) m.get("greenShareBps") / 100.0,
          m.get("deadlineMisses") + "/" + m.get("jobs"),
          (Long) m.get("elapsedMillis") / 1000.0);
    }
    if (summary.get("settlement") instanceof Map<?, ?> st) {
      st.forEach(
          (k, v) ->
              out.printf(
                  "settled %s: credits conserved %s, audit verify %s (%s)%n",
                  k,
                  ((Map<String, Object>) v).get("conserved"),
                  ((Map<String, Object>) v).get("auditVerified"),
                  ((Map<String, Object>) v).get("dataDir")));
    }
  }
}
