package org.cnemarket.engine.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cnemarket.engine.MarketFixture.key;
import static org.cnemarket.engine.MarketFixture.order;
import static org.cnemarket.engine.MarketFixture.registration;
import static org.cnemarket.engine.MarketFixture.signed;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Role;
import org.cnemarket.engine.Engine;
import org.cnemarket.engine.cli.EngineMain;
import org.cnemarket.engine.config.EngineConfig;
import org.cnemarket.engine.market.MarketService;
import org.cnemarket.engine.market.Refusal;
import org.cnemarket.engine.round.RoundInput;
import org.cnemarket.engine.round.RoundParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator changes the market's mechanism parameters through the API: the change applies from
 * the next round that closes (a closed round keeps, and reprices with, the parameters its inputs
 * recorded), it is on disk when the answer comes (it survives a restart and a SIGKILL), and only
 * the operator may make it, with valid values; a refused change changes nothing.
 */
class MechanismParametersTest {
  static final String TOKEN = "operator-token-for-mechanism-parameters";
  static final List<Secp256k1.KeyPair> BUYERS =
      List.of(key("mp-b1"), key("mp-b2"), key("mp-b3"), key("mp-b4"));
  static final List<Secp256k1.KeyPair> SELLERS =
      List.of(key("mp-s1"), key("mp-s2"), key("mp-s3"), key("mp-s4"));
  static final long SLOT = 4000;

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  record Reply(int status, String contentType, String body) {
    Fields fields() {
      return Fields.of(Json.parse(body), "reply");
    }
  }

