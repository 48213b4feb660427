package org.cnemarket.tests.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cnemarket.core.client.MarketClient;
import org.cnemarket.core.client.MarketClientException;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.engine.Engine;
import org.cnemarket.engine.config.EngineConfig;
import org.cnemarket.engine.round.RoundParameters;
import org.cnemarket.wallet.WalletApi;
import org.cnemarket.wallet.cli.CliContext;
import org.cnemarket.wallet.cli.ExitCodes;
import org.cnemarket.wallet.cli.WalletMain;
import org.cnemarket.wallet.keystore.Keystore;
import org.cnemarket.wallet.order.OrderTerms;
import org.cnemarket.wallet.order.Slots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cne-wallet agent run} against a running engine (embedded ledger): a provider agent and a
 * microgrid agent bid in every round the operator closes, their orders clear against a user's
 * compute demand and settle on the ledger; a dry run sends nothing; bad configurations, an
 * unreachable engine and a round nobody closes end with their exit codes; SIGINT stops a running
 * agent cleanly.
 */
class LiveAgentEndToEndTest {
  private static final String TOKEN = "operator-token-for-agent-e2e";
  private static final long CREDIT = 1_000_000;

  @TempDir static Path dir;

  private static Engine engine;
  private static MarketClient operator;

  @BeforeAll
  static void startEngine() throws Exception {
    engine =
        Engine.start(
            EngineConfig.embedded(dir.resolve("engine"), 0, TOKEN)
                .withRoundParameters(new RoundParameters("uniform", 500, "uniform")),
            Clock.systemUTC());
    operator = MarketClient.connect(engine.baseUrl(), Duration.ofSeconds(20)).withBearer(TOKEN);
  }

  @AfterAll
  static void stopEngine() {
    if (engine != null) {
      engine.close();
    }
  }

  private record Run(int exitCode, String out, String err) {
    List<Fields> lines() {
      List<Fields> out = new ArrayList<>();
      for (String l : this.out.split("\n")) {
        if (l.startsWith("{")) {
          out.add(Fields.of(Json.parse(l), "line"));
        }
      }
      return out;
    }

    List<Fields> events(String event) {
      return lines().stream().filter(f -> f.string("event").equals(event)).toList();
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** A participant's shell: its keystore, password and the engine's URL in its environment. */
  private static final class Shell {
    final Map<String, String> env = new HashMap<>();
    final Path keystore;
    String address;

    Shell(String name) {
      keystore = dir.resolve(name + ".json");
      env.put("CNE_ENGINE_URL", engine.baseUrl());
      env.put("CNE_KEYSTORE", keystore.toString());
      env.put("CNE_WALLET_PASSWORD", "pw of " + name);
    }

    Run run(String... args) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code =
          WalletMain.execute(
              new CliContext(
                  env, dir, new PrintWriter(out, true), new PrintWriter(err, true), null),
              args);
      return new Run(code, out.toString(), err.toString());
    }

    Run ok(String... args) {
      Run r = run(args);
      assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r).isZero();
      return r;
    }

    WalletApi api() throws Exception {
      return WalletApi.connect(
          engine.baseUrl(),
          Duration.ofSeconds(10),
          Keystore.read(keystore, env.get("CNE_WALLET_PASSWORD").toCharArray()));
    }
  }

  private static Shell participant(String name, Role role) {
    Shell s = new Shell(name);
    s.address =
        Fields.of(Json.parse(s.ok("keys", "new", "--light", "--json").out().trim()), "k")
            .string("address");
    s.ok("register", "--role", role.name(), "--name", name);
    return s;
  }

  private static void deposit(String account, long micros) throws MarketClientException {
    operator.post(
        "/v1/deposits",
        Map.of(
            "depositId",
            "dep-" + account.substring(2, 12) + "-" + micros,
            "account",
            account,
            "amountMicros",
            micros));
  }

  /** A slot no round has closed yet, a few hours ahead. */
  private static long freshSlot() throws MarketClientException {
    Fields m = operator.get("/v1/market");
    long now = Slots.of(Instant.now()) + 2;
    return m.has("lastClosedSlot") ? Math.max(now, m.longValue("lastClosedSlot") + 1) : now;
  }

  /** The orders {@code trader} has for {@code slot}, as the engine stores them. */
  private static List<Fields> ordersFor(String trader, long slot) throws MarketClientException {
    List<Fields> out = new ArrayList<>();
    for (Object o : operator.get("/v1/orders?trader=" + trader + "&limit=100").list("items")) {
      Fields f = Fields.of(o, "order");
      if (f.object("order").longValue("slot") == slot) {
        out.add(f);
      }
    }
    return out;
  }

