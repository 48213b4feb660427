package org.cnemarket.engine.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.cnemarket.core.codec.Json;
import org.cnemarket.engine.Engine;
import org.cnemarket.engine.config.EngineConfig;
import org.cnemarket.engine.demo.DemoRunner;
import org.cnemarket.engine.ledger.embedded.Checkpoint;
import org.cnemarket.engine.ledger.embedded.LedgerAudit;
import org.cnemarket.engine.round.RoundParameters;
import org.cnemarket.engine.simulation.SimulateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cne-engine}: run the engine, the demo market, and audits. */
@Command(
    name = "cne-engine",
    mixinStandardHelpOptions = true,
    version = "CNE Market engine 0.1.0",
    description = "CNE Market: compute-and-energy trading engine.",
    subcommands = {
      EngineMain.Serve.class,
      EngineMain.Demo.class,
      EngineMain.Audit.class,
      EngineMain.Price.class,
      SimulateCommand.class
    })
public final class EngineMain implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code. */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the command line with its output and errors going to the given writers. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new EngineMain());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          cmd.getErr()
              .println(
                  "cne-engine: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
          return 2;
        });
    return cl.execute(args);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** Ledger selection shared by serve and demo. */
  static final class LedgerOptions {
    @Option(
        names = "--ledger",
        defaultValue = "embedded",
        description = "embedded (default), evm or fabric")
    String ledger;

    @Option(
        names = "--chain-id",
        defaultValue = "31337",
        description = "EIP-712 chain id orders are signed for")
    long chainId;

    @Option(names = "--rpc", description = "EVM JSON-RPC URL (with --ledger evm)")
    String rpc;

    @Option(
        names = "--contract",
        description = "deployed EVM market contract address (default: deploy)")
    String contract;

    @Option(
        names = "--fabric-profile",
        description = "Fabric connection profile (with --ledger fabric)")
    Path fabricProfile;

    // Without any of the mechanism options the engine keeps the parameters its data directory
    // recorded (set with PUT /v1/market/parameters); with one, they replace them from the next
    // round and the ones not given take their defaults.
    @Option(
        names = "--energy-mechanism",
        description =
            "uniform (k-double auction, default), mcafee (truthful trade reduction; the spread is a platform fee) or lp (welfare LP with minimum green shares); without any mechanism option the engine keeps the parameters last set (PUT /v1/market/parameters)")
    String energyMechanism;

    @Option(
        names = "--k-permille",
        description = "k of the k-double auction, in 1/1000 (default 500)")
    Long kPermille;

    @Option(names = "--compute-mechanism", description = "stackelberg (default) or uniform")
    String computeMechanism;

    /** The mechanism options given, or null when none is: the recorded parameters apply. */
    RoundParameters roundParameters() {
      if (energyMechanism == null && kPermille == null && computeMechanism == null) {
        return null;
      }
      RoundParameters d = RoundParameters.DEFAULT;
      return new RoundParameters(
          energyMechanism != null ? energyMechanism : d.energyMechanism(),
          kPermille != null ? kPermille : d.kPermille(),
          computeMechanism != null ? computeMechanism : d.computeMechanism());
    }

    EngineConfig config(Path data, String host, int port, String token, long settleMillis) {
      String key = System.getenv("CNE_EVM_KEY");
      return new EngineConfig(
          data,
          host,
          port,
          ledger,
          chainId,
          token,
          rpc,
          contract,
          key,
          fabricProfile,
          settleMillis,
          roundParameters());
    }
  }

  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description = "Run the engine's REST API until stopped.")
  static final class Serve implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "data directory (H2 databases)")
    Path data;

    @Option(
        names = "--host",
        defaultValue = "127.0.0.1",
        description = "address to bind (default ${DEFAULT-VALUE})")
    String host;

    @Option(
        names = "--port",
        defaultValue = "8080",
        description = "port (default ${DEFAULT-VALUE})")
    int port;

    @CommandLine.Mixin LedgerOptions ledger;

    @Option(
        names = "--config",
        description = "properties file (cne.* keys; CNE_* environment variables override)")
    Path config;

    @Option(
        names = "--public-market-data",
        description =
            "publish market data (round prices, volumes, energy mix, carbon, batch roots) without sign-in;"
                + " the same as cne.public.market-data=true")
    boolean publicMarketData;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      org.cnemarket.engine.config.SurfaceConfig loaded =
          org.cnemarket.engine.config.SurfaceConfig.load(config, System.getenv());
      org.cnemarket.engine.config.SurfaceConfig surfaces =
          publicMarketData ? loaded.withPublicMarketData(true) : loaded;
      org.cnemarket.engine.ops.Logging.configure(surfaces.logFormat());
      String token = System.getenv("CNE_OPERATOR_TOKEN");
      if (token == null || token.length() < 16) {
        spec.commandLine()
            .getErr()
            .println(
                "cne-engine: set CNE_OPERATOR_TOKEN (at least 16 characters) to the operator's bearer token");
        return 2;
      }
      CountDownLatch stop = new CountDownLatch(1);
      CountDownLatch closed = new CountDownLatch(1);
      try (Engine engine =
          Engine.start(ledger.config(data, host, port, token, 2000), surfaces, Clock.systemUTC())) {
        // SIGTERM: the hook wakes the main thread and waits until the engine closed gracefully
        // (in-flight round finished, outbox drained), so the JVM does not exit under it.
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      stop.countDown();
                      try {
                        closed.await(
                            surfaces.shutdownGraceSeconds() + 30,
                            java.util.concurrent.TimeUnit.SECONDS);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }));
        spec.commandLine()
            .getOut()
            .println(
                "CNE Market engine listening on "
                    + (surfaces.tls() ? "https" : "http")
                    + "://"
                    + host
                    + ":"
                    + engine.port());
        spec.commandLine().getOut().flush();
        stop.await();
      } finally {
        closed.countDown();
      }
      return 0;
    }
  }

  @Command(
      name = "demo",
      mixinStandardHelpOptions = true,
      description = "Run the demo market on real energy data and verify every settled trade.")
  static final class Demo implements Callable<Integer> {
    @Option(
        names = "--slots",
        defaultValue = "24",
        description = "hourly rounds to run (default ${DEFAULT-VALUE})")
    int slots;

    @Option(
        names = "--data",
        defaultValue = "demo-data",
        description = "data directory (default ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--json", description = "print a JSON summary as the last line")
    boolean json;

    @Option(
        names = "--serve",
        description =
            "keep the engine running after the rounds and print the dashboard's URL"
                + " (stop with Ctrl+C)")
    boolean serve;

    @Option(
        names = "--port",
        description = "the engine's port (default: 8080 with --serve, any free port without)")
    Integer port;

    @Option(
        names = "--public-market-data",
        negatable = true,
        defaultValue = "true",
        fallbackValue = "true",
        description =
            "publish market data without sign-in (default: on for the demo; --no-public-market-data)")
    boolean publicMarketData;

    @CommandLine.Mixin LedgerOptions ledger;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (slots < 1 || slots > 10_000) {
        spec.commandLine().getErr().println("cne-engine: --slots must be between 1 and 10000");
        return 2;
      }
      int bind = port != null ? port : serve ? 8080 : 0;
      if (bind < 0 || bind > 65535) {
        spec.commandLine().getErr().println("cne-engine: --port must be between 0 and 65535");
        return 2;
      }
      PrintWriter out = spec.commandLine().getOut();
      java.io.PrintStream ps =
          new java.io.PrintStream(
              new java.io.OutputStream() {
                @Override
                public void write(int b) {
                  out.write(b);
                }

                @Override
                public void flush() {
                  out.flush();
                }
              },
              true,
              java.nio.charset.StandardCharsets.UTF_8);
      var base = ledger.config(data, "127.0.0.1", bind, "x".repeat(16), 60_000);
      var surfaces =
          org.cnemarket.engine.config.SurfaceConfig.defaults()
              .withPublicMarketData(publicMarketData);
      if (bind > 0) {
        // Sign-in messages name the host the browser shows, as wallets check (EIP-4361).
        surfaces = surfaces.withSignInDomain("127.0.0.1:" + bind, "http://127.0.0.1:" + bind);
      }
      boolean[] printed = {false};
      CountDownLatch stop = new CountDownLatch(1);
      CountDownLatch closed = new CountDownLatch(1);
      DemoRunner.Summary s;
      try {
        s =
            new DemoRunner(ps)
                .run(
                    data,
                    slots,
                    base,
                    surfaces,
                    !serve
                        ? null
                        : (engine, sum, token) -> {
                          ps.flush();
                          String url = engine.baseUrl();
                          out.println("The demo market is being served at " + url);
                          out.println(
                              "  Dashboard:  "
                                  + url
                                  + "/dashboard/   (sign in with a keystore above, or a browser wallet"
                                  + " holding one of these keys)");
                          out.println(
                              "  Market data without sign-in: "
                                  + (publicMarketData ? url + "/v1/public/rounds" : "off"));
                          out.println(
                              "  API:        " + url + "/docs   operator bearer token: " + token);
                          out.println("  Stop with Ctrl+C.");
                          if (json) {
                            out.println(DemoRunner.toJson(sum));
                          }
                          printed[0] = true;
                          out.flush();
                          // Ctrl+C / SIGTERM: the hook wakes this thread and waits until the engine
                          // closed gracefully.
                          Runtime.getRuntime()
                              .addShutdownHook(
                                  new Thread(
                                      () -> {
                                        stop.countDown();
                                        try {
                                          closed.await(90, java.util.concurrent.TimeUnit.SECONDS);
                                        } catch (InterruptedException e) {
                                          Thread.currentThread().interrupt();
                                        }
                                      }));
                          stop.await();
                        });
      } finally {
        closed.countDown();
      }
      ps.flush();
      if (json && !printed[0]) {
        out.println(DemoRunner.toJson(s));
      }
      out.flush();
      return s.verified() && s.conservation() ? 0 : 1;
    }
  }

  @Command(
      name = "price",
      mixinStandardHelpOptions = true,
      description =
          "Solve one pricing instance from a JSON file and print the solution as JSON"
              + " (mechanisms: uniform, mcafee, lp, stackelberg, stackelberg3, contract; formats in docs/pricing.md).")
  static final class Price implements Callable<Integer> {
    @CommandLine.Parameters(
        index = "0",
        description = "uniform, mcafee, lp, stackelberg, stackelberg3 or contract")
    String mechanism;

    @Option(names = "--input", required = true, description = "the instance, a JSON file")
    Path input;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      String json;
      try {
        json = java.nio.file.Files.readString(input);
      } catch (java.io.IOException e) {
        spec.commandLine()
            .getErr()
            .println("cne-engine: cannot read " + input + ": " + e.getMessage());
        return 2;
      }
      try {
        spec.commandLine()
            .getOut()
            .println(org.cnemarket.engine.pricing.whatif.WhatIfPricing.solve(mechanism, json));
        spec.commandLine().getOut().flush();
        return 0;
      } catch (org.cnemarket.engine.pricing.whatif.WhatIfException e) {
        spec.commandLine().getErr().println("cne-engine: " + e.getMessage());
        return 2;
      }
    }
  }

  @Command(
      name = "audit",
      mixinStandardHelpOptions = true,
      description = "Audit the ledger.",
      subcommands = {AuditVerify.class, AuditReprice.class, AuditCheckpoint.class})
  static final class Audit implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getOut());
      return 0;
    }
  }

  @Command(
      name = "checkpoint",
      mixinStandardHelpOptions = true,
      description =
          "Embedded ledger: verify it and write a checkpoint of its head (block number, hash, the node's"
              + " signature and address) for the auditor to keep; audit verify --checkpoint FILE then detects a"
              + " truncated or rewritten chain.")
  static final class AuditCheckpoint implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "data directory of the engine")
    Path data;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "FILE",
        description = "where to write the checkpoint")
    Path out;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      Checkpoint cp;
      try {
        cp = LedgerAudit.checkpoint(data, System.currentTimeMillis());
      } catch (IllegalStateException e) {
        spec.commandLine().getErr().println("no checkpoint: " + e.getMessage());
        return 1;
      }
      cp.write(out);
      spec.commandLine().getOut().println(Json.write(cp.toJson()));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(
      name = "reprice",
      mixinStandardHelpOptions = true,
      description =
          "Recompute settled rounds from their recorded inputs and compare with what the ledger holds.")
  static final class AuditReprice implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "data directory of the engine")
    Path data;

    @Option(names = "--round", description = "the round to reprice (default: every round)")
    Long round;

    @Option(
        names = "--chain-id",
        defaultValue = "31337",
        description = "the market's EIP-712 chain id")
    long chainId;

    @Option(names = "--json", description = "print one JSON object per round")
    boolean json;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (!java.nio.file.Files.exists(data.resolve("engine.mv.db"))) {
        spec.commandLine().getErr().println("cne-engine: no engine database in " + data);
        return 2;
      }
      var domain =
          org.cnemarket.core.eip712.Eip712.Domain.cne(
              chainId, org.cnemarket.core.eip712.Eip712.Domain.ZERO_ADDRESS);
      try (var store =
              new org.cnemarket.engine.store.MarketStore(
                  org.cnemarket.engine.store.Db.openFile(data, "engine"));
          var ledger =
              org.cnemarket.engine.ledger.embedded.EmbeddedLedger.open(
                  data, domain, Clock.systemUTC())) {
        var repricer =
            new org.cnemarket.engine.audit.Repricer(
                store, ledger, new org.cnemarket.engine.round.PricingRoundClearing());
        long last = store.lastRound();
        if (round != null && (round < 1 || round > last)) {
          spec.commandLine()
              .getErr()
              .println("cne-engine: no round " + round + " (rounds 1 to " + last + ")");
          return 2;
        }
        boolean all = true;
        PrintWriter out = spec.commandLine().getOut();
        for (long n = round == null ? 1 : round; n <= (round == null ? last : round); n++) {
          var v = repricer.reprice(n);
          all &= v.matches();
          if (json) {
            out.println(Json.write(v.toJson()));
          } else {
            out.println(
                "round "
                    + n
                    + ": "
                    + (v.matches() ? "matches the ledger" : "DOES NOT MATCH: " + v.problem()));
          }
        }
        out.flush();
        return all ? 0 : 1;
      }
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Embedded ledger: check the block hash chain and signatures, replay every transaction through"
              + " the chaincode, compare the world state and every batch's Merkle root. Every ledger: check that each"
              + " settled batch is on the ledger with the root of the trades the engine serves.")
  static final class AuditVerify implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "data directory of the engine")
    Path data;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Option(
        names = "--checkpoint",
        paramLabel = "FILE",
        description =
            "embedded ledger: a checkpoint taken earlier (audit checkpoint); fails unless the chain still"
                + " extends it, signed by the node key it pins")
    Path checkpoint;

    @Option(
        names = "--node-address",
        paramLabel = "0x…",
        description =
            "embedded ledger: the node key the auditor pinned; fails when blocks are signed by another key")
    String nodeAddress;

    @CommandLine.Mixin LedgerOptions ledger;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      Map<String, Object> m = new LinkedHashMap<>();
      String problem = null;
      if (ledger.ledger.equals("embedded")) {
        Checkpoint cp;
        try {
          cp = checkpoint == null ? null : Checkpoint.read(checkpoint);
        } catch (IllegalArgumentException | IOException e) {
          spec.commandLine().getErr().println("NOT verified: " + e.getMessage());
          return 2;
        }
        LedgerAudit.Report r = LedgerAudit.verify(data, cp);
        if (cp != null) {
          m.put("checkpoint", cp.number());
        }
        if (r.verified() && nodeAddress != null && !nodeAddress.equalsIgnoreCase(r.nodeAddress())) {
          r =
              new LedgerAudit.Report(
                  false,
                  r.blocks(),
                  r.transactions(),
                  r.trades(),
                  r.batches(),
                  r.nodeAddress(),
                  "key: the blocks are signed by "
                      + r.nodeAddress()
                      + ", the auditor pinned "
                      + nodeAddress);
        }
        m.put("blocks", r.blocks());
        m.put("transactions", r.transactions());
        m.put("trades", r.trades());
        m.put("batches", r.batches());
        if (r.nodeAddress() != null) {
          m.put("node", r.nodeAddress());
        }
        problem = r.problem();
      }
      if (problem == null && java.nio.file.Files.exists(data.resolve("engine.mv.db"))) {
        try (var store =
            new org.cnemarket.engine.store.MarketStore(
                org.cnemarket.engine.store.Db.openFile(data, "engine"))) {
          var domain =
              org.cnemarket.core.eip712.Eip712.Domain.cne(
                  ledger.chainId, org.cnemarket.core.eip712.Eip712.Domain.ZERO_ADDRESS);
          try (var l =
              Engine.openLedger(
                  ledger.config(data, "127.0.0.1", 0, "x".repeat(16), 60_000),
                  domain,
                  Clock.systemUTC(),
                  store)) {
            var x = org.cnemarket.engine.audit.BatchCrossCheck.check(store, l);
            m.put("ledger", l.backend());
            m.putIfAbsent("batches", x.batches());
            m.putIfAbsent("trades", x.trades());
            m.put("engineBatchesOnLedger", x.verified());
            problem = x.problem();
            if (problem == null) {
              var accounts = org.cnemarket.engine.audit.AccountAudit.check(store, l);
              m.put("accounts", accounts.accounts());
              var stores = org.cnemarket.engine.audit.StoreCrossCheck.check(store, l);
              m.put("storesAgree", stores.verified());
              m.put("ordersPendingLedger", stores.ordersPendingLedger());
              m.put("depositsPendingLedger", stores.depositsPendingLedger());
              if (!stores.verified()) {
                m.put("differences", stores.problems());
                problem =
                    "the engine and the ledger differ: "
                        + stores.problems().get(0)
                        + (stores.problems().size() > 1
                            ? " (and " + (stores.problems().size() - 1) + " more)"
                            : "");
              } else if (stores.ordersPendingLedger() == 0 && stores.depositsPendingLedger() == 0) {
                // With nothing on its way, every account must agree to the micro-credit.
                m.put("conservation", accounts.conserved());
                if (!accounts.conserved()) {
                  problem =
                      accounts.mismatches().isEmpty()
                          ? "balances sum to "
                              + (accounts.availableMicros() + accounts.escrowMicros())
                              + " micro-credits, deposits to "
                              + accounts.depositsMicros()
                          : "account "
                              + accounts.mismatches().get(0).account()
                              + " differs: "
                              + accounts.mismatches().get(0);
                }
              }
            }
          }
        }
      }
      boolean verified = problem == null;
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("verified", verified);
      report.putAll(m);
      if (problem != null) {
        report.put("problem", problem);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(Json.write(report));
      } else if (verified) {
        out.println("verified: " + m);
      } else {
        spec.commandLine().getErr().println("NOT verified: " + problem);
      }
      out.flush();
      return verified ? 0 : 1;
    }
  }
}
