package org.cnemarket.tests.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.cnemarket.core.client.MarketClient;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.Role;
import org.cnemarket.tests.chaos.History.Deposit;
import org.cnemarket.tests.chaos.History.Trader;
import org.cnemarket.wallet.order.Slots;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crash test every ledger runs (a backend subclasses it, like the ledger conformance suite):
 * the engine jar runs as a process; concurrent signed intake and round closes run against it; it is
 * killed with SIGKILL at a random instant (every other kill aimed just after a round close was
 * sent); it is started again on the same data directory; then {@link StateCheck} checks that every
 * acknowledged write is there, nothing refused is, every closed round settles on its own, no batch
 * is lost or duplicated and credits are conserved per account. At the end the engine is stopped and
 * {@code cne-engine audit verify --json} must pass.
 *
 * <p>System properties: {@code cne.chaos.kills} (default 10; the long run uses 100), {@code
 * cne.chaos.seed} (default random; every failure names it, so {@code -Dcne.chaos.seed=N} replays
 * the same workload and kill instants), {@code cne.chaos.threads} (trader threads, default 4),
 * {@code cne.chaos.settle-timeout-seconds} (default 60), and {@code cne.chaos.signal} ({@code
 * KILL}, the default, or {@code TERM}: the engine's graceful stop instead, the control run that
 * tells a test's mistake from the engine's), and {@code cne.chaos.keep-going} (default false: fail
 * at the first restart with findings; true: note them and go on, failing at the end with all of
 * them).
 */
