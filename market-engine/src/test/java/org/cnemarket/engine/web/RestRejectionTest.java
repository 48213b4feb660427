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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.engine.Engine;
import org.cnemarket.engine.config.EngineConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Every bad request gets a 4xx problem body and changes nothing: no order, no escrow, no block. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestRejectionTest {
  static final String TOKEN = "operator-token-for-tests";
  static final Secp256k1.KeyPair GRID = key("rest-grid");
  static final Secp256k1.KeyPair DC = key("rest-dc");
  static final Secp256k1.KeyPair USER = key("rest-user");
  static final Secp256k1.KeyPair STRANGER = key("rest-stranger");

  @TempDir static Path dir;

  Engine engine;
  String DC_TOKEN;
  final HttpClient http = HttpClient.newHttpClient();
  long nonce = 1;

  record Reply(int status, String contentType, Fields body) {}

  @BeforeAll
  void start() throws Exception {
    engine = Engine.start(EngineConfig.embedded(dir, 0, TOKEN), Clock.systemUTC());
    DC_TOKEN = engine.surfaces().tokens().issue(DC.address(), Role.PROVIDER);
    for (var r :
        List.of(
            registration(GRID, Role.MICROGRID, "grid"),
            registration(DC, Role.PROVIDER, "dc"),
            registration(USER, Role.USER, "user"))) {
      assertThat(post("/v1/participants", Json.write(RecordCodec.registration(r)), null).status())
          .isEqualTo(201);
    }
    assertThat(
            post(
                    "/v1/deposits",
                    Json.write(
                        Map.of(
                            "depositId",
                            "rest-1",
                            "account",
                            DC.address(),
                            "amountMicros",
                            5_000_000L)),
                    TOKEN)
                .status())
        .isEqualTo(201);
  }

  @AfterAll
  void stop() {
    engine.close();
  }

  Reply post(String path, String body, String bearer) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(engine.baseUrl() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(
        r.statusCode(),
        r.headers().firstValue("Content-Type").orElse(""),
        Fields.of(Json.parse(r.body()), "reply"));
  }

  String strangerToken() {
    return engine.surfaces().tokens().issue(STRANGER.address(), Role.PROVIDER);
  }

  String userToken() {
    return engine.surfaces().tokens().issue(USER.address(), Role.USER);
  }

  /** What a refused request must leave untouched. */
  record Snapshot(long orders, long height, long available, long escrow) {}

  Snapshot snapshot() throws Exception {
    engine.market().feed().flush(); // acknowledged orders reach the ledger asynchronously
    var b = engine.ledger().balance(DC.address());
    return new Snapshot(
        engine.store().orders().count(),
        engine.ledger().status().height(),
        b.availableMicros(),
        b.escrowMicros());
  }

  Order bid(long quantity) {
    return order(OrderKind.ENERGY_BID, DC, 1000, quantity, 100_000, nonce++);
  }

  void assertRefused(String path, String body, String bearer, int status, String type)
      throws Exception {
    Snapshot before = snapshot();
    Reply r = post(path, body, bearer);
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.body().string("type")).endsWith("/" + type);
    assertThat(r.body().longValue("status")).isEqualTo(status);
    assertThat(r.body().string("detail")).isNotBlank();
    assertThat(snapshot()).isEqualTo(before);
  }

  static String orderJson(SignedOrder so) {
    return Json.write(RecordCodec.signedOrder(so));
  }

  @Nested
  class Orders {
    @Test
    void aSignatureThatDoesNotMatchTheOrderIsRejected() throws Exception {
      SignedOrder good = signed(bid(1000), DC);
      Order altered =
          new Order(
              good.order().kind(),
              good.order().trader(),
              good.order().slot(),
              1,
              good.order().quantity() + 1,
              good.order().priceMicros(),
              good.order().source(),
              0,
              0,
              0,
              good.order().nonce(),
              0);
      assertRefused(
          "/v1/orders",
          orderJson(new SignedOrder(altered, good.signature())),
          DC_TOKEN,
          400,
          "bad-signature");
    }

    @Test
    void anOrderSignedByAnotherKeyIsRejected() throws Exception {
      assertRefused(
          "/v1/orders", orderJson(signed(bid(1000), USER)), DC_TOKEN, 400, "bad-signature");
    }

    @Test
    void aReplayedOrderIsRejected() throws Exception {
      String json = orderJson(signed(bid(1000), DC));
      assertThat(post("/v1/orders", json, DC_TOKEN).status()).isEqualTo(201);
      assertRefused("/v1/orders", json, DC_TOKEN, 409, "nonce-used");
    }

    @Test
    void zeroAndNegativeQuantitiesAreRejected() throws Exception {
      for (String q : List.of("0", "-5")) {
        String json =
            orderJson(signed(bid(1000), DC)).replace("\"quantity\":1000", "\"quantity\":" + q);
        assertThat(json).contains("\"quantity\":" + q);
        assertRefused("/v1/orders", json, DC_TOKEN, 400, "invalid-request");
      }
    }

    @Test
    void anOrderNamingAKeyTwiceIsRejected() throws Exception {
      String json = orderJson(signed(bid(1000), DC));
      // The signed quantity first, a larger one after it: one order must not mean two things.
      String twice = json.replace("\"quantity\":1000", "\"quantity\":1000,\"quantity\":9000");
      assertThat(twice).contains("\"quantity\":9000");
      assertRefused("/v1/orders", twice, DC_TOKEN, 400, "malformed-json");
      assertThat(post("/v1/orders", json, DC_TOKEN).status()).isEqualTo(201);
    }

    @Test
    void malformedJsonIsRejected() throws Exception {
      assertRefused("/v1/orders", "{\"order\": {\"kind\": ", DC_TOKEN, 400, "malformed-json");
      // Well-formed JSON that breaks the contract (a fraction where an integer belongs) is invalid,
      // not malformed.
      assertRefused(
          "/v1/orders", "{\"order\": {\"quantity\": 1.5}}", DC_TOKEN, 400, "invalid-request");
      assertRefused("/v1/orders", "{\"signature\": \"0x00\"}", DC_TOKEN, 400, "invalid-request");
    }

    @Test
    void anOrderFromAnUnknownParticipantIsRejected() throws Exception {
      Order o = order(OrderKind.ENERGY_BID, STRANGER, 1000, 1000, 100_000, 1);
      assertRefused(
          "/v1/orders",
          orderJson(signed(o, STRANGER)),
          strangerToken(),
          422,
          "unknown-participant");
    }

    @Test
    void anOrderOfAKindTheRoleMayNotPlaceIsRejected() throws Exception {
      Order o = order(OrderKind.ENERGY_BID, USER, 1000, 1000, 100_000, nonce++);
      assertRefused("/v1/orders", orderJson(signed(o, USER)), userToken(), 403, "forbidden");
    }

    @Test
    void aBidBeyondTheBuyersCreditIsRejected() throws Exception {
      Order o = order(OrderKind.ENERGY_BID, DC, 1000, 10_000_000, 100_000, nonce++);
      assertRefused("/v1/orders", orderJson(signed(o, DC)), DC_TOKEN, 422, "insufficient-funds");
    }
  }

  static String batchJson(List<SignedOrder> orders) {
    return Json.write(Map.of("orders", orders.stream().map(RecordCodec::signedOrder).toList()));
  }

  @Nested
  class Batches {
    @Test
    void eachOrderOfABatchIsAcceptedOrRefusedOnItsOwn() throws Exception {
      Snapshot before = snapshot();
      SignedOrder first = signed(bid(1000), DC);
      SignedOrder wrongKey = signed(bid(1000), USER);
      SignedOrder tooDear =
          signed(order(OrderKind.ENERGY_BID, DC, 1000, 10_000_000, 100_000, nonce++), DC);
      SignedOrder last = signed(bid(2000), DC);
      // The first order again: its nonce is taken by then.
      Reply r =
          post(
              "/v1/orders/batch",
              batchJson(List.of(first, wrongKey, tooDear, last, first)),
              DC_TOKEN);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body().longValue("accepted")).isEqualTo(2);
      assertThat(r.body().longValue("refused")).isEqualTo(3);
      List<Fields> results =
          r.body().list("results").stream().map(o -> Fields.of(o, "result")).toList();
      assertThat(results)
          .extracting(f -> f.string("status"))
          .containsExactly("OPEN", "REFUSED", "REFUSED", "OPEN", "REFUSED");
      assertThat(results).extracting(f -> f.longValue("index")).containsExactly(0L, 1L, 2L, 3L, 4L);
      assertThat(
              List.of(1, 2, 4).stream()
                  .map(i -> results.get(i).object("problem").string("type"))
                  .toList())
          .containsExactly(
              Problems.TYPE_BASE + "bad-signature",
              Problems.TYPE_BASE + "insufficient-funds",
              Problems.TYPE_BASE + "nonce-used");
      assertThat(results.get(2).object("problem").longValue("status")).isEqualTo(422);
      // Exactly the two accepted orders were recorded, with their escrow, and reach the ledger.
      Snapshot after = snapshot();
      assertThat(after.orders()).isEqualTo(before.orders() + 2);
      long locked = 1000L * 100_000 / 1000 + 2000L * 100_000 / 1000;
      assertThat(after.escrow() - before.escrow()).isEqualTo(locked);
      assertThat(before.available() - after.available()).isEqualTo(locked);
      assertThat(engine.store().orders().get(results.get(0).string("orderId"))).isPresent();
      assertThat(engine.store().orders().get(results.get(3).string("orderId"))).isPresent();
    }

    @Test
    void resendingABatchRecordsNothingTwice() throws Exception {
      String json = batchJson(List.of(signed(bid(1000), DC), signed(bid(1000), DC)));
      assertThat(post("/v1/orders/batch", json, DC_TOKEN).body().longValue("accepted"))
          .isEqualTo(2);
      Snapshot before = snapshot();
      Reply again = post("/v1/orders/batch", json, DC_TOKEN);
      assertThat(again.status()).isEqualTo(200);
      assertThat(again.body().longValue("accepted")).isZero();
      assertThat(again.body().longValue("refused")).isEqualTo(2);
      assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aBatchWithAnotherTradersOrderIsRefusedWhole() throws Exception {
      Order others = order(OrderKind.ENERGY_OFFER, GRID, 1000, 1000, 50_000, nonce++);
      assertRefused(
          "/v1/orders/batch",
          batchJson(List.of(signed(bid(1000), DC), signed(others, GRID))),
          DC_TOKEN,
          403,
          "forbidden");
    }

    @Test
    void anOrderThatBreaksTheSchemaIsRefusedAloneAndTheRestAreTaken() throws Exception {
      Snapshot before = snapshot();
      SignedOrder good = signed(bid(1000), DC);
      Map<String, Object> broken = RecordCodec.signedOrder(signed(bid(1000), DC));
      @SuppressWarnings("unchecked")
      Map<String, Object> brokenOrder =
          new LinkedHashMap<>((Map<String, Object>) broken.get("order"));
      // A quantity as text: the codec alone would read it, the contract does not allow it.
      brokenOrder.put("quantity", "1000");
      broken = new LinkedHashMap<>(broken);
      broken.put("order", brokenOrder);
      String json =
          Json.write(
              Map.of("orders", List.of(RecordCodec.signedOrder(good), broken, "not an order")));
      Reply r = post("/v1/orders/batch", json, DC_TOKEN);
      assertThat(r.status()).isEqualTo(200);
      List<Fields> results =
          r.body().list("results").stream().map(o -> Fields.of(o, "result")).toList();
      assertThat(results)
          .extracting(f -> f.string("status"))
          .containsExactly("OPEN", "REFUSED", "REFUSED");
      assertThat(results.get(1).object("problem").string("detail"))
          .isEqualTo("orders[1].order.quantity must be an integer from 1 to 1125899906842624");
      assertThat(results.get(1).object("problem").longValue("status")).isEqualTo(400);
      assertThat(results.get(2).object("problem").string("detail"))
          .isEqualTo("orders[2] must be an object");
      assertThat(snapshot().orders()).isEqualTo(before.orders() + 1);
    }

    @Test
    void anEmptyOrOversizedBatchIsRejected() throws Exception {
      assertRefused("/v1/orders/batch", batchJson(List.of()), DC_TOKEN, 400, "invalid-request");
      SignedOrder one = signed(bid(1), DC);
      List<SignedOrder> many = Collections.nCopies(1001, one);
      assertRefused("/v1/orders/batch", batchJson(many), DC_TOKEN, 400, "invalid-request");
      assertRefused(
          "/v1/orders/batch",
          "{\"orders\":[" + orderJson(one) + "],\"more\":1}",
          DC_TOKEN,
          400,
          "invalid-request");
    }
  }

  @Nested
  class Operator {
    @Test
    void depositsNeedTheOperatorsToken() throws Exception {
      String body =
          Json.write(Map.of("depositId", "x-1", "account", DC.address(), "amountMicros", 10L));
      assertRefused("/v1/deposits", body, null, 401, "unauthorized");
      assertRefused("/v1/deposits", body, "not-the-operator-token", 401, "unauthorized");
      assertRefused("/v1/deposits", body, DC_TOKEN, 403, "forbidden");
    }

    @Test
    void aDepositOfNothingIsRejected() throws Exception {
      assertRefused(
          "/v1/deposits",
          Json.write(Map.of("depositId", "x-2", "account", DC.address(), "amountMicros", 0L)),
          TOKEN,
          400,
          "invalid-request");
    }
  }

  @Nested
  class Registrations {
    @Test
    void aRegistrationSignedByAnotherKeyIsRejected() throws Exception {
      var reg = registration(USER, Role.PROVIDER, "impostor");
      var forged =
          new Registration(
              STRANGER.address(), reg.role(), reg.name(), reg.nonce(), reg.signature());
      assertRefused(
          "/v1/participants",
          Json.write(RecordCodec.registration(forged)),
          null,
          400,
          "bad-signature");
      assertThat(engine.store().participants().get(STRANGER.address())).isEmpty();
    }
  }
}
