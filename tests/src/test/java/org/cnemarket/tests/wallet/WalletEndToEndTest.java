package org.cnemarket.tests.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cnemarket.core.client.MarketClient;
import org.cnemarket.core.client.MarketClientException;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Trade;
import org.cnemarket.engine.Engine;
import org.cnemarket.engine.config.EngineConfig;
import org.cnemarket.engine.round.RoundParameters;
import org.cnemarket.wallet.OrderOutcome;
import org.cnemarket.wallet.OrderReceipt;
import org.cnemarket.wallet.WalletApi;
import org.cnemarket.wallet.cli.CliContext;
import org.cnemarket.wallet.cli.ExitCodes;
import org.cnemarket.wallet.cli.WalletMain;
import org.cnemarket.wallet.order.OrderTerms;
import org.cnemarket.wallet.order.Slots;
import org.cnemarket.wallet.proof.ProofCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every wallet command against a running engine (embedded ledger), in-process through {@link
 * WalletMain}: keys, registration, deposits, orders, a round, trades, balances, proofs, rejections
 * and watch. One engine for the class: the first start in a JVM is slow.
 */
class WalletEndToEndTest {
  private static final String TOKEN = "operator-token-for-wallet-e2e";
  private static final long CREDIT = 1_000_000;

  @TempDir static Path dir;

  private static Engine engine;
  private static MarketClient operator;

