package org.cnemarket.load;

import com.sun.management.OperatingSystemMXBean;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.engine.simulation.Scenario;
import org.cnemarket.engine.simulation.SimulationRunner;
import org.cnemarket.engine.simulation.Strategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The simulator's speed benchmark: runs {@code simulate} (the same {@link SimulationRunner} the CLI
 * runs) on a scenario scaled to several market sizes and reports, per size, rounds, orders, the
 * round loop's wall time, the process CPU it used, time per order and per round, and the machine's
 * load average. Time per order staying flat as the market grows is the linearity check.
 */
@Command(
    name = "simulation-benchmark",
    mixinStandardHelpOptions = true,
    description = "Times cne-engine simulate at several market sizes.")
public final class SimulationBenchmark implements Callable<Integer> {

  @Option(
      names = "--scenario",
      defaultValue = "scenarios/scale-100p-50m-1000u.json",
      description = "scenario at scale 1 (default ${DEFAULT-VALUE})")
  Path scenario;

  @Option(names = "--days", defaultValue = "28", description = "days (default ${DEFAULT-VALUE})")
  int days;

  @Option(
      names = "--strategy",
      defaultValue = "time-location",
      description = "strategy (default ${DEFAULT-VALUE})")
  String strategy;

  @Option(
      names = "--scales",
      defaultValue = "0.25,0.5,1",
      split = ",",
      description =
          "market sizes as fractions of the scenario's providers, microgrids and users"
              + " (default ${DEFAULT-VALUE})")
  List<Double> scales;

  @Option(names = "--settle", description = "settle every round on the embedded ledger")
  boolean settle;

  @Option(
      names = "--out",
      defaultValue = "target/simulation-benchmark",
      description = "report directory (default ${DEFAULT-VALUE})")
  Path out;

  @Option(
      names = "--warmup-days",
      defaultValue = "3",
      description =
          "days of an unrecorded run at the first scale before measuring, so that JIT"
              + " compilation is not charged to the first size (default ${DEFAULT-VALUE}; 0: none)")
  int warmupDays;

