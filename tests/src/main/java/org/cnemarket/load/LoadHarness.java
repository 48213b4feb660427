package org.cnemarket.load;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.cnemarket.contracts.AnvilNode;
import org.cnemarket.core.client.MarketClient;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.eip712.Eip712;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code load}: the engine's load harness. {@code intake} measures accepted signed orders per
 * second over REST against the raw signature-recovery rate of the same cores, in one run; {@code
 * round} measures whole rounds (intake, clear and commit, settle, proofs, memory, disk) at one or
 * more scales.
 */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    version = "CNE Market load harness 0.1.0",
    description = "Load harness of the CNE Market engine.",
    subcommands = {LoadHarness.Intake.class, LoadHarness.Round.class})
public final class LoadHarness implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    CommandLine cl = new CommandLine(new LoadHarness());
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          cmd.getErr()
              .println("load: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
          return 2;
        });
    System.exit(cl.execute(args));
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** Where the engine comes from and which ledger it uses; shared by both modes. */
  static final class EngineOptions {
    @Option(
        names = "--url",
        description =
            "attach to a running engine (operator token in CNE_OPERATOR_TOKEN)"
                + " instead of starting one")
    String url;

    @Option(
        names = "--engine-jar",
        defaultValue = "market-engine/target/cne-engine.jar",
        description = "the engine jar to start (default ${DEFAULT-VALUE})")
    Path engineJar;

    @Option(
        names = "--work",
        description =
            "directory for the started engines' data (default: a new temporary"
                + " directory, deleted afterwards unless --keep)")
    Path work;

    @Option(names = "--keep", description = "keep the started engines' data directories")
    boolean keep;

    @Option(
        names = "--engine-heap",
        description = "-Xmx of the started engine, e.g. 1g (default: the JVM's)")
    String heap;

    @Option(
        names = "--engine-jvm-option",
        description =
            "one more option for the started engine's JVM, e.g. -XX:+UseParallelGC (repeatable)")
    List<String> jvmOptions = new ArrayList<>();

    @Option(
        names = "--ledger-max-lag-millis",
        description =
            "the started engine's cne.ledger.max-lag-millis: how long the ledger feed may wait"
                + " under continuous intake (default: the engine's, 2000); an intake pass longer"
                + " than that shares the cores with the feed")
    Long ledgerMaxLagMillis;

    @Option(
        names = "--ledger",
        defaultValue = "embedded",
        description = "embedded (default), evm or fabric")
    String ledger;

    @Option(
        names = "--rpc",
        description =
            "EVM JSON-RPC URL (with --ledger evm; default: start anvil from"
                + " contracts/node_modules)")
    String rpc;

    @Option(
        names = "--fabric-profile",
        description = "Fabric connection profile (with --ledger fabric)")
    Path fabricProfile;

    @Option(
        names = "--participants",
        defaultValue = "128",
        description = "microgrids + providers trading (half each; default ${DEFAULT-VALUE})")
    int participants;

    @Option(names = "--seed", description = "seed of keys and orders (default: random)")
    Long seed;

    @Option(
        names = "--batch",
        defaultValue = "1",
        description =
            "orders per request: 1 posts each to /v1/orders; more posts each trader's orders in"
                + " batches of up to this many to /v1/orders/batch (default ${DEFAULT-VALUE})")
    int batch = 1;

    @Option(names = "--json", description = "print a JSON summary as the last line")
    boolean json;

    long seed() {
      if (seed == null) {
        seed = new SecureRandom().nextLong() & Long.MAX_VALUE;
      }
      return seed;
    }

    int batch() {
      if (batch < 1 || batch > 1000) {
        throw new IllegalArgumentException("--batch must be 1 to 1000");
      }
      return batch;
    }
  }

  /** Starts (or attaches to) the engine and whatever ledger node it needs; closes both. */
  static final class Setup implements AutoCloseable {
    final EngineProcess engine;
    final AnvilNode anvil;
    final Path dataDir;
    final boolean deleteData;

    private Setup(EngineProcess engine, AnvilNode anvil, Path dataDir, boolean deleteData) {
      this.engine = engine;
      this.anvil = anvil;
      this.dataDir = dataDir;
      this.deleteData = deleteData;
    }

    static Setup open(EngineOptions o, String name) throws Exception {
      if (o.url != null) {
        String token = System.getenv("CNE_OPERATOR_TOKEN");
        if (token == null || token.isBlank()) {
          throw new IllegalArgumentException(
              "with --url, set CNE_OPERATOR_TOKEN to the engine's operator token");
        }
        return new Setup(EngineProcess.attach(o.url, token, null), null, null, false);
      }
      Path dir = o.work == null ? Files.createTempDirectory("cne-load-") : o.work;
      Path data = dir.resolve(name);
      if (Files.exists(data)) {
        throw new IllegalArgumentException(
            data + " exists already; choose another --work directory");
      }
      List<String> jvm = new ArrayList<>();
      if (o.heap != null) {
        jvm.add("-Xmx" + o.heap);
      }
      jvm.addAll(o.jvmOptions);
      List<String> ledgerArgs = new ArrayList<>(List.of("--ledger", o.ledger));
      Map<String, String> env = new LinkedHashMap<>();
      if (o.ledgerMaxLagMillis != null) {
        env.put("CNE_LEDGER_MAX_LAG_MILLIS", Long.toString(o.ledgerMaxLagMillis));
      }
      AnvilNode anvil = null;
      switch (o.ledger) {
        case "embedded" -> {}
        case "evm" -> {
          String rpc = o.rpc;
          if (rpc == null) {
            anvil = AnvilNode.start();
            rpc = anvil.rpcUrl();
          }
          ledgerArgs.addAll(List.of("--rpc", rpc));
          String key = System.getenv("CNE_EVM_KEY");
          env.put("CNE_EVM_KEY", key != null ? key : AnvilNode.DEV_PRIVATE_KEYS.get(0));
        }
        case "fabric" -> {
          if (o.fabricProfile == null) {
            throw new IllegalArgumentException(
                "--ledger fabric needs --fabric-profile (see network-config/README.md)");
          }
          ledgerArgs.addAll(List.of("--fabric-profile", o.fabricProfile.toString()));
        }
        default -> throw new IllegalArgumentException("--ledger must be embedded, evm or fabric");
      }
      try {
        EngineProcess e =
            EngineProcess.start(o.engineJar, data, jvm, ledgerArgs, env, Duration.ofMinutes(3));
        return new Setup(
            e, anvil, o.work == null && !o.keep ? dir : null, o.work == null && !o.keep);
      } catch (Exception e) {
        if (anvil != null) {
          anvil.close();
        }
        throw e;
      }
    }

    @Override
    public void close() throws IOException {
      engine.close();
      if (anvil != null) {
        anvil.close();
      }
      if (deleteData && dataDir != null) {
        try (var walk = Files.walk(dataDir)) {
          for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }

  /** The engine's EIP-712 domain and the first slot still open for orders. */
  record Market(Eip712.Domain domain, long openSlot, String backend) {
    static Market of(String baseUrl) throws Exception {
      try (MarketClient c = MarketClient.connect(baseUrl, Duration.ofSeconds(60))) {
        Fields info = c.get("/v1/market");
        long nextHour = Instant.now().getEpochSecond() / 3600 + 1;
        long open =
            info.has("lastClosedSlot")
                ? Math.max(nextHour, info.longValue("lastClosedSlot") + 1)
                : nextHour;
        return new Market(
            RecordCodec.domain(info.object("domain")),
            open,
            info.object("ledger").string("backend"));
      }
    }
  }

  @Command(
      name = "intake",
      mixinStandardHelpOptions = true,
      description =
          "Accepted signed orders/s over REST (keep-alive, N connections) against the raw EIP-712"
              + " signature-recovery rate of this machine's cores, measured in one run.")
  static final class Intake implements Callable<Integer> {
    @CommandLine.Mixin EngineOptions engine;

    @Option(
        names = "--connections",
        split = ",",
        defaultValue = "16,64,256",
        description =
            "concurrent keep-alive connections, one measured pass each (default ${DEFAULT-VALUE})")
    List<Integer> connections;

    @Option(
        names = "--orders",
        defaultValue = "5000",
        description = "orders per pass (default ${DEFAULT-VALUE})")
    int orders;

    @Option(
        names = "--warmup",
        defaultValue = "1000",
        description =
            "orders sent before the first pass, shared twice over among the connection counts, each"
                + " part followed by the ledger's catch-up; not measured"
                + " (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(
        names = "--warmup-until-quiet",
        defaultValue = "0",
        description =
            "after --warmup, go on warming up in parts of --orders orders (cycling the connection"
                + " counts) until the engine's JIT compilers used at most --jit-quiet percent of"
                + " its CPU over one cycle of parts, sending at most this many orders more; 0 = off"
                + " (default ${DEFAULT-VALUE})")
    int warmupUntilQuiet;

    @Option(
        names = "--jit-quiet",
        defaultValue = "5",
        description =
            "the JIT compilers' share of the engine's CPU, percent, below which the warm-up counts"
                + " as done (default ${DEFAULT-VALUE})")
    double jitQuietPercent;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (orders < 1
          || warmup < 0
          || warmupUntilQuiet < 0
          || connections.stream().anyMatch(c -> c < 1 || c > 4096)) {
        throw new IllegalArgumentException(
            "--orders and --connections (1..4096) must be positive, the warm-ups not negative");
      }
      PrintWriter out = spec.commandLine().getOut();
      int cores = Runtime.getRuntime().availableProcessors();
      long seed = engine.seed();
      try (Setup s = Setup.open(engine, "intake");
          RestLoad load = new RestLoad()) {
        String url = s.engine.baseUrl();
        Market market = Market.of(url);
        int total = warmup + warmupUntilQuiet + orders * connections.size();
        int microgrids = Math.max(1, engine.participants / 2);
        int providers = Math.max(1, engine.participants - microgrids);
        long t0 = System.nanoTime();
        Population pop =
            Population.enrol(
                url,
                s.engine.operatorToken(),
                market.domain(),
                seed,
                microgrids,
                providers,
                PreparedOrder.providerDepositMicros(total, providers));
        out.printf(
            Locale.ROOT,
            "engine %s, %s ledger; %d participants enrolled in %.1f s%n",
            url,
            market.backend(),
            pop.size(),
            (System.nanoTime() - t0) / 1e9);
        out.flush();
        t0 = System.nanoTime();
        List<PreparedOrder> all =
            PreparedOrder.prepare(pop, market.domain(), seed, market.openSlot(), 0, total);
        out.printf(
            Locale.ROOT,
            "%d orders for slot %d signed in %.1f s (not measured)%n",
            total,
            market.openSlot(),
            (System.nanoTime() - t0) / 1e9);
        out.flush();

        RecoveryRate.Rate recoveriesBefore = recoveryRate(all, cores, out, "before the passes");
        // The warm-up is shared among the passes' connection counts, twice over, each part followed
        // by the ledger's catch-up as a pass is: the JIT sees every count's request and group sizes
        // and the alternation of intake and ledger work (which share the database's code) before
        // anything is measured. Engine CPU by threads showed the compilers taking a third of a
        // pass's CPU until then.
        List<Integer> warmupConnections = connections.stream().distinct().toList();
        int warmupParts = warmup == 0 ? 0 : 2 * warmupConnections.size();
        int sent = 0;
        for (int k = 0; k < warmupParts; k++) {
          int part = (int) ((long) warmup * (k + 1) / warmupParts) - sent;
          warmUp(
              s,
              load,
              url,
              all.subList(sent, sent + part),
              warmupConnections.get(k % warmupConnections.size()),
              engine.batch(),
              out);
          sent += part;
        }
        // Past the fixed warm-up, parts of a pass's size go on until the compilers are quiet over
        // a whole cycle of connection counts: a measured pass then shows the engine's steady state,
        // not the JIT's work of the first few hundred thousand orders.
        List<long[]> cycle = new ArrayList<>();
        int extra = 0;
        boolean quiet = false;
        for (int k = 0; extra + orders <= warmupUntilQuiet; k++) {
          int conns = warmupConnections.get(k % warmupConnections.size());
          cycle.add(
              warmUp(s, load, url, all.subList(sent, sent + orders), conns, engine.batch(), out));
          sent += orders;
          extra += orders;
          if (cycle.size() > warmupConnections.size()) {
            cycle.remove(0);
          }
          if (cycle.size() == warmupConnections.size() && quiet(cycle, jitQuietPercent)) {
            quiet = true;
            out.printf(
                Locale.ROOT,
                "compilers quiet: at most %.1f %% of the engine's CPU over the last %d parts%n",
                jitQuietPercent,
                cycle.size());
            break;
          }
        }
        if (warmupUntilQuiet > 0 && !quiet) {
          out.printf(Locale.ROOT, "compilers not quiet after %d more warm-up orders%n", extra);
        }
        List<Map<String, Object>> passes = new ArrayList<>();
        List<RestLoad.Result> results = new ArrayList<>();
        List<Long> cpuNanos = new ArrayList<>();
        List<Long> catchUpNanos = new ArrayList<>();
        List<Long> cpuWithLedgerNanos = new ArrayList<>();
        String loadBefore = loadAverage();
        int from = sent;
        awaitLedger(url, Duration.ofMinutes(30));
        List<Map<String, Long>> cpuByThreads = new ArrayList<>();
        List<Long> harnessCpu = new ArrayList<>();
        List<Long> faults = new ArrayList<>();
        // The machine's speed moves (a shared host): each pass is set against the recovery rate
        // measured just before and just after it, not only against the run's mean.
        List<Double> around = new ArrayList<>();
        around.add(RecoveryRate.between(all, cores).perSecond());
        for (int c : connections) {
          Map<String, Long> threadsBefore = s.engine.cpuMillisByThreads();
          long harnessBefore = harnessCpuNanos();
          long faultsBefore = s.engine.minorFaults();
          long cpuBefore = s.engine.cpuTime().map(Duration::toNanos).orElse(-1L);
          results.add(
              load.run(
                  url,
                  all.subList(from, from + orders),
                  c,
                  Duration.ofMinutes(60),
                  engine.batch()));
          long cpuAfter = s.engine.cpuTime().map(Duration::toNanos).orElse(-1L);
          Map<String, Long> byThreads = new TreeMap<>();
          s.engine
              .cpuMillisByThreads()
              .forEach((g, ms) -> byThreads.put(g, ms - threadsBefore.getOrDefault(g, 0L)));
          cpuByThreads.add(byThreads);
          harnessCpu.add(harnessCpuNanos() - harnessBefore);
          faults.add(faultsBefore < 0 ? -1L : s.engine.minorFaults() - faultsBefore);
          cpuNanos.add(cpuBefore < 0 ? -1L : cpuAfter - cpuBefore);
          // Acknowledged orders go onto the ledger afterwards: wait until it has them all, so the
          // next pass (and the recovery rate after the passes) does not share the cores with it.
          long t = System.nanoTime();
          awaitLedger(url, Duration.ofMinutes(30));
          catchUpNanos.add(System.nanoTime() - t);
          long cpuCaughtUp = s.engine.cpuTime().map(Duration::toNanos).orElse(-1L);
          cpuWithLedgerNanos.add(cpuBefore < 0 ? -1L : cpuCaughtUp - cpuBefore);
          around.add(RecoveryRate.between(all, cores).perSecond());
          from += orders;
        }
        String loadAfter = loadAverage();
        RecoveryRate.Rate recoveriesAfter = recoveryRate(all, cores, out, "after the passes");
        // The machine may be shared: the ratio is taken against the mean of both measurements.
        double recoveries = (recoveriesBefore.perSecond() + recoveriesAfter.perSecond()) / 2;
        double recoveriesPerCpuSecond =
            (recoveriesBefore.perCpuSecond() + recoveriesAfter.perCpuSecond()) / 2;
        out.printf(
            Locale.ROOT,
            "load average (1, 5, 15 min) before the passes %s, after %s%n",
            loadBefore,
            loadAfter);
        if (engine.batch() > 1) {
          out.printf(
              Locale.ROOT,
              "batches of up to %d orders of one trader per request; latencies are per request%n",
              engine.batch());
        }
        out.printf(
            "%11s %8s %9s %9s %8s %8s %8s %8s %10s %9s %9s %10s %s%n",
            "connections",
            "accepted",
            "orders/s",
            "recover/s",
            "ratio",
            "p50 ms",
            "p99 ms",
            "max ms",
            "cpu ms/ord",
            "cpu ratio",
            "ledger s",
            "+ledger ms",
            "refused");
        Map<Integer, List<Double>> ratiosByCount = new TreeMap<>();
        for (int k = 0; k < results.size(); k++) {
          RestLoad.Result r = results.get(k);
          int c = r.connections();
          double recoveriesAround = (around.get(k) + around.get(k + 1)) / 2;
          double ratio = r.acceptedPerSecond() / recoveriesAround;
          ratiosByCount.computeIfAbsent(c, n -> new ArrayList<>()).add(ratio);
          double cpuMsPerOrder =
              cpuNanos.get(k) < 0 || r.accepted() == 0
                  ? Double.NaN
                  : cpuNanos.get(k) / 1e6 / r.accepted();
          // Engine CPU per order against CPU per recovery: the ratio idle cores would give.
          double cpuRatio = 1000 / (cpuMsPerOrder * recoveriesPerCpuSecond);
          double cpuMsWithLedger =
              cpuWithLedgerNanos.get(k) < 0 || r.accepted() == 0
                  ? Double.NaN
                  : cpuWithLedgerNanos.get(k) / 1e6 / r.accepted();
          out.printf(
              Locale.ROOT,
              "%11d %8d %9.0f %9.0f %7.1f%% %8.1f %8.1f %8.1f %10.3f %8.1f%% %9.1f %10.3f %s%n",
              c,
              r.accepted(),
              r.acceptedPerSecond(),
              recoveriesAround,
              100 * ratio,
              r.p50Nanos() / 1e6,
              r.p99Nanos() / 1e6,
              r.maxNanos() / 1e6,
              cpuMsPerOrder,
              100 * cpuRatio,
              catchUpNanos.get(k) / 1e9,
              cpuMsWithLedger,
              r.refusals().isEmpty() ? "-" : r.refusals());
          if (!cpuByThreads.get(k).isEmpty()) {
            StringBuilder line =
                new StringBuilder("            engine CPU in the pass by threads:");
            cpuByThreads
                .get(k)
                .forEach(
                    (g, ms) -> line.append(String.format(Locale.ROOT, " %s %.2f s,", g, ms / 1e3)));
            line.setLength(line.length() - 1);
            if (faults.get(k) >= 0) {
              line.append(String.format(Locale.ROOT, "; %d minor page faults", faults.get(k)));
            }
            line.append(
                String.format(Locale.ROOT, "; this harness %.2f s", harnessCpu.get(k) / 1e9));
            out.println(line);
          }
          out.flush();
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("connections", (long) c);
          m.put("connectionsOpened", (long) r.connectionsOpened());
          m.put("sent", (long) r.sent());
          m.put("accepted", (long) r.accepted());
          m.put("ordersPerSecond", Math.round(r.acceptedPerSecond()));
          m.put("ratioPermille", Math.round(ratio * 1000));
          m.put("recoveriesPerSecondAround", Math.round(recoveriesAround));
          m.put("p50Micros", r.p50Nanos() / 1000);
          m.put("p99Micros", r.p99Nanos() / 1000);
          m.put("maxMicros", r.maxNanos() / 1000);
          if (!Double.isNaN(cpuMsPerOrder)) {
            m.put("engineCpuMicrosPerOrder", Math.round(cpuMsPerOrder * 1000));
            m.put("cpuRatioPermille", Math.round(cpuRatio * 1000));
          }
          m.put("ledgerCatchUpMillis", catchUpNanos.get(k) / 1_000_000);
          if (!Double.isNaN(cpuMsWithLedger)) {
            m.put("engineCpuMicrosPerOrderWithLedger", Math.round(cpuMsWithLedger * 1000));
          }
          m.put("refused", new LinkedHashMap<>(r.refusals()));
          m.put("engineCpuMillisByThreads", new LinkedHashMap<>(cpuByThreads.get(k)));
          m.put("harnessCpuMillis", harnessCpu.get(k) / 1_000_000);
          m.put("engineMinorPageFaults", faults.get(k));
          passes.add(m);
        }
        // A count passed more than once: its median pass, the figure a repeated run settles on.
        Map<String, Object> medians = new LinkedHashMap<>();
        ratiosByCount.forEach(
            (c, ratios) -> {
              if (ratios.size() > 1) {
                List<Double> sorted = ratios.stream().sorted().toList();
                double median = median(sorted);
                out.printf(
                    Locale.ROOT,
                    "%d connections over %d passes: intake / recovery median %.1f %%, lowest %.1f"
                        + " %%, highest %.1f %%%n",
                    c,
                    sorted.size(),
                    100 * median,
                    100 * sorted.get(0),
                    100 * sorted.get(sorted.size() - 1));
                medians.put(Integer.toString(c), Math.round(median * 1000));
              }
            });
        if (engine.json) {
          Map<String, Object> summary = new LinkedHashMap<>();
          summary.put("mode", "intake");
          summary.put("ledger", market.backend());
          summary.put("cores", (long) cores);
          summary.put("recoveriesPerSecond", Math.round(recoveries));
          summary.put("recoveriesPerSecondBefore", Math.round(recoveriesBefore.perSecond()));
          summary.put("recoveriesPerSecondAfter", Math.round(recoveriesAfter.perSecond()));
          summary.put("recoveriesPerCpuSecond", Math.round(recoveriesPerCpuSecond));
          summary.put("loadAverageBefore", loadBefore);
          summary.put("loadAverageAfter", loadAfter);
          summary.put("participants", (long) pop.size());
          summary.put("ordersPerPass", (long) orders);
          summary.put("ordersPerRequest", (long) engine.batch());
          summary.put("passes", passes);
          summary.put("medianRatioPermilleByConnections", medians);
          s.engine.peakRssBytes().ifPresent(b -> summary.put("enginePeakRssBytes", b));
          out.println(Json.write(summary));
        }
        out.flush();
        return 0;
      }
    }
  }

  /**
   * Sends one warm-up part, waits for the ledger's catch-up, and returns the engine's JIT and total
   * CPU milliseconds over both.
   */
  private static long[] warmUp(
      Setup s,
      RestLoad load,
      String url,
      List<PreparedOrder> part,
      int connections,
      int batch,
      PrintWriter out)
      throws Exception {
    Map<String, Long> before = s.engine.cpuMillisByThreads();
    RestLoad.Result w = load.run(url, part, connections, Duration.ofMinutes(30), batch);
    awaitLedger(url, Duration.ofMinutes(30));
    Map<String, Long> after = s.engine.cpuMillisByThreads();
    long jit = after.getOrDefault("jit", 0L) - before.getOrDefault("jit", 0L);
    long cpu = threadsMillis(after) - threadsMillis(before);
    out.printf(
        Locale.ROOT,
        "warm-up over %d connections: %d orders, %d accepted, %.0f /s; engine CPU %.2f s, JIT"
            + " %.2f s%n",
        connections,
        w.sent(),
        w.accepted(),
        w.acceptedPerSecond(),
        cpu / 1e3,
        jit / 1e3);
    out.flush();
    return new long[] {jit, cpu};
  }

  /** The middle value of sorted figures (the mean of the middle two for an even count). */
  static double median(List<Double> sorted) {
    return (sorted.get((sorted.size() - 1) / 2) + sorted.get(sorted.size() / 2)) / 2;
  }

  /**
   * Whether the JIT compilers took at most {@code percent} of the engine's CPU over the given
   * warm-up parts, each {jit, total} milliseconds.
   */
  static boolean quiet(List<long[]> parts, double percent) {
    long jit = parts.stream().mapToLong(p -> p[0]).sum();
    long cpu = parts.stream().mapToLong(p -> p[1]).sum();
    return jit * 100.0 <= percent * cpu;
  }

  /** The engine's CPU by thread groups, summed (the kernel's share is part of the groups). */
  private static long threadsMillis(Map<String, Long> byThreads) {
    long sum = 0;
    for (var e : byThreads.entrySet()) {
      if (!e.getKey().equals(EngineProcess.IN_KERNEL)) {
        sum += e.getValue();
      }
    }
    return sum;
  }

  /** CPU time this harness process has used so far (it shares the cores with the engine). */
  private static long harnessCpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  private static RecoveryRate.Rate recoveryRate(
      List<PreparedOrder> all, int cores, PrintWriter out, String when)
      throws InterruptedException {
    RecoveryRate.Rate rate =
        RecoveryRate.measure(
            RecoveryRate.sample(all), cores, Duration.ofSeconds(3), Duration.ofSeconds(5));
    out.printf(
        Locale.ROOT,
        "raw EIP-712 signature recovery %s: %.0f /s on %d cores (Secp256k1.recoverAddress);"
            + " %.0f per CPU-second%n",
        when,
        rate.perSecond(),
        cores,
        rate.perCpuSecond());
    out.flush();
    return rate;
  }

  /** Waits until the engine reports no acknowledged order still on its way to the ledger. */
  static void awaitLedger(String url, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (MarketClient c = MarketClient.connect(url, Duration.ofSeconds(60))) {
      while (c.get("/ready").longValue("ordersPendingLedger") > 0) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the ledger did not take the orders within " + timeout);
        }
        Thread.sleep(20);
      }
    }
  }

  /** The first three fields of /proc/loadavg, or "n/a". */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | ArrayIndexOutOfBoundsException e) {
      return "n/a";
    }
  }

  @Command(
      name = "round",
      mixinStandardHelpOptions = true,
      description =
          "Whole rounds at each --scale: N signed orders for one slot, close the round, settle it;"
              + " times every phase, proof latency, engine memory and bytes on disk per order, growth exponents.")
  static final class Round implements Callable<Integer> {
    @CommandLine.Mixin EngineOptions engine;

    @Option(
        names = "--scale",
        split = ",",
        required = true,
        description = "orders per round, one fresh engine per value, e.g. 10000,30000,100000")
    List<Integer> scales;

    @Option(
        names = "--connections",
        defaultValue = "64",
        description = "intake connections (default ${DEFAULT-VALUE})")
    int connections;

    @Option(
        names = "--proofs",
        defaultValue = "20",
        description = "random trades whose proof is timed (default ${DEFAULT-VALUE})")
    int proofs;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (scales.stream().anyMatch(n -> n < 2) || connections < 1 || proofs < 1) {
        throw new IllegalArgumentException(
            "--scale values must be at least 2; --connections and --proofs positive");
      }
      if (engine.url != null && scales.size() > 1) {
        throw new IllegalArgumentException(
            "with --url, give one --scale (the harness cannot restart that engine)");
      }
      PrintWriter out = spec.commandLine().getOut();
      List<RoundRun.Figures> runs = new ArrayList<>();
      for (int n : scales) {
        try (Setup s = Setup.open(engine, "round-" + n)) {
          RoundRun.Figures f =
              new RoundRun(s.engine, out)
                  .run(
                      n,
                      engine.seed() + n,
                      engine.participants,
                      connections,
                      proofs,
                      engine.batch());
          runs.add(f);
          out.println(f.line());
          out.flush();
        }
      }
      List<Map<String, Object>> growth = RoundRun.growth(runs);
      for (Map<String, Object> g : growth) {
        out.println("growth " + g);
      }
      if (engine.json) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("mode", "round");
        summary.put("engineHeap", engine.heap == null ? "JVM default" : engine.heap);
        summary.put("runs", runs.stream().map(RoundRun.Figures::toJson).toList());
        summary.put("growth", growth);
        out.println(Json.write(summary));
      }
      out.flush();
      return 0;
    }
  }
}