  @BeforeAll
  static void startEngine() throws Exception {
    // Compute clears by the uniform double auction here, so the expected prices are the auction's.
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

  // ---- helpers ----

  private record Run(int exitCode, String out, String err) {
    Fields json() {
      return Fields.of(Json.parse(out.trim()), "stdout");
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** A participant's shell: its own keystore, the engine URL and password in its environment. */
  private static final class Shell {
    final Map<String, String> env = new HashMap<>();
    String address;

    Shell(String name) {
      env.put("CNE_ENGINE_URL", engine.baseUrl());
      env.put("CNE_KEYSTORE", dir.resolve(name + ".json").toString());
      env.put("CNE_WALLET_PASSWORD", "pw of " + name);
    }

    Run run(String... args) {
      return run(new StringWriter(), args);
    }

    Run run(StringWriter out, String... args) {
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
  }

  private static Shell participant(String name, Role role) {
    Shell s = new Shell(name);
    s.address = s.ok("keys", "new", "--light", "--json").json().string("address");
    assertThat(s.ok("keys", "show").out().trim()).isEqualTo(s.address);
    if (role == Role.AUDITOR) {
      try {
        operator.post("/v1/auditors", Map.of("address", s.address));
      } catch (MarketClientException e) {
        throw new AssertionError(e);
      }
    }
    Fields reg = s.ok("register", "--role", role.name(), "--name", name, "--json").json();
    assertThat(reg.string("address")).isEqualTo(s.address);
    assertThat(reg.string("role")).isEqualTo(role.name());
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

  private static Fields closeRound(long slot) throws MarketClientException {
    return operator.post("/v1/rounds", Map.of("slot", slot));
  }

  // ---- tests ----

  @Test
  void aProviderTakesItsTypesIncentiveContractThroughTheWallet() throws Exception {
    Shell provider = participant("contract-provider", Role.PROVIDER);
    Fields menu = provider.ok("contracts", "menu", "--json").json();
    assertThat(menu.list("contracts")).hasSize(3);
    assertThat(menu.bool("irIcChecked")).isTrue();
    long epoch = menu.longValue("epoch");
    // A new provider has no delivery record: Beta reputation 1/2, the middle of three types.
    Run wrongType =
        provider.run("contracts", "take", "--index", "2", "--epoch", Long.toString(epoch));
    assertThat(wrongType.exitCode()).isEqualTo(6);
    assertThat(wrongType.err()).contains("contract-not-for-type");
    Fields taken = provider.ok("contracts", "take", "--json").json();
    assertThat(taken.longValue("index")).isEqualTo(1);
    assertThat(taken.longValue("epoch")).isEqualTo(epoch);
    long reward = taken.longValue("rewardMicros");
    assertThat(reward).isPositive();
    assertThat(provider.ok("balance", "--json").json().longValue("availableMicros"))
        .isEqualTo(reward);
    Run again = provider.run("contracts", "take", "--index", "0");
    assertThat(again.exitCode()).isEqualTo(6);
    assertThat(again.err()).contains("contract-taken");
  }

  @Test
  void everyCommandEndToEnd() throws Exception {
    Shell provider = participant("provider", Role.PROVIDER);
    Shell microgrid = participant("microgrid", Role.MICROGRID);
    Shell user = participant("user", Role.USER);
    deposit(provider.address, 10 * CREDIT);
    deposit(user.address, 10 * CREDIT);

    long slot = freshSlot();
    String iso = Slots.format(slot);
    // Energy: the provider bids 1.5 kWh at ≤ 0.12, the microgrid offers 2 kWh of solar at ≥ 0.10.
    Fields bid =
        provider
            .ok(
                "bid",
                "--kwh",
                "1.5",
                "--price",
                "0.12",
                "--slot",
                iso,
                "--min-green-percent",
                "50",
                "--json")
            .json();
    assertThat(bid.string("status")).isEqualTo("OPEN");
    Fields bidOrder = bid.object("order");
    assertThat(bidOrder.longValue("quantity")).isEqualTo(1_500);
    assertThat(bidOrder.longValue("priceMicros")).isEqualTo(120_000);
    assertThat(bidOrder.longValue("greenBps")).isEqualTo(5_000);
    assertThat(bidOrder.longValue("slot")).isEqualTo(slot);
    long bidNonce = bidOrder.longValue("nonce");
    Run offer =
        microgrid.ok(
            "offer",
            "energy",
            "--wh",
            "2000",
            "--price",
            "0.10",
            "--source",
            "solar",
            "--carbon",
            "20",
            "--slot",
            Long.toString(slot));
    assertThat(offer.out())
        .contains("accepted (OPEN)")
        .contains("ENERGY_OFFER 2 kWh at 0.1 credits/kWh");
    // Compute: the provider offers 4 units at ≥ 0.5, the user demands 2.5 units at ≤ 0.6.
    provider.ok("offer", "compute", "--units", "4", "--price-micros", "500000", "--slot", iso);
    user.ok("demand", "--units", "2.5", "--price", "0.6", "--slot", iso, "--latency-ms", "50");

    // The bid locked 1500 Wh × 0.12 = 0.18 credits.
    Fields before = provider.ok("balance", "--json").json();
    assertThat(before.longValue("availableMicros")).isEqualTo(10 * CREDIT - 180_000);
    assertThat(before.longValue("escrowMicros")).isEqualTo(180_000);
    assertThat(provider.ok("balance").out())
        .contains("available: 9.82 credits")
        .contains("in escrow: 0.18 credits");

    Fields orders = provider.ok("orders", "--json").json();
    assertThat(orders.list("items")).hasSize(2);
    assertThat(provider.ok("orders").out())
        .contains("2 order(s) of " + provider.address)
        .contains("OPEN");

    // Rejections: a replayed nonce, an overdraft, an order from the wrong role.
    Run replay =
        provider.run(
            "bid",
            "--kwh",
            "1",
            "--price",
            "0.12",
            "--slot",
            iso,
            "--nonce",
            Long.toString(bidNonce));
    assertThat(replay.exitCode()).as(replay.toString()).isEqualTo(ExitCodes.REJECTED);
    assertThat(replay.err())
        .contains("nonce-used")
        .contains("HTTP 409")
        .contains("was used already");
    Run overdraft =
        provider.run("bid", "--kwh", "1000", "--price", "1000", "--slot", iso, "--json");
    assertThat(overdraft.exitCode()).as(overdraft.toString()).isEqualTo(ExitCodes.REJECTED);
    assertThat(overdraft.json().string("error")).isEqualTo("insufficient-funds");
    assertThat(overdraft.json().longValue("status")).isEqualTo(422);
    Run wrongRole = user.run("bid", "--kwh", "1", "--price", "0.1", "--slot", iso);
    assertThat(wrongRole.exitCode()).isEqualTo(ExitCodes.REJECTED);
    assertThat(wrongRole.err()).contains("forbidden").contains("PROVIDER");

    Fields round = closeRound(slot);
    assertThat(round.longValue("trades")).isEqualTo(2);

    Fields trades = provider.ok("trades", "--json").json();
    assertThat(trades.list("items")).hasSize(2);
    String energyTrade = null;
    String computeTrade = null;
    for (Object o : trades.list("items")) {
      Fields t = Fields.of(o, "trade");
      if (t.string("market").equals("ENERGY")) {
        energyTrade = t.string("tradeId");
        // Uniform k = 1/2 price between the marginal bid 0.12 and ask 0.10.
        assertThat(t.longValue("priceMicros")).isEqualTo(110_000);
        assertThat(t.longValue("amountMicros")).isEqualTo(165_000);
        assertThat(t.string("buyer")).isEqualTo(provider.address);
        assertThat(t.longValue("greenWh")).isEqualTo(1_500);
      } else {
        computeTrade = t.string("tradeId");
        assertThat(t.longValue("amountMicros")).isEqualTo(1_375_000);
        assertThat(t.string("seller")).isEqualTo(provider.address);
      }
    }
    assertThat(energyTrade).isNotNull();
    assertThat(computeTrade).isNotNull();
    assertThat(provider.ok("trades", "--from-slot", iso, "--to-slot", iso).out())
        .contains("bought 1.5 kWh at 0.11 credits/kWh = 0.165 credits from " + microgrid.address)
        .contains("sold 2.5 units at 0.55 credits/unit");
    assertThat(
            provider
                .ok("trades", "--from-slot", Long.toString(slot + 1), "--json")
                .json()
                .list("items"))
        .isEmpty();

    // Settled on the ledger: the seller is paid, the bid's unspent escrow refunded.
    Fields after = provider.ok("balance", "--json").json();
    assertThat(after.longValue("escrowMicros")).isZero();
    assertThat(after.longValue("availableMicros")).isEqualTo(10 * CREDIT - 165_000 + 1_375_000);
    assertThat(microgrid.ok("balance", "--json").json().longValue("availableMicros"))
        .isEqualTo(165_000);
    // The bid filled; the compute offer sold 2.5 of 4 units and closed with its slot.
    Map<String, String> statusByKind = new HashMap<>();
    Map<String, Long> filledByKind = new HashMap<>();
    for (Object o : provider.ok("orders", "--json").json().list("items")) {
      Fields f = Fields.of(o, "order");
      statusByKind.put(f.object("order").string("kind"), f.string("status"));
      filledByKind.put(f.object("order").string("kind"), f.longValue("filled"));
    }
    assertThat(statusByKind)
        .containsEntry("ENERGY_BID", "FILLED")
        .containsEntry("COMPUTE_OFFER", "CLOSED");
    assertThat(filledByKind)
        .containsEntry("ENERGY_BID", 1_500L)
        .containsEntry("COMPUTE_OFFER", 2_500L);

    // Proofs: verified against the ledger's root by any signed-in participant, an auditor too.
    Run proof = provider.ok("proof", energyTrade, "--json");
    assertThat(proof.json().bool("verified")).isTrue();
    assertThat(proof.json().string("status")).isEqualTo("VERIFIED");
    assertThat(proof.json().string("batchId")).isEqualTo(round.string("batchId"));
    Shell auditor = participant("auditor", Role.AUDITOR);
    assertThat(auditor.ok("proof", computeTrade).out()).startsWith("VERIFIED");
    Run unknown = auditor.run("proof", "0x" + "ab".repeat(32));
    assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(ExitCodes.NOT_VERIFIED);
    assertThat(unknown.err()).contains("NOT VERIFIED (UNKNOWN_TRADE)");
    Run unknownJson = auditor.run("proof", "0x" + "cd".repeat(32), "--json");
    assertThat(unknownJson.exitCode()).isEqualTo(ExitCodes.NOT_VERIFIED);
    assertThat(unknownJson.json().bool("verified")).isFalse();

    // The slot is closed now: an order for it is refused with the server's reason.
    Run late = provider.run("bid", "--kwh", "1", "--price", "0.12", "--slot", iso);
    assertThat(late.exitCode()).isEqualTo(ExitCodes.REJECTED);
    assertThat(late.err()).contains("slot-closed").contains("next open slot");

    // Registering again with another role is refused; a participant may not read another's balance.
    assertThat(provider.run("register", "--role", "USER", "--name", "x").err())
        .contains("already-registered");
    Run stranger = provider.run("balance", "--address", "0x" + "12".repeat(20));
    assertThat(stranger.exitCode()).isEqualTo(ExitCodes.REJECTED);
    assertThat(stranger.err()).contains("forbidden");
  }

  @Test
  void watchFollowsOneRound() throws Exception {
    Shell provider = participant("watcher", Role.PROVIDER);
    Shell microgrid = participant("watched-grid", Role.MICROGRID);
    deposit(provider.address, 5 * CREDIT);
    long slot = freshSlot();

    StringWriter out = new StringWriter();
    CompletableFuture<Run> watch =
        CompletableFuture.supplyAsync(
            () ->
                provider.run(
                    out, "watch", "--rounds", "1", "--timeout", "60s", "--interval", "200ms"));
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!out.toString().contains("watching") && System.nanoTime() < until && !watch.isDone()) {
      Thread.sleep(20);
    }
    assertThat(out.toString()).contains("watching " + provider.address);

    provider.ok("bid", "--wh", "1000", "--price", "0.2", "--slot", Long.toString(slot));
    microgrid.ok(
        "offer",
        "energy",
        "--kwh",
        "1",
        "--price",
        "0.2",
        "--source",
        "WIND",
        "--slot",
        Long.toString(slot));
    Fields round = closeRound(slot);

    Run r = watch.get(60, TimeUnit.SECONDS);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("round " + round.longValue("round") + " " + Slots.format(slot))
        .contains("1 trade(s)")
        .contains("yours: 1 trade(s), paid 0.2")
        .contains("0 open order(s)");

    // Bounded by a timeout with no round to see: a clean stop; with --rounds unmet: exit 9.
    Run quiet = provider.run("watch", "--timeout", "1s", "--interval", "200ms", "--json");
    assertThat(quiet.exitCode()).as(quiet.toString()).isZero();
    assertThat(quiet.json().list("rounds")).isEmpty();
    Run unmet = provider.run("watch", "--rounds", "1", "--timeout", "1s", "--interval", "200ms");
    assertThat(unmet.exitCode()).isEqualTo(ExitCodes.TIMEOUT);
    assertThat(unmet.err()).contains("timed out after 0 of 1 round(s)");
  }

  @Test
  void javaApiSignsSubmitsAndVerifies() throws Exception {
    Secp256k1.KeyPair providerKey = Secp256k1.KeyPair.generate(new SecureRandom());
    Secp256k1.KeyPair gridKey = Secp256k1.KeyPair.generate(new SecureRandom());
    Secp256k1.KeyPair auditorKey = Secp256k1.KeyPair.generate(new SecureRandom());
    try (WalletApi provider =
            WalletApi.connect(engine.baseUrl(), Duration.ofSeconds(10), providerKey);
        WalletApi grid = WalletApi.connect(engine.baseUrl(), Duration.ofSeconds(10), gridKey);
        WalletApi auditor =
            WalletApi.connect(engine.baseUrl(), Duration.ofSeconds(10), auditorKey)) {
      operator.post("/v1/auditors", Map.of("address", auditorKey.address()));
      auditor.register(Role.AUDITOR, "api auditor");
      assertThat(provider.market().domain().chainId()).isEqualTo(EngineConfig.DEFAULT_CHAIN_ID);
      assertThat(provider.register(Role.PROVIDER, "api provider").address())
          .isEqualTo(providerKey.address());
      grid.register(Role.MICROGRID, "api grid");
      assertThat(auditor.participant(providerKey.address())).isPresent();
      assertThat(auditor.participant("0x" + "34".repeat(20))).isEmpty();
      deposit(providerKey.address(), 3 * CREDIT);

      long slot = freshSlot();
      OrderReceipt b =
          provider.submitOrder(OrderKind.ENERGY_BID, OrderTerms.of(slot, 500, 300_000));
      OrderReceipt o =
          grid.submitOrder(
              OrderKind.ENERGY_OFFER,
              OrderTerms.of(slot, 800, 100_000)
                  .withSource(EnergySource.HYDRO)
                  .withGreenBps(10_000));
      assertThat(b.orderId()).isNotEqualTo(o.orderId());
      assertThat(provider.order(b.orderId()))
          .hasValueSatisfying(v -> assertThat(v.status()).isEqualTo("OPEN"));
      assertThat(provider.balance().escrowMicros()).isEqualTo(150_000);

      // Several orders in one request (for a slot no other round here closes): each accepted or
      // refused on its own.
      long n = provider.orders(0, 100).size();
      List<SignedOrder> several =
          List.of(
              provider.sign(
                  OrderTerms.of(slot + 100, 100, 300_000)
                      .toOrder(OrderKind.ENERGY_BID, providerKey.address())),
              provider.sign(
                  OrderTerms.of(slot + 100, 100_000_000, 300_000)
                      .toOrder(OrderKind.ENERGY_BID, providerKey.address())),
              b.signed());
      List<OrderOutcome> outcomes = provider.submitAll(several);
      assertThat(outcomes).extracting(OrderOutcome::accepted).containsExactly(true, false, false);
      assertThat(outcomes.get(0).receipt().status()).isEqualTo("OPEN");
      assertThat(outcomes.get(1).refusal().type()).isEqualTo("insufficient-funds");
      assertThat(outcomes.get(1).refusal().status()).isEqualTo(422);
      assertThat(outcomes.get(2).refusal().type()).isEqualTo("nonce-used");
      assertThat(provider.orders(0, 100)).hasSize((int) n + 1);
      assertThat(provider.balance().escrowMicros()).isEqualTo(180_000);

      // The same signed order again: rejected as a replay.
      try {
        provider.submit(b.signed());
        throw new AssertionError("a replayed order was accepted");
      } catch (MarketClientException e) {
        assertThat(e.status()).isEqualTo(409);
        assertThat(e.type()).isEqualTo("nonce-used");
      }

      closeRound(slot);
      List<Trade> trades = provider.trades(providerKey.address(), slot, slot, 0, 10);
      assertThat(trades).hasSize(1);
      ProofCheck check = auditor.verifyTrade(trades.get(0).tradeId());
      assertThat(check.verified()).as(check.reason()).isTrue();
      assertThat(check.trade()).contains(trades.get(0));
      assertThat(auditor.verifyTrade("0x" + "ef".repeat(32)).status())
          .isEqualTo(ProofCheck.Status.UNKNOWN_TRADE);
      assertThat(auditor.rounds(0, 1))
          .singleElement()
          .satisfies(r -> assertThat(r.slot()).isEqualTo(slot))
          .satisfies(r -> assertThat(r.settlement()).isEqualTo("SETTLED"));
    }
  }
}