public abstract class CrashTest {
  private static final Logger LOG = LoggerFactory.getLogger(CrashTest.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration TRAFFIC_TIMEOUT = Duration.ofSeconds(120);
  private static final long CREDIT_MICROS = 1_000_000;

  private EngineProcess engine;

  /** This run's folder: the engine's data directory, its log and the node's state. */
  protected Path dir;

  /** The {@code serve} / {@code audit verify} options that select this ledger. */
  protected abstract List<String> ledgerArgs();

  /** Environment the engine needs for this ledger (e.g. the EVM operator key). */
  protected Map<String, String> ledgerEnv() {
    return Map.of();
  }

  /** Starts what the ledger needs before the first engine (e.g. a node). */
  protected void startLedger() throws Exception {}

  /** Stops what {@link #startLedger()} started. */
  protected void stopLedger() {}

  /**
   * Called while the engine is dead after kill {@code kill} (from 1), before the restart: a backend
   * may crash and restart its node here.
   */
  protected void betweenKillAndRestart(int kill, Random random) throws Exception {}

  /** What the ledger backend went through, for the test's log. */
  protected String ledgerEvents() {
    return "";
  }

  @AfterEach
  void stopEverything() {
    if (engine != null) {
      engine.close();
    }
    stopLedger();
  }

  @Test
  void acknowledgedWritesSurviveKillsAtRandomInstants() throws Exception {
    long seed = Long.getLong("cne.chaos.seed", new SecureRandom().nextLong());
    int kills = Integer.getInteger("cne.chaos.kills", 10);
    int threads = Integer.getInteger("cne.chaos.threads", 4);
    boolean graceful = System.getProperty("cne.chaos.signal", "KILL").equalsIgnoreCase("TERM");
    boolean keepGoing = Boolean.getBoolean("cne.chaos.keep-going");
    List<String> found = new ArrayList<>();
    Duration settleTimeout =
        Duration.ofSeconds(Long.getLong("cne.chaos.settle-timeout-seconds", 60));
    String replay =
        " [seed "
            + seed
            + "; replay with -Dcne.chaos.seed="
            + seed
            + " -Dcne.chaos.kills="
            + kills
            + "]";
    LOG.info(
        "crash test on {} with seed {}, {} {}, {} trader threads",
        getClass().getSimpleName(),
        seed,
        kills,
        graceful ? "graceful stops" : "kills",
        threads);
    Random random = new Random(seed);
    // Under target/, kept when the test fails: the data directory and engine log are the evidence.
    dir =
        Path.of("target", "chaos", getClass().getSimpleName() + "-" + Long.toUnsignedString(seed))
            .toAbsolutePath();
    deleteTree(dir);
    Path data = dir.resolve("data");
    Path log = dir.resolve("engine.log");
    Files.createDirectories(data);
    History history = new History();
    AtomicLong nextSlot = new AtomicLong();
    AtomicLong depositSeq = new AtomicLong();

    startLedger();
    engine = startEngine(data, log);
    MarketClient operator = operatorClient();
    Eip712.Domain domain = domain(operator);
    // Future slots: a round may close any slot after the last closed one.
    nextSlot.set(Slots.of(Instant.now()) + 2);
    seedParticipants(
        MarketClient.connect(engine.baseUrl(), Duration.ofSeconds(30)),
        operator,
        domain,
        history,
        random);

    // Before any kill: the same traffic, stopped cleanly, must pass every check (the checks are
    // right).
    Workload warmUp =
        new Workload(engine.baseUrl(), domain, history, seed, 0, threads, nextSlot, depositSeq);
    warmUp.start();
    boolean busy = warmUp.awaitRequests(40, TRAFFIC_TIMEOUT);
    warmUp.stopAndJoin();
    assertThat(busy).as("40 requests within " + TRAFFIC_TIMEOUT + replay).isTrue();
    StateCheck first = new StateCheck(operator, domain, history, settleTimeout, nextSlot).run(0);
    assertThat(first.violations())
        .as("without any kill" + replay + "; engine log " + log)
        .isEmpty();
    LOG.info("before the first kill: {}", first.seen());

    long requests = warmUp.requests();
    List<Long> settleMillis = new ArrayList<>();
    for (int kill = 1; kill <= kills; kill++) {
      Workload w =
          new Workload(
              engine.baseUrl(), domain, history, seed, kill, threads, nextSlot, depositSeq);
      w.start();
      // A random instant after a random amount of traffic; every other kill lands shortly after a
      // round close was sent (while it clears, commits or settles).
      boolean atRoundClose = kill % 2 == 0;
      long traffic = 10 + random.nextInt(60);
      long delayMillis = random.nextInt(atRoundClose ? 400 : 600);
      if (!w.awaitRequests(traffic, TRAFFIC_TIMEOUT)) {
        engine.threadDump();
        throw new AssertionError(
            "the engine answered only "
                + w.requests()
                + " requests in "
                + TRAFFIC_TIMEOUT
                + " before kill "
                + kill
                + ": it stopped making progress (its threads' stacks are at the end of its log)"
                + replay
                + "; engine log "
                + log);
      }
      if (atRoundClose && !w.awaitNextRoundClose(TRAFFIC_TIMEOUT)) {
        engine.threadDump();
        throw new AssertionError(
            "the operator's round close was not answered for "
                + TRAFFIC_TIMEOUT
                + " before kill "
                + kill
                + " while "
                + w.requests()
                + " other requests were: rounds stopped closing (its threads' stacks"
                + " are at the end of its log)"
                + replay
                + "; engine log "
                + log);
      }
      Thread.sleep(delayMillis);
      history.killed(kill, System.nanoTime());
      if (graceful) {
        engine.terminate();
        w.stopAndJoin(); // requests in flight are still answered
        engine.stop();
      } else {
        engine.kill();
        w.stopAndJoin();
      }
      requests += w.requests();
      betweenKillAndRestart(kill, random);

      engine = startEngine(data, log);
      operator = operatorClient();
      StateCheck check =
          new StateCheck(operator, domain, history, settleTimeout, nextSlot).run(kill);
      String where =
          "after kill "
              + kill
              + " of "
              + kills
              + (atRoundClose ? " (aimed at a round close)" : "")
              + ledgerEvents()
              + replay
              + "; engine log "
              + log;
      if (keepGoing) {
        check.violations().forEach(v -> found.add(where + ": " + v));
      } else {
        assertThat(check.violations()).as(where).isEmpty();
      }
      settleMillis.add(check.seen().settleMillis());
      LOG.info("kill {}: {}; {}", kill, history.summary(), check.seen());
    }

    assertThat(found).as("every kill's findings" + replay).isEmpty();
    // The audit reads the stores directly, so the engine stops first (gracefully this time).
    engine.stop();
    Map<String, String> env = new HashMap<>(ledgerEnv());
    List<String> args =
        new ArrayList<>(List.of("audit", "verify", "--data", data.toString(), "--json"));
    args.addAll(ledgerArgs());
    EngineProcess.CliRun audit =
        EngineProcess.cli(env, Duration.ofMinutes(5), args.toArray(String[]::new));
    assertThat(audit.exitCode()).as("cne-engine audit verify: " + audit.output() + replay).isZero();
    Fields report = Fields.of(Json.parse(audit.lastLine()), "audit report");
    assertThat(report.bool("verified")).as(audit.output() + replay).isTrue();
    LOG.info(
        "survived {} kills, {} requests ({}); rounds settled after each restart within {} ms; audit {}",
        kills,
        requests,
        history.summary(),
        settleMillis,
        audit.lastLine());
    stopLedger();
    deleteTree(dir);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private EngineProcess startEngine(Path data, Path log) throws Exception {
    return EngineProcess.start(data, ledgerArgs(), ledgerEnv(), log, START_TIMEOUT);
  }

  private MarketClient operatorClient() {
    return MarketClient.connect(engine.baseUrl(), Duration.ofSeconds(30))
        .withBearer(EngineProcess.OPERATOR_TOKEN);
  }

  private static Eip712.Domain domain(MarketClient operator) throws Exception {
    return RecordCodec.domain(operator.get("/v1/market").object("domain"));
  }

  /** Two microgrids, three providers and two users, the buyers funded; all must be acknowledged. */
  private static void seedParticipants(
      MarketClient open,
      MarketClient operator,
      Eip712.Domain domain,
      History history,
      Random random)
      throws Exception {
    List<Role> roles =
        List.of(
            Role.MICROGRID,
            Role.MICROGRID,
            Role.PROVIDER,
            Role.PROVIDER,
            Role.PROVIDER,
            Role.USER,
            Role.USER);
    int n = 0;
    for (Role role : roles) {
      Trader t =
          new Trader(
              Secp256k1.KeyPair.generate(new SecureRandom()),
              role,
              role.name().toLowerCase() + "-" + n++);
      Reply r = Workload.registerTrader(t, open, domain, history, 0);
      assertThat(r.ok()).as("registering " + t.name + ": " + r).isTrue();
      if (role != Role.MICROGRID) {
        Deposit d =
            new Deposit(
                "chaos-seed-" + t.name + "-" + Long.toUnsignedString(random.nextLong(), 36),
                t.address(),
                (50 + random.nextInt(50)) * CREDIT_MICROS);
        Reply dr = Workload.sendDeposit(d, operator, history, 0);
        assertThat(dr.ok()).as("deposit for " + t.name + ": " + dr).isTrue();
      }
    }
  }
}