  private static void awaitOrders(String trader, long slot, int count, CompletableFuture<?> agent)
      throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (ordersFor(trader, slot).size() < count) {
      assertThat(agent.isDone()).as("the agent ended before bidding for slot " + slot).isFalse();
      assertThat(System.nanoTime()).as("orders of " + trader + " for " + slot).isLessThan(until);
      Thread.sleep(50);
    }
  }

  private static long balance(String account, String field) throws MarketClientException {
    return operator.get("/v1/participants/" + account + "/balance").longValue(field);
  }

  @Test
  void providerAndMicrogridAgentsBidInEveryRoundAndTheirOrdersSettle() throws Exception {
    Shell provider = participant("agent-provider", Role.PROVIDER);
    Shell grid = participant("agent-grid", Role.MICROGRID);
    Shell user = participant("agent-user", Role.USER);
    deposit(provider.address, 100 * CREDIT);
    deposit(user.address, 100 * CREDIT);
    long first = freshSlot();
    int rounds = 3;
    CompletableFuture<Run> providerAgent =
        CompletableFuture.supplyAsync(
            () ->
                provider.run(
                    "agent",
                    "run",
                    "--strategy",
                    "cost-plus",
                    "--capacity-units",
                    "10",
                    "--base-load-units",
                    "2",
                    "--wh-per-unit",
                    "500",
                    "--other-cost",
                    "0.2",
                    "--rounds",
                    Integer.toString(rounds),
                    "--from-slot",
                    Long.toString(first),
                    "--poll-interval",
                    "100ms",
                    "--round-timeout",
                    "60s",
                    "--json"));
    CompletableFuture<Run> gridAgent =
        CompletableFuture.supplyAsync(
            () ->
                grid.run(
                    "agent",
                    "run",
                    "--role",
                    "microgrid",
                    "--source",
                    "WIND",
                    "--output-wh",
                    "20000",
                    "--marginal-cost",
                    "0.05",
                    "--carbon",
                    "11",
                    "--rounds",
                    Integer.toString(rounds),
                    "--from-slot",
                    Long.toString(first),
                    "--poll-interval",
                    "100ms",
                    "--round-timeout",
                    "60s",
                    "--json"));
    List<String> batches = new ArrayList<>();
    try (WalletApi userApi = user.api()) {
      for (int k = 0; k < rounds; k++) {
        long slot = first + k;
        userApi.submitOrder(
            OrderKind.COMPUTE_DEMAND, OrderTerms.of(slot, 4_000, CREDIT).withLatencyMs(100));
        // The provider bids for energy and offers compute, the microgrid offers its output.
        awaitOrders(provider.address, slot, 2, providerAgent);
        awaitOrders(grid.address, slot, 1, gridAgent);
        Fields round = operator.post("/v1/rounds", Map.of("slot", slot));
        assertThat(round.longValue("trades")).as("trades of slot " + slot).isEqualTo(2);
        batches.add(round.string("batchId"));
      }
    }
    Run p = providerAgent.get(120, TimeUnit.SECONDS);
    Run g = gridAgent.get(120, TimeUnit.SECONDS);
    assertThat(p.exitCode()).as(p.toString()).isZero();
    assertThat(g.exitCode()).as(g.toString()).isZero();

    // The provider bid in every round, and each of its rounds traded both markets.
    List<Fields> bids = p.events("orders");
    assertThat(bids).hasSize(rounds);
    Eip712.Domain domain = RecordCodec.domain(operator.get("/v1/market").object("domain"));
    for (int k = 0; k < rounds; k++) {
      Fields e = bids.get(k);
      assertThat(e.longValue("slot")).isEqualTo(first + k);
      assertThat(e.bool("sent")).isTrue();
      for (Object o : e.list("orders")) {
        Fields item = Fields.of(o, "order");
        SignedOrder so = RecordCodec.signedOrder(item);
        assertThat(so.verify(domain)).isTrue();
        assertThat(so.id(domain)).isEqualTo(item.string("orderId"));
      }
    }
    // Persistence forecast of its load: 2 base units first, then 2 + the 4 units it sold.
    assertThat(energyBidWh(bids.get(0))).isEqualTo(2 * 500);
    assertThat(energyBidWh(bids.get(1))).isEqualTo(6 * 500);
    assertThat(energyBidWh(bids.get(2))).isEqualTo(6 * 500);
    List<Fields> closed = p.events("closed");
    assertThat(closed).hasSize(rounds);
    long paid = 0;
    long received = 0;
    for (Fields c : closed) {
      assertThat(c.longValue("trades")).isEqualTo(2);
      assertThat(c.longValue("boughtWh")).isPositive();
      assertThat(c.longValue("soldQuantity")).isEqualTo(4_000);
      paid += c.longValue("paidMicros");
      received += c.longValue("receivedMicros");
    }
    assertThat(p.events("summary"))
        .singleElement()
        .satisfies(s -> assertThat(s.longValue("rounds")).isEqualTo(rounds))
        .satisfies(s -> assertThat(s.longValue("trades")).isEqualTo(2L * rounds))
        .satisfies(s -> assertThat(s.string("stop")).isEqualTo("ROUNDS_DONE"));
    assertThat(g.events("orders")).hasSize(rounds);
    long gridReceived = 0;
    for (Fields c : g.events("closed")) {
      assertThat(c.longValue("trades")).isEqualTo(1);
      gridReceived += c.longValue("receivedMicros");
    }
    assertThat(gridReceived).isEqualTo(paid);

    // On the engine: every order of both agents filled or closed with its slot, every round's
    // batch settled on the ledger, and the balances are the deposits plus the trades.
    for (int k = 0; k < rounds; k++) {
      for (Fields o : ordersFor(provider.address, first + k)) {
        assertThat(o.string("status")).isIn("FILLED", "CLOSED");
        assertThat(o.longValue("filled")).isPositive();
      }
      assertThat(ordersFor(grid.address, first + k))
          .singleElement()
          .satisfies(o -> assertThat(o.longValue("filled")).isPositive());
    }
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (String batch : batches) {
      while (!"SETTLED".equals(operator.get("/v1/batches/" + batch).string("status"))) {
        assertThat(System.nanoTime()).as("batch " + batch + " settled").isLessThan(until);
        Thread.sleep(100);
      }
    }
    assertThat(balance(provider.address, "escrowMicros")).isZero();
    assertThat(balance(provider.address, "availableMicros"))
        .isEqualTo(100 * CREDIT - paid + received);
    assertThat(balance(grid.address, "availableMicros")).isEqualTo(gridReceived);
    assertThat(balance(user.address, "availableMicros") + balance(user.address, "escrowMicros"))
        .isEqualTo(100 * CREDIT - received);
  }

  private static long energyBidWh(Fields ordersEvent) {
    for (Object o : ordersEvent.list("orders")) {
      Fields order = Fields.of(o, "order").object("order");
      if (order.string("kind").equals("ENERGY_BID")) {
        return order.longValue("quantity");
      }
    }
    return 0;
  }

  @Test
  void aDryRunPrintsSignedOrdersAndSendsNothing() throws Exception {
    Shell provider = participant("dry-provider", Role.PROVIDER);
    long slot = freshSlot();
    Run r =
        provider.ok(
            "agent",
            "run",
            "--dry-run",
            "--strategy",
            "green",
            "--capacity-units",
            "8",
            "--base-load-units",
            "1",
            "--wh-per-unit",
            "400",
            "--from-slot",
            Long.toString(slot),
            "--json");
    Fields e = r.events("orders").get(0);
    assertThat(e.bool("sent")).isFalse();
    assertThat(e.longValue("slot")).isEqualTo(slot);
    Eip712.Domain domain = RecordCodec.domain(operator.get("/v1/market").object("domain"));
    List<Object> orders = e.list("orders");
    assertThat(orders).hasSize(2);
    for (Object o : orders) {
      SignedOrder so = RecordCodec.signedOrder(Fields.of(o, "order"));
      assertThat(so.verify(domain)).isTrue();
      assertThat(so.order().trader()).isEqualTo(provider.address);
      if (so.order().kind() == OrderKind.ENERGY_BID) {
        // The green strategy asks for half of its energy green.
        assertThat(so.order().greenBps()).isEqualTo(5_000);
        assertThat(so.order().quantity()).isEqualTo(400);
      }
    }
    assertThat(r.events("summary").get(0).longValue("ordersSent")).isZero();
    assertThat(ordersFor(provider.address, slot)).isEmpty();
    // Text mode says what it would send.
    assertThat(
            provider
                .ok(
                    "agent",
                    "run",
                    "--dry-run",
                    "--capacity-units",
                    "8",
                    "--wh-per-unit",
                    "400",
                    "--base-load-units",
                    "1")
                .out())
        .contains("would send 2 order(s)")
        .contains("ENERGY_BID 0.4 kWh")
        .contains("COMPUTE_OFFER 7 units");
  }

  @Test
  void badConfigurationsAndFailuresExitWithTheirCodes() throws Exception {
    Shell provider = participant("bad-provider", Role.PROVIDER);
    Run noCapacity = provider.run("agent", "run", "--wh-per-unit", "400");
    assertThat(noCapacity.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noCapacity.err()).contains("--capacity-units and --wh-per-unit");
    // Options are checked before the keystore is unlocked: no password needed to be told.
    Shell noPassword = new Shell("bad-provider");
    noPassword.env.remove("CNE_WALLET_PASSWORD");
    assertThat(noPassword.run("agent", "run", "--wh-per-unit", "400").exitCode())
        .isEqualTo(ExitCodes.USAGE);
    Run badStrategy =
        provider.run(
            "agent", "run", "--strategy", "greedy", "--capacity-units", "4", "--wh-per-unit", "1");
    assertThat(badStrategy.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badStrategy.err()).contains("unknown provider strategy 'greedy'");
    Run mixed =
        provider.run(
            "agent", "run", "--capacity-units", "4", "--wh-per-unit", "1", "--source", "WIND");
    assertThat(mixed.exitCode()).isEqualTo(ExitCodes.USAGE);
    Run endlessDryRun =
        provider.run(
            "agent",
            "run",
            "--dry-run",
            "--rounds",
            "0",
            "--capacity-units",
            "4",
            "--wh-per-unit",
            "1");
    assertThat(endlessDryRun.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(endlessDryRun.err()).contains("a dry run needs --rounds of at least 1");
    Run gridNoSource = provider.run("agent", "run", "--role", "microgrid", "--output-wh", "100");
    assertThat(gridNoSource.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(gridNoSource.err()).contains("--source and --marginal-cost");
    Path shortProfile = dir.resolve("short-profile.txt");
    Files.writeString(shortProfile, "1,2,3");
    Run badProfile =
        provider.run(
            "agent",
            "run",
            "--role",
            "microgrid",
            "--source",
            "SOLAR",
            "--marginal-cost",
            "0.01",
            "--profile",
            shortProfile.toString());
    assertThat(badProfile.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badProfile.err()).contains("expected 24 hourly Wh values");

    // A role the engine refuses: the microgrid key bids as a provider.
    Shell grid = participant("bad-grid", Role.MICROGRID);
    Run wrongRole =
        grid.run(
            "agent",
            "run",
            "--capacity-units",
            "4",
            "--wh-per-unit",
            "100",
            "--rounds",
            "1",
            "--round-timeout",
            "5s");
    assertThat(wrongRole.exitCode()).as(wrongRole.toString()).isEqualTo(ExitCodes.REJECTED);
    assertThat(wrongRole.err()).contains("forbidden");

    // Nobody closes the round: the agent gives up at its deadline.
    deposit(provider.address, 10 * CREDIT);
    Run timeout =
        provider.run(
            "agent",
            "run",
            "--capacity-units",
            "4",
            "--wh-per-unit",
            "100",
            "--base-load-units",
            "1",
            "--rounds",
            "1",
            "--round-timeout",
            "1s",
            "--poll-interval",
            "100ms",
            "--from-slot",
            Long.toString(freshSlot() + 50));
    assertThat(timeout.exitCode()).as(timeout.toString()).isEqualTo(ExitCodes.TIMEOUT);
    assertThat(timeout.err()).contains("was not closed within");

    Shell nowhere = new Shell("bad-provider");
    nowhere.env.put("CNE_ENGINE_URL", "http://127.0.0.1:" + closedPort());
    Run unreachable = nowhere.run("agent", "run", "--capacity-units", "4", "--wh-per-unit", "100");
    assertThat(unreachable.exitCode()).isEqualTo(ExitCodes.ENGINE_UNREACHABLE);
  }

  private static int closedPort() throws Exception {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void sigintStopsARunningAgentCleanly() throws Exception {
    Shell provider = participant("sigint-provider", Role.PROVIDER);
    deposit(provider.address, 10 * CREDIT);
    long slot = freshSlot() + 100;
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                WalletMain.class.getName(),
                "agent",
                "run",
                "--capacity-units",
                "4",
                "--wh-per-unit",
                "100",
                "--base-load-units",
                "1",
                "--from-slot",
                Long.toString(slot),
                "--poll-interval",
                "200ms"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(provider.env);
    Process proc = pb.start();
    StringBuilder out = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      boolean interrupted = false;
      while ((line = r.readLine()) != null) {
        out.append(line).append('\n');
        if (!interrupted && line.contains("sent 2 order(s)")) {
          // Bidding is done and the agent waits for the operator: interrupt it as Ctrl+C would.
          new ProcessBuilder("kill", "-INT", Long.toString(proc.pid())).start().waitFor();
          interrupted = true;
        }
      }
      assertThat(proc.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      proc.destroyForcibly();
    }
    assertThat(out.toString())
        .as(out.toString())
        .contains("sent 2 order(s)")
        .contains("stopped after 0 round(s): 2 order(s) sent");
    // SIGINT ends the JVM with 128 + 2 after its shutdown hooks ran.
    assertThat(proc.exitValue()).isEqualTo(130);
    assertThat(ordersFor(provider.address, slot)).hasSize(2);
  }
}
