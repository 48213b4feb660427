package org.cnemarket.tests.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cnemarket.core.client.MarketClient;
import org.cnemarket.core.client.MarketClientException;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.engine.Engine;
import org.cnemarket.engine.config.EngineConfig;
import org.cnemarket.engine.demo.DemoMarket;
import org.cnemarket.engine.demo.DemoSeries;
import org.cnemarket.engine.ledger.LedgerEvent;
import org.cnemarket.engine.ledger.fabric.FabricLedger;
import org.cnemarket.engine.round.RoundParameters;
import org.cnemarket.engine.store.BatchStatus;
import org.cnemarket.engine.store.Db;
import org.cnemarket.engine.store.MarketStore;
import org.cnemarket.engine.store.OutboxEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The engine on the live Fabric network, as a user runs it and when nodes fail: the demo market
 * ({@code cne-engine demo --ledger fabric}, the engine jar run as a process) and {@code audit
 * verify --ledger fabric}; a second data directory on the same channel stopping with a clear
 * message; and one market continued round by round while the Platform peer, the orderer or the
 * engine itself is killed with SIGKILL in the middle of a settlement, each ending with the round's
 * batch committed exactly once and the audit passing.
 *
 * <p>The tests share one engine data directory (one market on the channel) and run in order, on a
 * network of their own: a channel holds one market, and its nodes are killed here.
 */
