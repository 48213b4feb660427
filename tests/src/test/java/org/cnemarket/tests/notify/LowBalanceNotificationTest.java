package org.cnemarket.tests.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.cnemarket.core.client.MarketClient;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.engine.Engine;
import org.cnemarket.engine.config.EngineConfig;
import org.cnemarket.engine.config.SurfaceConfig;
import org.cnemarket.engine.notify.Webhooks;
import org.cnemarket.wallet.cli.CliContext;
import org.cnemarket.wallet.cli.WalletMain;
import org.cnemarket.wallet.keystore.KdfParams;
import org.cnemarket.wallet.keystore.Keystore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider funds 10 credits and bids for 40 kWh at up to 0.20 (8 credits locked). The round
 * clears at 0.15: it pays 6 and keeps 4, less than the 8 its next round of such bids locks. The
 * low-balance warning reaches the provider's event stream, its {@code cne-wallet watch} and its
 * webhook; the webhook receiver fails the first delivery, and that delivery is retried (same event
 * id, next attempt) with a valid signature.
 */
class LowBalanceNotificationTest {
  static final String TOKEN = "operator-token-for-notification-test";

  /** The next hour: rounds close slots within a year of the clock. */
  static final long SLOT = System.currentTimeMillis() / 3_600_000 + 1;

  static final Secp256k1.KeyPair DC = key("notify-dc");
  static final Secp256k1.KeyPair GRID = key("notify-grid");
  static final String PASSWORD = "pw of the provider";

  @TempDir Path dir;

  Engine engine;
  HttpServer receiver;
  final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  final AtomicInteger received = new AtomicInteger();

  record Delivery(
      int status, String eventId, int attempt, String type, String signature, String body) {}

  static Secp256k1.KeyPair key(String name) {
    return Secp256k1.KeyPair.fromPrivateKey(new BigInteger(1, Keccak.hash("test-key:" + name)));
  }

