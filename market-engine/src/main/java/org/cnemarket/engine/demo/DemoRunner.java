package org.cnemarket.engine.demo;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cnemarket.core.client.MarketClient;
import org.cnemarket.core.client.MarketClientException;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.merkle.MerkleTree;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Trade;
import org.cnemarket.engine.Engine;
import org.cnemarket.engine.config.EngineConfig;
import org.cnemarket.engine.config.LedgerSettings;
import org.cnemarket.engine.config.SurfaceConfig;
import org.cnemarket.engine.market.IncentiveService;
import org.cnemarket.engine.round.RoundParameters;

/**
 * Runs the demo market: starts an engine on loopback, registers the demo participants over REST,
 * funds them, sends their signed orders for each hourly slot, closes and settles every round, then
 * verifies every trade's Merkle proof against the root the ledger holds and checks that credits are
 * conserved. A second run on the same directory continues the same chain.
 */
public final class DemoRunner {
  /** What a run did; {@code toJson()} is the demo's machine-readable summary. */
  public record Summary(
      long slots,
      long orders,
      long trades,
      long energyWh,
      long greenWh,
      long computeMilliUnits,
      long carbonMg,
      long batches,
      long ledgerHeight,
      boolean verified,
      boolean conservation,
      long firstSlot,
      boolean repriced,
      long contracts,
      long certifiedGreenWh) {
    public Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("slots", slots);
      m.put("firstSlot", firstSlot);
      m.put("orders", orders);
      m.put("trades", trades);
      m.put("energyWh", energyWh);
      m.put("greenWh", greenWh);
      m.put("computeMilliUnits", computeMilliUnits);
      m.put("carbonMg", carbonMg);
      m.put("batches", batches);
      m.put("ledgerHeight", ledgerHeight);
      m.put("verified", verified);
      m.put("conservation", conservation);
      m.put("repriced", repriced);
      m.put("contracts", contracts);
      m.put("certifiedGreenWh", certifiedGreenWh);
      return m;
    }
  }

  private final PrintStream out;

  public DemoRunner(PrintStream out) {
    this.out = out;
  }

  /**
   * What to do with the running engine once the rounds are done (e.g. keep serving the dashboard).
   */
  @FunctionalInterface
  public interface AfterRounds {
    void run(Engine engine, Summary summary, String operatorToken) throws Exception;
  }

  /** Runs the demo on a loopback engine with the default surfaces, and stops it. */
  public Summary run(Path dataDir, int slots, EngineConfig base) throws Exception {
    return run(dataDir, slots, base, SurfaceConfig.defaults(), null);
  }

  /**
   * Runs the demo on an engine bound to loopback at {@code base.port()} (0: any free port) with
   * {@code surfaces}; the demo's operator key signs in as the operator. When {@code afterwards} is
   * given it gets the running engine before it is stopped.
   */
  public Summary run(
      Path dataDir, int slots, EngineConfig base, SurfaceConfig surfaces, AfterRounds afterwards)
      throws Exception {
    return run(
        dataDir,
        slots,
        base.ledgerSettings(),
        base.port(),
        base.roundParameters(),
        surfaces,
        afterwards);
  }

  /**
   * Runs the demo on the given ledger with an engine bound to loopback at {@code port} (0: any free
   * port); the operator's bearer token is made here and handed to {@code afterwards}.
   */
  public Summary run(
      Path dataDir,
      int slots,
      LedgerSettings ledgerSettings,
      int port,
      RoundParameters mechanisms,
      SurfaceConfig surfaces,
      AfterRounds afterwards)
      throws Exception {
    String token = Hex.encode(new SecureRandom().generateSeed(24)).substring(2);
    EngineConfig cfg =
        new EngineConfig(
            dataDir,
            "127.0.0.1",
            port,
            ledgerSettings.ledger(),
            ledgerSettings.chainId(),
            token,
            ledgerSettings.evmRpcUrl(),
            ledgerSettings.evmContract(),
            ledgerSettings.evmKeyHex(),
            ledgerSettings.fabricProfile(),
            60_000,
            mechanisms);
    DemoMarket market = new DemoMarket(DemoSeries.load());
    Map<String, Secp256k1.KeyPair> keys = new LinkedHashMap<>();
    Map<String, String> roles = new LinkedHashMap<>();
    for (DemoMarket.Actor a : market.actors()) {
      keys.put(a.name(), a.key());
      roles.put(a.name(), a.role().name());
    }
    keys.put("operator", DemoMarket.operatorKey());
    roles.put("operator", "OPERATOR");
    Files.createDirectories(dataDir);
    DemoKeystores.Written keystores = DemoKeystores.ensure(dataDir, keys, new SecureRandom());
    SurfaceConfig withOperator = surfaces.withOperatorAddress(DemoMarket.operatorKey().address());
    try (Engine engine = Engine.start(cfg, withOperator, Clock.systemUTC());
        MarketClient client = MarketClient.connect(engine.baseUrl(), Duration.ofSeconds(30))) {
      Fields info = client.get("/v1/market");
      Eip712.Domain domain = RecordCodec.domain(info.object("domain"));
      long first =
          info.has("lastClosedSlot") ? info.longValue("lastClosedSlot") + 1 : DemoMarket.FIRST_SLOT;
      out.printf(
          "CNE Market demo: %d hourly rounds from %s on the %s ledger (%s)%n",
          slots,
          Instant.ofEpochSecond(first * 3600),
          info.object("ledger").string("backend"),
          dataDir);

      client.withBearer(token);
      for (DemoMarket.Actor a : market.actors()) {
        if (a.role() == Role.AUDITOR) {
          // Auditors read everyone's data: the operator admits them before they register.
          client.post("/v1/auditors", Map.of("address", a.key().address()));
        }
        Registration reg = Registration.sign(domain, a.key(), a.role(), a.name(), 0);
        client.post("/v1/participants", RecordCodec.registration(reg));
      }
      for (DemoMarket.Actor a : market.actors()) {
        long amount =
            switch (a.role()) {
              case PROVIDER -> 2_000_000_000L;
              case USER -> 500_000_000L;
              default -> 0L;
            };
        if (amount > 0) {
          client.post(
              "/v1/deposits",
              Map.of(
                  "depositId",
                  "demo-" + first + "-" + a.name(),
                  "account",
                  a.key().address(),
                  "amountMicros",
                  amount));
        }
      }

      for (DemoMarket.Actor a : market.actors()) {
        if (a.role() == Role.PROVIDER) {
          client.put(
              "/v1/participants/" + a.key().address() + "/power-model", DemoMarket.powerModel(a));
        }
      }

      long orders = 0;
      long contracts = 0;
      long certifiedWh = 0;
      long trades = 0;
      long energyWh = 0;
      long greenWh = 0;
      long compute = 0;
      long carbon = 0;
      SignedIn traders = new SignedIn(engine.baseUrl());
      for (long slot = first; slot < first + slots; slot++) {
        if (slot == first || Math.floorMod(slot, IncentiveService.SLOTS_PER_EPOCH) == 0) {
          contracts +=
              takeContracts(client, traders, market, domain, IncentiveService.epochOf(slot));
        }
        for (Order o : market.ordersFor(slot)) {
          var key = market.byAddress(o.trader()).key();
          SignedOrder so = SignedOrder.sign(domain, o, key);
          traders.client(key).post("/v1/orders", RecordCodec.signedOrder(so));
          orders++;
        }
        Fields r = client.post("/v1/rounds", Map.of("slot", slot));
        trades += r.longValue("trades");
        energyWh += r.longValue("energyWh");
        greenWh += r.longValue("greenWh");
        compute += r.longValue("computeMilliUnits");
        carbon += r.longValue("carbonMg");
        out.println(progressLine(r));
        for (Object o :
            client
                .get("/v1/trades?fromSlot=" + slot + "&toSlot=" + slot + "&limit=500")
                .list("items")) {
          Fields t = Fields.of(o, "trade");
          long delivered = market.delivered(t.string("seller"), slot, t.longValue("quantity"));
          certifiedWh +=
              client
                  .post(
                      "/v1/meter-readings",
                      Map.of("tradeId", t.string("tradeId"), "deliveredQuantity", delivered))
                  .longValue("certifiedWh");
        }
      }
      boolean repriced = true;
      long lastRound = client.get("/v1/market").longValue("lastRound");
      for (long n = lastRound - slots + 1; n <= lastRound; n++) {
        repriced &= client.get("/v1/rounds/" + n + "/reprice").bool("matches");
      }

      boolean verified = verifyAll(client);
      Fields cons = client.get("/v1/audit/conservation");
      Fields ledger = client.get("/v1/ledger");
      long batches = client.get("/v1/market").longValue("lastRound");
      Summary s =
          new Summary(
              slots,
              orders,
              trades,
              energyWh,
              greenWh,
              compute,
              carbon,
              batches,
              ledger.longValue("height"),
              verified,
              cons.bool("conserved"),
              first,
              repriced,
              contracts,
              certifiedWh);
      out.printf(
          "%d orders, %d trades, %.1f kWh energy (%.0f%% green), %.1f compute units, %.1f kg CO2;"
              + " %d batches, ledger height %d; %d contracts, %.1f kWh green certified; proofs verified: %s;"
              + " credits conserved: %s; rounds reprice to the ledger: %s%n",
          orders,
          trades,
          energyWh / 1000.0,
          energyWh == 0 ? 0.0 : 100.0 * greenWh / energyWh,
          compute / 1000.0,
          carbon / 1e6,
          batches,
          s.ledgerHeight(),
          contracts,
          certifiedWh / 1000.0,
          verified,
          s.conservation(),
          repriced);
      DemoKeystores.describe(keystores, roles, keys, out);
      out.flush();
      if (afterwards != null) {
        afterwards.run(engine, s, token);
      }
      return s;
    }
  }

  /**
   * Each provider takes the contract of the epoch's menu designed for its type, with a signed
   * choice.
   */
  /**
   * One REST client per participant, signed in with its key; tokens are short-lived, so it signs in
   * again.
   */
  private static final class SignedIn {
    private final String baseUrl;
    private final Map<String, MarketClient> clients = new HashMap<>();
    private final Map<String, Long> signedInAtMillis = new HashMap<>();

    SignedIn(String baseUrl) {
      this.baseUrl = baseUrl;
    }

    MarketClient client(Secp256k1.KeyPair key) throws MarketClientException {
      MarketClient c =
          clients.computeIfAbsent(
              key.address(), a -> MarketClient.connect(baseUrl, Duration.ofSeconds(30)));
      if (System.currentTimeMillis() - signedInAtMillis.getOrDefault(key.address(), 0L)
          > 5 * 60_000L) {
        c.login(key);
        signedInAtMillis.put(key.address(), System.currentTimeMillis());
      }
      return c;
    }
  }

  private long takeContracts(
      MarketClient client, SignedIn traders, DemoMarket market, Eip712.Domain domain, long epoch)
      throws MarketClientException {
    Fields menu = client.get("/v1/contracts/menu?epoch=" + epoch);
    List<Object> offered = menu.list("contracts");
    StringBuilder line =
        new StringBuilder("epoch " + epoch + " incentive menu (q units, R credits):");
    for (Object o : offered) {
      Fields c = Fields.of(o, "contract");
      line.append(
          String.format(
              " [%d: q=%.2f R=%.2f]",
              c.longValue("index"),
              c.longValue("committedMilliUnits") / 1000.0,
              c.longValue("rewardMicros") / 1e6));
    }
    out.println(line);
    long taken = 0;
    Set<String> already = new HashSet<>();
    for (Object o : client.get("/v1/contracts?epoch=" + epoch).list("items")) {
      already.add(Fields.of(o, "contract").string("provider"));
    }
    for (DemoMarket.Actor a : market.actors()) {
      if (a.role() != Role.PROVIDER || already.contains(a.key().address())) {
        continue;
      }
      long type =
          client.get("/v1/participants/" + a.key().address() + "/reputation").longValue("type");
      long nonce = epoch;
      var sig =
          a.key().sign(Eip712.contractChoiceDigest(domain, a.key().address(), epoch, type, nonce));
      Fields c =
          traders
              .client(a.key())
              .post(
                  "/v1/contracts",
                  Map.of(
                      "provider",
                      a.key().address(),
                      "epoch",
                      epoch,
                      "index",
                      type,
                      "nonce",
                      nonce,
                      "signature",
                      sig.toHex()));
      out.printf(
          "  %s (type %d) takes contract %d: commit %.2f green units for %.2f credits%n",
          a.name(),
          type,
          c.longValue("index"),
          c.longValue("committedMilliUnits") / 1000.0,
          c.longValue("rewardMicros") / 1e6);
      taken++;
    }
    return taken;
  }

  private static String progressLine(Fields r) {
    Fields results = r.object("results");
    Fields e = results.object("energy");
    Fields c = results.object("compute");
    long wh = r.longValue("energyWh");
    StringBuilder leaders = new StringBuilder();
    if (c.has("providers")) {
      for (Object o : c.list("providers")) {
        Fields p = Fields.of(o, "provider");
        leaders.append(
            String.format(
                " %s..=%.4f%s",
                p.string("provider").substring(0, 8),
                p.longValue("priceMicros") / 1e6,
                p.bool("verified") ? "" : "(unverified)"));
      }
    }
    return String.format(
        "round %d slot %s: %d orders, %d trades; energy %s %.1f kWh at %.4f/kWh (%.0f%% green);"
            + " compute %.1f units, Stackelberg prices:%s; batch %s %s",
        r.longValue("round"),
        Instant.ofEpochSecond(r.longValue("slot") * 3600),
        r.longValue("orders"),
        r.longValue("trades"),
        e.string("mechanism"),
        wh / 1000.0,
        e.longValue("priceMicros") / 1e6,
        wh == 0 ? 0.0 : 100.0 * r.longValue("greenWh") / wh,
        r.longValue("computeMilliUnits") / 1000.0,
        leaders.length() == 0 ? " none" : leaders.toString(),
        r.string("batchId").substring(0, 10),
        r.string("settlement", "?"));
  }

  /** Checks every trade's proof against the root the ledger reports for its batch. */
  static boolean verifyAll(MarketClient client) throws MarketClientException {
    Map<String, byte[]> roots = new HashMap<>();
    int offset = 0;
    boolean ok = true;
    while (true) {
      List<Object> items = client.get("/v1/trades?limit=500&offset=" + offset).list("items");
      for (Object o : items) {
        Trade t = RecordCodec.trade(Fields.of(o, "trade"));
        Fields p = client.get("/v1/trades/" + t.tradeId() + "/proof");
        String batchId = p.string("batchId");
        byte[] root = roots.get(batchId);
        if (root == null) {
          root = Hex.decode(client.get("/v1/ledger/batches/" + batchId).string("merkleRoot"));
          roots.put(batchId, root);
        }
        List<byte[]> proof = p.list("proof").stream().map(x -> Hex.decode((String) x)).toList();
        ok &= MerkleTree.verify(proof, root, t.leaf());
      }
      if (items.size() < 500) {
        return ok;
      }
      offset += items.size();
    }
  }

  public static String toJson(Summary s) {
    return Json.write(s.toJson());
  }
}