  Reply send(Engine e, String method, String path, Object body, String bearer) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(e.baseUrl() + path));
    String text = body == null ? null : body instanceof String s ? s : Json.write(body);
    if (text != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(
        method,
        text == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(text));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
  }

  static Map<String, Object> params(String energy, long kPermille, String compute) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("energy", energy);
    m.put("kPermille", kPermille);
    m.put("compute", compute);
    return m;
  }

  /** Four one-kWh bids (9, 8, 7, 6 ×10^4 micros/kWh) and four asks (1, 3, 5, 9) in {@code slot}. */
  static void book(MarketService m, long slot, int nonce) {
    long[] bids = {90_000, 80_000, 70_000, 60_000};
    long[] asks = {10_000, 30_000, 50_000, 90_000};
    for (int i = 0; i < 4; i++) {
      m.submitOrder(
          signed(
              order(OrderKind.ENERGY_BID, BUYERS.get(i), slot, 1000, bids[i], nonce),
              BUYERS.get(i)));
      m.submitOrder(
          signed(
              order(OrderKind.ENERGY_OFFER, SELLERS.get(i), slot, 1000, asks[i], nonce),
              SELLERS.get(i)));
    }
  }

  static void participants(MarketService m) {
    for (int i = 0; i < 4; i++) {
      m.register(registration(BUYERS.get(i), Role.PROVIDER, "b" + i));
      m.register(registration(SELLERS.get(i), Role.MICROGRID, "s" + i));
      m.deposit("mp-d" + i, BUYERS.get(i).address(), 10_000_000);
    }
  }

  static RoundParameters recorded(Engine e, long round) {
    return RoundInput.fromJson(e.store().rounds().get(round).orElseThrow().inputsJson())
        .parameters();
  }

  @Test
  void aChangeAppliesFromTheNextRoundAndEveryRoundStillReprices(@TempDir Path dir)
      throws Exception {
    try (Engine e = Engine.start(EngineConfig.embedded(dir, 0, TOKEN), Clock.systemUTC())) {
      participants(e.market());
      book(e.market(), SLOT, 1);
      assertThat(send(e, "POST", "/v1/rounds", Map.of("slot", SLOT), TOKEN).status())
          .isEqualTo(201);
      // Orders of the next slot are in before the change: they clear with what applies when
      // their round closes.
      book(e.market(), SLOT + 1, 2);

      Reply set = send(e, "PUT", "/v1/market/parameters", params("mcafee", 400, "uniform"), TOKEN);
      assertThat(set.status()).as(set.body()).isEqualTo(200);
      Fields change = set.fields();
      assertThat(change.longValue("effectiveFromRound")).isEqualTo(2);
      assertThat(change.bool("changed")).isTrue();
      assertThat(change.string("setBy")).isEqualTo("operator token");
      assertThat(change.string("note")).contains("applies from round 2");
      Fields p = change.object("parameters");
      assertThat(p.string("energy")).isEqualTo("mcafee");
      assertThat(p.longValue("kPermille")).isEqualTo(400);
      assertThat(p.string("compute")).isEqualTo("uniform");
      assertThat(p.longValue("lotWh")).isEqualTo(RoundParameters.DEFAULT_LOT_WH);
      assertThat(
              send(e, "GET", "/v1/market", null, null)
                  .fields()
                  .object("parameters")
                  .string("energy"))
          .isEqualTo("mcafee");

      // The closed round is untouched: it cleared, and reprices, with the k-double auction.
      assertThat(recorded(e, 1)).isEqualTo(RoundParameters.DEFAULT);
      Fields round1 = send(e, "GET", "/v1/rounds/1", null, TOKEN).fields();
      assertThat(round1.object("mechanism").string("energy")).isEqualTo("uniform");
      assertThat(round1.longValue("trades")).isEqualTo(3);

      Fields round2 = send(e, "POST", "/v1/rounds", Map.of("slot", SLOT + 1), TOKEN).fields();
      assertThat(round2.longValue("round")).isEqualTo(2);
      assertThat(round2.object("mechanism").string("energy")).isEqualTo("mcafee");
      // McAfee's trade reduction drops the last efficient trade: two trades, not three.
      assertThat(round2.longValue("trades")).isEqualTo(2);
      assertThat(round2.longValue("platformFeesMicros")).isPositive();
      assertThat(recorded(e, 2)).isEqualTo(new RoundParameters("mcafee", 400, "uniform"));

      for (long n = 1; n <= 2; n++) {
        Reply rp = send(e, "GET", "/v1/rounds/" + n + "/reprice", null, TOKEN);
        assertThat(rp.fields().bool("matches")).as("round %d: %s", n, rp.body()).isTrue();
      }
      assertThat(e.market().conservation().conserved()).isTrue();

      // The history names each change and the round it applies from, newest first.
      Fields history = send(e, "GET", "/v1/market/parameters", null, null).fields();
      assertThat(history.longValue("nextRound")).isEqualTo(3);
      assertThat(history.object("current").object("parameters").string("energy"))
          .isEqualTo("mcafee");
      List<Object> changes = history.list("changes");
      assertThat(changes).hasSize(2);
      assertThat(Fields.of(changes.get(0), "c").longValue("effectiveFromRound")).isEqualTo(2);
      assertThat(Fields.of(changes.get(1), "c").longValue("effectiveFromRound")).isEqualTo(1);
      assertThat(Fields.of(changes.get(1), "c").string("setBy"))
          .isEqualTo(MarketService.SET_BY_DEFAULT);

      // The same parameters again change nothing.
      Reply again =
          send(e, "PUT", "/v1/market/parameters", params("mcafee", 400, "uniform"), TOKEN);
      assertThat(again.fields().bool("changed")).isFalse();
      assertThat(again.fields().longValue("effectiveFromRound")).isEqualTo(2);
      assertThat(e.store().mechanisms().changes(0, 100)).hasSize(2);
    }

    // The auditor's command recomputes every round, each with its own parameters.
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        EngineMain.run(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "audit",
            "reprice",
            "--data",
            dir.toString());
    assertThat(code).as(out + " " + err).isZero();
    assertThat(out.toString()).contains("round 1: matches").contains("round 2: matches");
  }

  @Test
  void onlyTheOperatorChangesThemAndInvalidValuesChangeNothing(@TempDir Path dir) throws Exception {
    try (Engine e = Engine.start(EngineConfig.embedded(dir, 0, TOKEN), Clock.systemUTC())) {
      participants(e.market());
      var tokens = e.surfaces().tokens();
      String provider = tokens.issue(BUYERS.get(0).address(), Role.PROVIDER);
      String grid = tokens.issue(SELLERS.get(0).address(), Role.MICROGRID);
      String before = send(e, "GET", "/v1/market/parameters", null, null).body();
      Map<String, Object> valid = params("lp", 300, "uniform");

      assertThat(send(e, "PUT", "/v1/market/parameters", valid, null).status()).isEqualTo(401);
      for (String bearer : List.of(provider, grid, "not-the-operator-token-at-all")) {
        Reply r = send(e, "PUT", "/v1/market/parameters", valid, bearer);
        assertThat(r.status()).as(r.body()).isIn(401, 403);
        assertThat(r.contentType()).startsWith("application/problem+json");
      }
      assertThat(send(e, "PUT", "/v1/market/parameters", valid, provider).status()).isEqualTo(403);

      List<Object> invalid = new ArrayList<>();
      invalid.add(params("vickrey", 500, "stackelberg"));
      invalid.add(params("uniform", 1001, "stackelberg"));
      invalid.add(params("uniform", -1, "stackelberg"));
      invalid.add(params("uniform", 500, "cournot"));
      Map<String, Object> noCompute = params("uniform", 500, "stackelberg");
      noCompute.remove("compute");
      invalid.add(noCompute);
      Map<String, Object> zeroLot = params("mcafee", 500, "stackelberg");
      zeroLot.put("lotWh", 0L);
      invalid.add(zeroLot);
      Map<String, Object> hugeLot = params("mcafee", 500, "stackelberg");
      hugeLot.put("lotWh", MarketService.MAX_LOT_WH + 1);
      invalid.add(hugeLot);
      invalid.add("{\"energy\":\"uniform\",\"kPermille\":\"half\",\"compute\":\"stackelberg\"}");
      invalid.add(
          "{\"energy\":\"uniform\",\"kPermille\":18446744073709551616,\"compute\":\"uniform\"}");
      invalid.add("not json");
      for (Object body : invalid) {
        Reply r = send(e, "PUT", "/v1/market/parameters", body, TOKEN);
        assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.fields().longValue("status")).isEqualTo(400);
      }
      assertThat(send(e, "GET", "/v1/market/parameters", null, null).body()).isEqualTo(before);
      assertThat(e.market().parameters()).isEqualTo(RoundParameters.DEFAULT);
      assertThat(e.store().mechanisms().changes(0, 100)).hasSize(1);

      // The service refuses the same values without the HTTP contract in front of it.
      for (Object[] bad :
          new Object[][] {
            {"vickrey", 500L, "stackelberg", 1000L},
            {"uniform", 1001L, "stackelberg", 1000L},
            {"uniform", 500L, "cournot", 1000L},
            {"mcafee", 500L, "uniform", 0L},
          }) {
        try {
          e.market()
              .setParameters(
                  (String) bad[0], (Long) bad[1], (String) bad[2], (Long) bad[3], "test");
          throw new AssertionError("accepted " + List.of(bad));
        } catch (Refusal r) {
          assertThat(r.reason()).isEqualTo(Refusal.Reason.INVALID_REQUEST);
        }
      }
      assertThat(e.store().mechanisms().changes(0, 100)).hasSize(1);
    }
  }

  @Test
  void aProviderReadsItsOwnPowerModelTheOperatorSetsIt(@TempDir Path dir) throws Exception {
    try (Engine e = Engine.start(EngineConfig.embedded(dir, 0, TOKEN), Clock.systemUTC())) {
      participants(e.market());
      var tokens = e.surfaces().tokens();
      String owner = tokens.issue(BUYERS.get(0).address(), Role.PROVIDER);
      String other = tokens.issue(BUYERS.get(1).address(), Role.PROVIDER);
      String path = "/v1/participants/" + BUYERS.get(0).address() + "/power-model";

      Fields initial = send(e, "GET", path, null, owner).fields();
      assertThat(initial.bool("declared")).isFalse();
      assertThat(initial.object("model").longValue("idleW")).isEqualTo(150);
      assertThat(send(e, "GET", path, null, other).status()).isEqualTo(403);
      Map<String, Object> model =
          Map.of("idleW", 90L, "peakW", 310L, "pueBps", 11_500L, "utilisationBps", 6_000L);
      assertThat(send(e, "PUT", path, model, owner).status()).isEqualTo(403);
      assertThat(
              send(
                      e,
                      "PUT",
                      path,
                      Map.of(
                          "idleW",
                          400L,
                          "peakW",
                          300L,
                          "pueBps",
                          11_500L,
                          "utilisationBps",
                          6_000L),
                      TOKEN)
                  .status())
          .isEqualTo(400);
      assertThat(send(e, "GET", path, null, owner).fields().bool("declared")).isFalse();

      assertThat(send(e, "PUT", path, model, TOKEN).status()).isEqualTo(200);
      Fields read = send(e, "GET", path, null, owner).fields();
      assertThat(read.bool("declared")).isTrue();
      assertThat(read.object("model").longValue("peakW")).isEqualTo(310);
      // (90 + 220 × 0.6) W × 1.15 = 255.3 W for one server-hour: 255.3 Wh per compute unit.
      assertThat(read.longValue("milliWhPerUnit")).isEqualTo(255_300);
      String microgrid = "/v1/participants/" + SELLERS.get(0).address() + "/power-model";
      assertThat(send(e, "GET", microgrid, null, TOKEN).status()).isEqualTo(404);
    }
  }

  /** The child of the SIGKILL test: an engine that prints its port and runs until killed. */
  public static void main(String[] args) throws Exception {
    Engine e = Engine.start(EngineConfig.embedded(Path.of(args[0]), 0, TOKEN), Clock.systemUTC());
    System.out.println("port " + e.port());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  @Test
  void aChangeSurvivesSigkillAndRestartsAndStartOptionsReplaceIt(@TempDir Path dir)
      throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                MechanismParametersTest.class.getName(),
                dir.toString())
            .redirectErrorStream(true)
            .start();
    try {
      int port = -1;
      var lines = child.inputReader();
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith("port ")) {
          port = Integer.parseInt(line.substring(5).trim());
          break;
        }
      }
      assertThat(port).as("the child engine started").isPositive();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + port + "/v1/market/parameters"))
                  .header("Authorization", "Bearer " + TOKEN)
                  .header("Content-Type", "application/json")
                  .PUT(
                      HttpRequest.BodyPublishers.ofString(Json.write(params("lp", 250, "uniform"))))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    } finally {
      child.destroyForcibly(); // SIGKILL right after the 200: no shutdown hook, no close
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    RoundParameters lp = new RoundParameters("lp", 250, "uniform");
    try (Engine e = Engine.start(EngineConfig.embedded(dir, 0, TOKEN), Clock.systemUTC())) {
      assertThat(e.market().parameters()).isEqualTo(lp);
      assertThat(
              send(e, "GET", "/v1/market/parameters", null, null)
                  .fields()
                  .object("current")
                  .object("parameters")
                  .string("energy"))
          .isEqualTo("lp");
      participants(e.market());
      book(e.market(), SLOT, 1);
      send(e, "POST", "/v1/rounds", Map.of("slot", SLOT), TOKEN);
      assertThat(recorded(e, 1)).isEqualTo(lp);
    }
    // A plain restart keeps them; start options replace them from the next round, recorded.
    try (Engine e = Engine.start(EngineConfig.embedded(dir, 0, TOKEN), Clock.systemUTC())) {
      assertThat(e.market().parameters()).isEqualTo(lp);
    }
    EngineConfig withOptions =
        EngineConfig.embedded(dir, 0, TOKEN).withRoundParameters(RoundParameters.DEFAULT);
    try (Engine e = Engine.start(withOptions, Clock.systemUTC())) {
      assertThat(e.market().parameters()).isEqualTo(RoundParameters.DEFAULT);
      var last = e.store().mechanisms().current().orElseThrow();
      assertThat(last.setBy()).isEqualTo(MarketService.SET_AT_START);
      assertThat(last.fromRound()).isEqualTo(2);
      assertThat(e.store().mechanisms().changes(0, 100)).hasSize(3);
    }
  }
}