  @BeforeEach
  void start() throws Exception {
    // Retries start after 100 ms here (1 s by default), so the test sees one within a second.
    engine =
        Engine.start(
            EngineConfig.embedded(dir, 0, TOKEN),
            SurfaceConfig.defaults().withWebhookRetries(100, 5),
            Clock.systemUTC());
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          // The receiver is down for the very first delivery.
          int status = received.getAndIncrement() == 0 ? 500 : 204;
          deliveries.add(
              new Delivery(
                  status,
                  ex.getRequestHeaders().getFirst("CNE-Event-Id"),
                  Integer.parseInt(ex.getRequestHeaders().getFirst("CNE-Delivery-Attempt")),
                  ex.getRequestHeaders().getFirst("CNE-Event"),
                  ex.getRequestHeaders().getFirst(Webhooks.SIGNATURE_HEADER),
                  body));
          ex.sendResponseHeaders(status, -1);
          ex.close();
        });
    receiver.start();
  }

  @AfterEach
  void stop() {
    if (receiver != null) {
      receiver.stop(0);
    }
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void aLowBalanceWarningReachesTheStreamWatchAndARetriedSignedWebhook() throws Exception {
    Eip712.Domain domain;
    String secret;
    try (MarketClient op = MarketClient.connect(engine.baseUrl(), Duration.ofSeconds(30));
        MarketClient dc = MarketClient.connect(engine.baseUrl(), Duration.ofSeconds(30))) {
      domain = RecordCodec.domain(op.get("/v1/market").object("domain"));
      op.post(
          "/v1/participants",
          RecordCodec.registration(Registration.sign(domain, DC, Role.PROVIDER, "dc", 0)));
      op.post(
          "/v1/participants",
          RecordCodec.registration(Registration.sign(domain, GRID, Role.MICROGRID, "grid", 0)));
      op.withBearer(TOKEN)
          .post(
              "/v1/deposits",
              Map.of(
                  "depositId", "notify-dc", "account", DC.address(), "amountMicros", 10_000_000L));
      dc.login(DC);
      Fields hook =
          dc.post(
              "/v1/webhooks",
              Map.of("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"));
      secret = hook.string("secret");
      assertThat(dc.get("/v1/webhooks").list("items")).hasSize(1);
    }

    // The provider's own stream, read as raw server-sent events.
    String token;
    try (MarketClient dc = MarketClient.connect(engine.baseUrl(), Duration.ofSeconds(30))) {
      token = dc.login(DC);
    }
    List<String> streamed = new CopyOnWriteArrayList<>();
    HttpClient http = HttpClient.newHttpClient();
    CompletableFuture<HttpResponse<Stream<String>>> stream =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create(engine.baseUrl() + "/v1/events"))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    HttpResponse<Stream<String>> open = stream.get(30, TimeUnit.SECONDS);
    assertThat(open.statusCode()).isEqualTo(200);
    assertThat(open.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    Thread reader = new Thread(() -> open.body().forEach(streamed::add));
    reader.setDaemon(true);
    reader.start();

    // cne-wallet watch, as the provider.
    Path keystore = dir.resolve("dc.json");
    Keystore.write(keystore, DC, PASSWORD.toCharArray(), KdfParams.LIGHT, new SecureRandom());
    Map<String, String> env = new HashMap<>();
    env.put("CNE_ENGINE_URL", engine.baseUrl());
    env.put("CNE_KEYSTORE", keystore.toString());
    env.put("CNE_WALLET_PASSWORD", PASSWORD);
    StringWriter watchOut = new StringWriter();
    StringWriter watchErr = new StringWriter();
    CompletableFuture<Integer> watch =
        CompletableFuture.supplyAsync(
            () ->
                WalletMain.execute(
                    new CliContext(
                        env,
                        dir,
                        new PrintWriter(watchOut, true),
                        new PrintWriter(watchErr, true),
                        null),
                    "watch",
                    "--timeout",
                    "12s",
                    "--interval",
                    "200ms"));
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!watchOut.toString().contains("watching")
        && System.nanoTime() < until
        && !watch.isDone()) {
      Thread.sleep(20);
    }
    assertThat(watchOut.toString()).as(watchErr.toString()).contains("watching " + DC.address());
    until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (streamed.stream().noneMatch(l -> l.startsWith(": subscribed"))
        && System.nanoTime() < until) {
      Thread.sleep(20);
    }

    // One round: the bid locks 8 credits, clears 40 kWh at 0.15, pays 6; 4 credits are left.
    try (MarketClient dc = MarketClient.connect(engine.baseUrl(), Duration.ofSeconds(30));
        MarketClient grid = MarketClient.connect(engine.baseUrl(), Duration.ofSeconds(30));
        MarketClient op = MarketClient.connect(engine.baseUrl(), Duration.ofSeconds(30))) {
      dc.login(DC);
      grid.login(GRID);
      dc.post(
          "/v1/orders",
          RecordCodec.signedOrder(
              SignedOrder.sign(
                  domain,
                  new Order(
                      OrderKind.ENERGY_BID,
                      DC.address(),
                      SLOT,
                      1,
                      40_000,
                      200_000,
                      EnergySource.NONE,
                      0,
                      0,
                      0,
                      1,
                      0),
                  DC)));
      grid.post(
          "/v1/orders",
          RecordCodec.signedOrder(
              SignedOrder.sign(
                  domain,
                  new Order(
                      OrderKind.ENERGY_OFFER,
                      GRID.address(),
                      SLOT,
                      1,
                      40_000,
                      100_000,
                      EnergySource.WIND,
                      10_000,
                      11_000,
                      0,
                      1,
                      0),
                  GRID)));
      Fields round = op.withBearer(TOKEN).post("/v1/rounds", Map.of("slot", SLOT));
      assertThat(round.longValue("trades")).isEqualTo(1);
      assertThat(round.string("settlement")).isEqualTo("SETTLED");
      Fields balance = dc.get("/v1/participants/" + DC.address() + "/balance");
      assertThat(balance.longValue("availableMicros")).isEqualTo(4_000_000L);
      assertThat(balance.longValue("escrowMicros")).isZero();
    }

    // The stream: the round, the provider's fill and settlement, then the warning with the figures.
    until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (streamed.stream().noneMatch(l -> l.equals("event: low-balance"))
        && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    List<String> types =
        streamed.stream().filter(l -> l.startsWith("event: ")).map(l -> l.substring(7)).toList();
    assertThat(types).containsSubsequence("round", "fill", "settlement", "low-balance");
    Fields warning =
        streamed.stream()
            .filter(l -> l.startsWith("data: ") && l.contains("\"low-balance\""))
            .map(l -> Fields.of(Json.parse(l.substring(6)), "event"))
            .findFirst()
            .orElseThrow();
    assertThat(warning.string("audience")).isEqualTo(DC.address());
    Fields w = warning.object("data");
    assertThat(w.longValue("availableMicros")).isEqualTo(4_000_000L);
    assertThat(w.longValue("needMicros")).isEqualTo(8_000_000L);
    assertThat(w.longValue("shortfallMicros")).isEqualTo(4_000_000L);

    // cne-wallet watch printed it.
    assertThat(watch.get(60, TimeUnit.SECONDS)).as(watchErr.toString()).isZero();
    assertThat(watchOut.toString())
        .contains("round 1 ")
        .contains("fill in round 1: buy 40")
        .contains("settled round 1")
        .contains("LOW BALANCE: 4 available + 0 in escrow < 8 credits")
        .contains("deposit at least 4 credits");

    // The webhook: every delivery signed; the first failed and was retried with the same event id.
    until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (deliveries.stream().noneMatch(d -> "low-balance".equals(d.type()))
        && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    assertThat(deliveries)
        .extracting(Delivery::type)
        .contains("round", "fill", "settlement", "low-balance");
    Delivery failed = deliveries.get(0);
    assertThat(failed.status()).isEqualTo(500);
    assertThat(failed.attempt()).isEqualTo(1);
    assertThat(deliveries)
        .anySatisfy(
            d -> {
              assertThat(d.eventId()).isEqualTo(failed.eventId());
              assertThat(d.attempt()).isEqualTo(2);
              assertThat(d.status()).isEqualTo(204);
              assertThat(d.body()).isEqualTo(failed.body());
            });
    for (Delivery d : deliveries) {
      String[] parts = d.signature().split(",");
      long t = Long.parseLong(parts[0].substring(2));
      assertThat(parts[1]).isEqualTo("v1=" + Webhooks.sign(secret, t, d.body()));
      assertThat(Webhooks.sign("another secret", t, d.body())).isNotEqualTo(parts[1].substring(3));
    }
    Fields lowHook =
        deliveries.stream()
            .filter(d -> "low-balance".equals(d.type()))
            .map(d -> Fields.of(Json.parse(d.body()), "event"))
            .findFirst()
            .orElseThrow()
            .object("data");
    assertThat(lowHook.longValue("needMicros")).isEqualTo(8_000_000L);
  }
}