@Tag("fabric")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FabricEngineTest {
  private static final String TOKEN = "fabric-engine-test-operator-token";
  private static final String PLATFORM_PEER = "peer0.platform.cne.local";
  private static final Pattern LISTENING =
      Pattern.compile("engine listening on https?://[^\\s]+:(\\d+)");

  private static FabricNetwork net;
  private static Path data;
  private static Path profile;

  @BeforeAll
  static void network() throws IOException {
    net = FabricNetwork.dedicated("engine");
    Path target = FabricNetwork.repoDir().resolve("tests").resolve("target");
    data =
        target.resolve(
            "fabric-engine-" + Long.toHexString(new SecureRandom().nextLong() & 0xffffffffL));
    // Short gateway deadlines so a dead node is noticed in seconds; the outbox retries every 500
    // ms.
    profile = net.profileWithDeadlines("engine-platform.json", 5_000, 5_000, 10_000);
  }

  @AfterAll
  static void takeDown() {
    if (net != null) {
      net.close();
    }
  }

  @Test
  @Order(1)
  void theDemoRunsOnFabricAndTheAuditVerifiesIt() throws Exception {
    Run demo =
        engineJar(
            900,
            "demo",
            "--ledger",
            "fabric",
            "--fabric-profile",
            profile.toString(),
            "--data",
            data.toString(),
            "--slots",
            "2",
            "--json");
    assertThat(demo.exit()).as(demo.toString()).isZero();
    String line = demo.lastLine();
    System.out.println("Fabric demo: " + line);
    Fields summary = Fields.of(Json.parse(line), "demo summary");
    assertThat(summary.bool("verified")).isTrue();
    assertThat(summary.bool("conservation")).isTrue();
    assertThat(summary.longValue("batches")).isEqualTo(2);
    assertThat(summary.longValue("trades")).isPositive();

    Fields audit = audit();
    System.out.println("Fabric audit verify: " + Json.write(Json.parse(auditLine)));
    assertThat(audit.string("ledger")).isEqualTo("fabric");
    assertThat(audit.bool("engineBatchesOnLedger")).isTrue();
    assertThat(audit.longValue("batches")).isEqualTo(2);
    assertThat(audit.longValue("trades")).isEqualTo(summary.longValue("trades"));
  }

  @Test
  @Order(2)
  void aSecondDataDirectoryOnTheSameChannelStopsWithAClearMessage() throws Exception {
    Path other = data.resolveSibling(data.getFileName() + "-second");
    Run second =
        engineJar(
            300,
            "demo",
            "--ledger",
            "fabric",
            "--fabric-profile",
            profile.toString(),
            "--data",
            other.toString(),
            "--slots",
            "1",
            "--json");
    assertThat(second.exit()).as(second.toString()).isEqualTo(2);
    assertThat(second.err())
        .contains("already holds round 1 of this market")
        .contains("Start the engine with the data directory that settled it");
    assertThat(second.err() + second.out())
        .doesNotContain("BATCH_CONFLICT")
        .doesNotContain("\tat ");
    second
        .err()
        .lines()
        .filter(l -> l.startsWith("cne-engine:"))
        .forEach(l -> System.out.println("second data directory: " + l));
  }

  @Test
  @Order(3)
  void theEngineRetriesUntilCommittedOnceWhenThePlatformPeerIsKilledMidSettlement()
      throws Exception {
    faultRound(
        "the Platform peer", () -> net.kill9(PLATFORM_PEER), () -> net.restart(PLATFORM_PEER));
  }

  @Test
  @Order(4)
  void theEngineRetriesUntilCommittedOnceWhenTheOrdererIsKilledMidSettlement() throws Exception {
    faultRound("the orderer", () -> net.kill9("orderer0"), () -> net.restart("orderer0"));
  }

  @Test
  @Order(5)
  void anEngineKilledMidSettlementSettlesTheRoundOnceAfterItsRestart() throws Exception {
    long peer = net.pid(PLATFORM_PEER);
    long round;
    String batchId;
    long cursor;
    int port;
    try (FabricLedger ledger = FabricLedger.fromProfile(profile)) {
      cursor = ledger.status().height() * FabricLedger.EVENTS_PER_BLOCK - 1;
    }
    Process engine = serve();
    try {
      port = awaitPort(engine);
      MarketClient op =
          MarketClient.connect("http://127.0.0.1:" + port, Duration.ofSeconds(60))
              .withBearer(TOKEN);
      long slot = postOrdersOfNextSlot(op, "http://127.0.0.1:" + port);
      round = op.get("/v1/market").longValue("lastRound") + 1;
      // Freeze the gateway peer: the settlement the round close starts hangs in flight.
      signal("STOP", peer);
      CompletableFuture<Void> close =
          CompletableFuture.runAsync(
              () -> {
                try {
                  op.post("/v1/rounds", Map.of("slot", slot));
                } catch (MarketClientException e) {
                  // the engine dies under it
                }
              });
      Thread.sleep(2_000);
      engine.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hook, no drain
      close.get(60, TimeUnit.SECONDS);
    } finally {
      signal("CONT", peer);
      engine.destroyForcibly();
    }
    try (MarketStore store = new MarketStore(Db.openFile(data, "engine"))) {
      OutboxEntry e =
          store.outbox().pending().stream()
              .filter(b -> b.round() == round)
              .findFirst()
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "round " + round + " is not pending in the outbox after the kill"));
      batchId = e.batchId();
    }
    Process restarted = serve();
    try {
      int p = awaitPort(restarted);
      MarketClient op =
          MarketClient.connect("http://127.0.0.1:" + p, Duration.ofSeconds(60)).withBearer(TOKEN);
      awaitSettled(() -> op.get("/v1/rounds/" + round).string("settlement"));
      assertThat(op.get("/v1/audit/conservation").bool("conserved")).isTrue();
      // serve --ledger fabric: the dashboard and the ledger views it reads come from Fabric.
      Fields ledger = op.get("/v1/ledger");
      assertThat(ledger.string("backend")).isEqualTo("fabric");
      assertThat(ledger.string("network")).isEqualTo("cne");
      assertThat(ledger.longValue("height")).isPositive();
      try (FabricLedger direct = FabricLedger.fromProfile(profile)) {
        assertThat(op.get("/v1/ledger/batches/" + batchId).string("merkleRoot"))
            .isEqualTo(direct.batch(batchId).orElseThrow().merkleRoot());
      }
      HttpResponse<String> dashboard =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + "/dashboard/"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(dashboard.statusCode()).isEqualTo(200);
      assertThat(dashboard.body()).containsIgnoringCase("<html");
    } finally {
      restarted.destroy(); // SIGTERM: graceful
      restarted.waitFor(60, TimeUnit.SECONDS);
      restarted.destroyForcibly();
    }
    assertSettledOnce(batchId, cursor);
    assertThat(audit().bool("verified")).isTrue();
    System.out.printf(
        "round %d: settlement PENDING when the engine was killed (SIGKILL), SETTLED once after its"
            + " restart%n",
        round);
  }

  // ---- helpers ----

  private interface Step {
    void run() throws Exception;
  }

  /** Runs one round of the demo market in-process and applies {@code fault} while it settles. */
  private void faultRound(String node, Step fault, Step recover) throws Exception {
    long cursor;
    try (FabricLedger ledger = FabricLedger.fromProfile(profile)) {
      cursor = ledger.status().height() * FabricLedger.EVENTS_PER_BLOCK - 1;
    }
    String batchId;
    EngineConfig cfg =
        new EngineConfig(
            data,
            "127.0.0.1",
            0,
            "fabric",
            EngineConfig.DEFAULT_CHAIN_ID,
            TOKEN,
            null,
            null,
            null,
            profile,
            500,
            RoundParameters.DEFAULT);
    try (Engine engine = Engine.start(cfg, Clock.systemUTC())) {
      MarketClient op =
          MarketClient.connect(engine.baseUrl(), Duration.ofSeconds(60)).withBearer(TOKEN);
      long slot = postOrdersOfNextSlot(op, engine.baseUrl());
      CompletableFuture<Fields> close =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return op.post("/v1/rounds", Map.of("slot", slot));
                } catch (MarketClientException e) {
                  throw new IllegalStateException(e);
                }
              });
      Thread.sleep(150); // the round is being cleared and its batch handed to the ledger
      fault.run();
      Fields r = close.get(120, TimeUnit.SECONDS);
      long round = r.longValue("round");
      batchId = r.string("batchId");
      OutboxEntry during = engine.store().outbox().get(batchId).orElseThrow();
      Thread.sleep(2_000); // a few retries against the dead node
      recover.run();
      awaitSettled(() -> engine.store().outbox().get(batchId).orElseThrow().status().name());
      OutboxEntry after = engine.store().outbox().get(batchId).orElseThrow();
      System.out.printf(
          "round %d: settlement %s when %s was killed (SIGKILL), SETTLED once after %d attempt(s)%n",
          round, during.status(), node, after.attempts());
      assertThat(engine.ledger().batch(batchId))
          .hasValueSatisfying(b -> assertThat(b.txId()).isEqualTo(after.txId()));
      assertThat(op.get("/v1/audit/conservation").bool("conserved")).isTrue();
    }
    assertSettledOnce(batchId, cursor);
    assertThat(audit().bool("verified")).isTrue();
  }

  /** Signs and posts the demo market's orders for the next slot; returns the slot. */
  private static long postOrdersOfNextSlot(MarketClient op, String baseUrl) throws Exception {
    Fields info = op.get("/v1/market");
    Eip712.Domain domain = RecordCodec.domain(info.object("domain"));
    long slot = info.longValue("lastClosedSlot") + 1;
    DemoMarket market = new DemoMarket(DemoSeries.load());
    Map<String, MarketClient> traders = new HashMap<>();
    for (var o : market.ordersFor(slot)) {
      Secp256k1.KeyPair key = market.byAddress(o.trader()).key();
      MarketClient c = traders.get(key.address());
      if (c == null) {
        c = MarketClient.connect(baseUrl, Duration.ofSeconds(60));
        c.login(key);
        traders.put(key.address(), c);
      }
      c.post("/v1/orders", RecordCodec.signedOrder(SignedOrder.sign(domain, o, key)));
    }
    return slot;
  }

  private interface Status {
    String get() throws Exception;
  }

  private static void awaitSettled(Status status) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    String s = status.get();
    while (!BatchStatus.SETTLED.name().equals(s)) {
      assertThat(System.nanoTime()).as("settled within 180 s, still " + s).isLessThan(deadline);
      Thread.sleep(500);
      s = status.get();
    }
  }

  /** Exactly one BatchSettled event for the batch since {@code cursor}: no duplicate, no loss. */
  private static void assertSettledOnce(String batchId, long cursor) throws Exception {
    try (FabricLedger ledger = FabricLedger.fromProfile(net.profile("auditor-platform.json"))) {
      List<LedgerEvent> settled = new ArrayList<>();
      for (LedgerEvent e : ledger.events(cursor, 100_000)) {
        if (e.type().equals("BATCH_SETTLED") && e.key().equals(batchId)) {
          settled.add(e);
        }
      }
      assertThat(settled).as("BatchSettled events of " + batchId).hasSize(1);
    }
  }

  private static String auditLine;

  private static Fields audit() throws Exception {
    Run audit =
        engineJar(
            300,
            "audit",
            "verify",
            "--ledger",
            "fabric",
            "--fabric-profile",
            profile.toString(),
            "--data",
            data.toString(),
            "--json");
    assertThat(audit.exit()).as(audit.toString()).isZero();
    auditLine = audit.lastLine();
    Fields f = Fields.of(Json.parse(auditLine), "audit");
    assertThat(f.bool("verified")).isTrue();
    return f;
  }

  private Process serve() throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java(),
                "-jar",
                engineJarPath().toString(),
                "serve",
                "--ledger",
                "fabric",
                "--fabric-profile",
                profile.toString(),
                "--data",
                data.toString(),
                "--host",
                "127.0.0.1",
                "--port",
                "0"));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(data.resolveSibling(data.getFileName() + "-serve.log").toFile());
    pb.environment().put("CNE_OPERATOR_TOKEN", TOKEN);
    pb.environment().put("CNE_LOG_LEVEL", "INFO");
    return pb.start();
  }

  /** The port the engine logs it listens on. */
  private int awaitPort(Process engine) throws Exception {
    Path log = data.resolveSibling(data.getFileName() + "-serve.log");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      assertThat(engine.isAlive()).as("engine running; log:\n" + read(log)).isTrue();
      Matcher m = LISTENING.matcher(read(log));
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the engine did not start within 120 s:\n" + read(log));
  }

  private static String read(Path p) throws IOException {
    return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
  }

  private static void signal(String sig, long pid) throws Exception {
    Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
    assertThat(p.waitFor()).isZero();
  }

  private record Run(int exit, String out, String err) {
    String lastLine() {
      String[] lines = out.strip().split("\n");
      return lines[lines.length - 1];
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  private static Path engineJarPath() {
    return FabricNetwork.repoDir()
        .resolve("market-engine")
        .resolve("target")
        .resolve("cne-engine.jar");
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static Run engineJar(int timeoutSeconds, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(java(), "-jar", engineJarPath().toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("cne-engine-", ".out");
    Path err = Files.createTempFile("cne-engine-", ".err");
    try {
      Process p =
          new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new AssertionError(
            String.join(" ", args)
                + " did not finish in "
                + timeoutSeconds
                + " s:\n"
                + read(out)
                + "\n"
                + read(err));
      }
      return new Run(p.exitValue(), read(out), read(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