  @Option(names = "--json", description = "print one JSON object per size")
  boolean json;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SimulationBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Map<String, Object> base = Json.parseObject(Files.readString(scenario));
    Strategy s = Strategy.parse(strategy);
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    PrintWriter quiet = new PrintWriter(OutputStream.nullOutputStream());
    if (!json) {
      System.out.printf(
          "%-6s %9s %10s %6s %9s %9s %12s %12s %10s %10s %s%n",
          "scale",
          "providers",
          "microgrids",
          "users",
          "rounds",
          "orders",
          "loop wall s",
          "CPU s",
          "µs/order",
          "ms/round",
          "load average (1/5/15 min) before → after");
    }
    if (warmupDays > 0) {
      Path dir = out.resolve("warmup");
      deleteTree(dir);
      new SimulationRunner(quiet, quiet)
          .run(
              new SimulationRunner.Options(
                  Scenario.parse(Json.write(scaled(base, scales.get(0)))),
                  warmupDays,
                  List.of(s),
                  settle,
                  dir,
                  null,
                  null,
                  null,
                  false));
    }
    List<long[]> points = new ArrayList<>();
    for (double scale : scales) {
      Scenario sc = Scenario.parse(Json.write(scaled(base, scale)));
      Path dir = out.resolve(String.format(Locale.ROOT, "scale-%s", scale));
      deleteTree(dir);
      String loadBefore = loadAverage();
      long cpu0 = os.getProcessCpuTime();
      long wall0 = System.nanoTime();
      Map<String, Object> summary =
          new SimulationRunner(quiet, quiet)
              .run(
                  new SimulationRunner.Options(
                      sc, days, List.of(s), settle, dir, null, null, null, false));
      long wallMillis = (System.nanoTime() - wall0) / 1_000_000;
      long cpuMillis = (os.getProcessCpuTime() - cpu0) / 1_000_000;
      Fields m = Fields.of(summary, "summary").object("strategies").object(s.label());
      long loopMillis = m.longValue("elapsedMillis");
      long orders = m.longValue("orders");
      long rounds = m.longValue("rounds");
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("scale", scale);
      row.put("providers", summary.get("providers"));
      row.put("microgrids", summary.get("microgrids"));
      row.put("users", summary.get("users"));
      row.put("days", (long) days);
      row.put("strategy", s.label());
      row.put("settle", settle);
      row.put("rounds", rounds);
      row.put("orders", orders);
      row.put("trades", m.longValue("trades"));
      row.put("roundLoopMillis", loopMillis);
      row.put("runMillis", wallMillis);
      row.put("processCpuMillis", cpuMillis);
      row.put("microsPerOrder", loopMillis * 1000 / Math.max(1, orders));
      row.put("microsPerRound", loopMillis * 1000 / Math.max(1, rounds));
      row.put("cpuMicrosPerOrder", cpuMillis * 1000 / Math.max(1, orders));
      row.put("loadAverageBefore", loadBefore);
      row.put("loadAverageAfter", loadAverage());
      if (settle) {
        row.put("settlement", summary.get("settlement"));
      }
      if (json) {
        System.out.println(Json.write(row));
      } else {
        System.out.printf(
            Locale.ROOT,
            "%-6s %9d %10d %6d %9d %9d %12.1f %12.1f %10d %10.1f %12d %s → %s%n",
            scale,
            (Long) summary.get("providers"),
            (Long) summary.get("microgrids"),
            (Long) summary.get("users"),
            rounds,
            orders,
            loopMillis / 1000.0,
            cpuMillis / 1000.0,
            loopMillis * 1000 / Math.max(1, orders),
            loopMillis / (double) Math.max(1, rounds),
            cpuMillis * 1000 / Math.max(1, orders),
            loadBefore,
            row.get("loadAverageAfter"));
      }
      System.out.flush();
      points.add(new long[] {orders, loopMillis, cpuMillis});
    }
    if (points.size() > 1) {
      String line =
          String.format(
              Locale.ROOT,
              "round loop wall time grows as orders^%.2f, process CPU time as orders^%.2f"
                  + " (least squares on log-log; 1.00 is linear)",
              growthExponent(points.stream().map(p -> new long[] {p[0], p[1]}).toList()),
              growthExponent(points.stream().map(p -> new long[] {p[0], p[2]}).toList()));
      System.out.println(json ? Json.write(Map.of("growthExponent", line)) : line);
    }
    return 0;
  }

  /** The least-squares slope of ln(time) over ln(orders): 1 for linear growth. */
  static double growthExponent(List<long[]> ordersAndMillis) {
    int n = ordersAndMillis.size();
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (long[] p : ordersAndMillis) {
      double x = Math.log(Math.max(1, p[0]));
      double y = Math.log(Math.max(1, p[1]));
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    double den = n * sxx - sx * sx;
    return den == 0 ? Double.NaN : (n * sxy - sx * sy) / den;
  }

  /** The scenario with its providers, microgrids and users multiplied by {@code scale}. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> scaled(Map<String, Object> base, double scale) {
    if (!(scale > 0)) {
      throw new IllegalArgumentException("scales must be positive");
    }
    Map<String, Object> sc = new LinkedHashMap<>(base);
    sc.put("name", base.get("name") + " × " + scale);
    for (String list : List.of("microgrids", "providers", "workloads")) {
      Object v = base.get(list);
      if (!(v instanceof List<?> items)) {
        continue;
      }
      List<Object> out = new ArrayList<>();
      for (Object item : items) {
        Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) item);
        for (String count : List.of("count", "users")) {
          if (m.get(count) instanceof Number n) {
            m.put(count, Math.max(1L, Math.round(n.longValue() * scale)));
          }
        }
        out.add(m);
      }
      sc.put(list, out);
    }
    return sc;
  }

  private static String loadAverage() {
    try {
      String[] f =
          Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "n/a";
    }
  }

  private static void deleteTree(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
