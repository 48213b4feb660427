package org.cnemarket.engine.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cnemarket.engine.MarketFixture.key;
import static org.cnemarket.engine.MarketFixture.order;
import static org.cnemarket.engine.MarketFixture.registration;
import static org.cnemarket.engine.MarketFixture.signed;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.cnemarket.core.client.MarketClient;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Role;
import org.cnemarket.engine.Engine;
import org.cnemarket.engine.config.EngineConfig;
import org.cnemarket.engine.config.SurfaceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two statuses a healthy engine never answers on its own: 429 once a caller's rate limit is
 * spent (for every operation that documents it), and 503 when the ledger is down.
 */
class LimitsAndOutagesTest {
  static final String TOKEN = "operator-token-for-limit-tests";
  static final Secp256k1.KeyPair DC = key("limits-dc");

  @TempDir Path dir;

  final HttpClient http = HttpClient.newHttpClient();

  record Reply(int status, Fields body, String retryAfter) {}

  Reply send(Engine e, String method, String path, Object body, String bearer) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(e.baseUrl() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(
                        body instanceof String s ? s : Json.write(body)))
            .header("Content-Type", "application/json");
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(
        r.statusCode(),
        Fields.of(Json.parse(r.body()), "reply"),
        r.headers().firstValue("Retry-After").orElse(null));
  }

  /** Repeats a request until it is refused with 429, within the burst. */
  void spendUntilLimited(Engine e, String method, String path, Object body, String bearer)
      throws Exception {
    for (int i = 0; i < 20; i++) {
      Reply r = send(e, method, path, body, bearer);
      if (r.status() == 429) {
        assertLimited(r);
        return;
      }
    }
    throw new AssertionError("no 429 after 20 requests to " + path);
  }

  static void assertLimited(Reply r) {
    assertThat(r.status()).isEqualTo(429);
    assertThat(r.body().string("type")).endsWith("/rate-limited");
    assertThat(r.retryAfter()).isNotBlank();
  }

  @Test
  void everyOperationThatDocuments429RefusesACallerWhoseLimitIsSpent() throws Exception {
    SurfaceConfig limits =
        SurfaceConfig.load(null, Map.of("CNE_RATE_PER_SECOND", "0.0001", "CNE_RATE_BURST", "6"));
    try (Engine e = Engine.start(EngineConfig.embedded(dir, 0, TOKEN), limits, Clock.systemUTC())) {
      assertThat(
              send(
                      e,
                      "POST",
                      "/v1/participants",
                      RecordCodec.registration(registration(DC, Role.PROVIDER, "dc")),
                      null)
                  .status())
          .isEqualTo(201);
      String dcToken;
      try (MarketClient c = MarketClient.connect(e.baseUrl(), Duration.ofSeconds(10))) {
        dcToken = c.login(DC);
      }
      // A signed-in participant's own bucket: listing participants spends it, then orders are
      // refused too.
      spendUntilLimited(e, "GET", "/v1/participants", null, dcToken);
      var bid =
          RecordCodec.signedOrder(
              signed(order(OrderKind.ENERGY_BID, DC, 5000, 1000, 90_000, 1), DC));
      assertLimited(send(e, "POST", "/v1/orders", bid, dcToken));
      // Callers without a token share their address's bucket.
      spendUntilLimited(e, "GET", "/v1/auth/challenge?address=" + DC.address(), null, null);
      assertLimited(
          send(
              e,
              "POST",
              "/v1/auth/login",
              Map.of("message", "m", "signature", "0x" + "11".repeat(65)),
              null));
      assertLimited(
          send(
              e,
              "POST",
              "/v1/participants",
              RecordCodec.registration(registration(key("limits-late"), Role.USER, "late")),
              null));
      // An open operation called with a valid token is limited as that caller, not by address:
      // the operator, who is never limited, still gets its challenge; a bad token gains nothing.
      String challenge = "/v1/auth/challenge?address=" + DC.address();
      assertThat(send(e, "GET", challenge, null, TOKEN).status()).isEqualTo(200);
      assertLimited(send(e, "GET", challenge, null, "not-a-token"));
      assertThat(e.store().orders().count()).isZero();
      assertThat(e.store().participants().get(key("limits-late").address())).isEmpty();
    }
  }

  @Test
  void theLedgerStatusAndReadinessAnswer503WhenTheLedgerIsDown() throws Exception {
    try (Engine e = Engine.start(EngineConfig.embedded(dir, 0, TOKEN), Clock.systemUTC())) {
      assertThat(send(e, "GET", "/v1/ledger", null, TOKEN).status()).isEqualTo(200);
      assertThat(send(e, "GET", "/ready", null, null).status()).isEqualTo(200);
      e.ledger().close();
      Reply ledger = send(e, "GET", "/v1/ledger", null, TOKEN);
      assertThat(ledger.status()).isEqualTo(503);
      assertThat(ledger.body().string("type")).endsWith("/ledger-unavailable");
      assertThat(send(e, "GET", "/ready", null, null).status()).isEqualTo(503);
    }
  }
}
