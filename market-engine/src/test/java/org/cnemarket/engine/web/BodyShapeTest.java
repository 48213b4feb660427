package org.cnemarket.engine.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * A batch's items are checked by {@link BodyShape} instead of the general validator: both must give
 * the same verdict on every item, or the batch would accept what {@code POST /v1/orders} refuses
 * (or the other way round).
 */
class BodyShapeTest {
  private static Vertx vertx;
  private static Validator contractValidator;
  private static final JsonObject CONTRACT = ApiGate.contractJson();
  private static final BodyShape ITEM = ApiGate.itemShape(CONTRACT, "submitOrders");

  @BeforeContainer
  static void loadContract() throws Exception {
    vertx = Vertx.vertx();
    OpenAPIContract contract =
        OpenAPIContract.from(vertx, ApiGate.contractJson()).await(30, TimeUnit.SECONDS);
    // The single order's body: the schema the batch's items name.
    JsonSchema schema =
        contract
            .operation("submitOrder")
            .getRequestBody()
            .getContent()
            .get("application/json")
            .getSchema();
    contractValidator = contract.getSchemaRepository().validator(schema);
  }

  @AfterContainer
  static void close() {
    vertx.close().await();
  }

  static Map<String, Object> validOrder() {
    Map<String, Object> order = new LinkedHashMap<>();
    order.put("kind", "ENERGY_OFFER");
    order.put("trader", "0x" + "ab".repeat(20));
    order.put("slot", 498_974L);
    order.put("zone", 3L);
    order.put("quantity", 5_000L);
    order.put("priceMicros", 90_000L);
    order.put("source", "SOLAR");
    order.put("greenBps", 10_000L);
    order.put("carbonMgPerKwh", 20_000L);
    order.put("latencyMs", 0L);
    order.put("nonce", 7L);
    order.put("expiry", 0L);
    Map<String, Object> signed = new LinkedHashMap<>();
    signed.put("order", order);
    signed.put("signature", "0x" + "1c".repeat(65));
    return signed;
  }

  private static final List<Object> VALUES =
      List.of(
          0L,
          -1L,
          1L,
          10_000L,
          10_001L,
          4_294_967_295L,
          4_294_967_296L,
          1L << 40,
          (1L << 40) + 1,
          1L << 50,
          (1L << 50) + 1,
          Long.MAX_VALUE,
          Long.MIN_VALUE,
          BigInteger.ONE.shiftLeft(63),
          BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE),
          BigInteger.ONE.shiftLeft(64),
          1.0,
          2.5,
          -0.0,
          1e20,
          "",
          "7",
          "ENERGY_BID",
          "COMPUTE_DEMAND",
          "energy_bid",
          "WIND",
          "NONE",
          "0x" + "ab".repeat(20),
          "0x" + "AB".repeat(20),
          "0x" + "ab".repeat(19),
          "0x" + "ab".repeat(19) + "aG",
          "0X" + "ab".repeat(20),
          "0x" + "ab".repeat(19) + "a\u0663",
          "0x" + "ab".repeat(20) + "00",
          " 0x" + "ab".repeat(20),
          "0x" + "1c".repeat(65),
          "0x" + "1c".repeat(64),
          "0x" + "zz".repeat(65),
          true,
          false,
          Map.of(),
          List.of(),
          List.of(1L));

  /** A valid signed order with up to three things changed at random: a value, gone or new. */
  static Object mutated(Random random) {
    if (random.nextInt(20) == 0) {
      return VALUES.get(random.nextInt(VALUES.size()));
    }
    Map<String, Object> signed = validOrder();
    @SuppressWarnings("unchecked")
    Map<String, Object> order = (Map<String, Object>) signed.get("order");
    int changes = random.nextInt(4);
    for (int i = 0; i < changes; i++) {
      Map<String, Object> target = random.nextInt(6) == 0 ? signed : order;
      List<String> names = new ArrayList<>(target.keySet());
      String name = names.isEmpty() ? "order" : names.get(random.nextInt(names.size()));
      switch (random.nextInt(8)) {
        case 0 -> target.remove(name);
        case 1 ->
            target.put("unexpected" + random.nextInt(3), VALUES.get(random.nextInt(VALUES.size())));
        case 2 -> target.put(name, null);
        default -> target.put(name, VALUES.get(random.nextInt(VALUES.size())));
      }
    }
    return signed;
  }

  /** The item as the engine receives it: written as JSON text and parsed by Vert.x. */
  static Object received(Object item) {
    String text = Json.encode(item);
    Object parsed = Json.decodeValue(text);
    return parsed;
  }

  @Property(tries = 3000)
  void theItemCheckAgreesWithTheContractsValidator(@ForAll long seed) {
    Object item = received(mutated(new Random(seed)));
    boolean contractSays = contractValidator.validate(item).getValid();
    String violation = ITEM.violation(item, "orders[0]");
    assertThat(violation == null).as("%s: %s", item, violation).isEqualTo(contractSays);
    Statistics.collect(contractSays ? "valid" : "invalid");
    // Both verdicts are common, so agreement is tested on each side.
    Statistics.coverage(
        c -> {
          c.check("valid").percentage(p -> p > 15);
          c.check("invalid").percentage(p -> p > 40);
        });
  }

  @Test
  void aValidOrderPassesAndEachBrokenFieldIsNamed() {
    assertThat(ITEM.violation(received(validOrder()), "orders[0]")).isNull();
    Map<String, Object> signed = validOrder();
    @SuppressWarnings("unchecked")
    Map<String, Object> order = (Map<String, Object>) signed.get("order");
    order.put("quantity", (1L << 50) + 1);
    assertThat(ITEM.violation(received(signed), "orders[4]"))
        .isEqualTo("orders[4].order.quantity must be an integer from 1 to 1125899906842624");
    order.put("quantity", 1L);
    order.remove("nonce");
    assertThat(ITEM.violation(received(signed), "orders[4]"))
        .isEqualTo("orders[4].order.nonce is required");
    assertThat(ITEM.violation(received("x"), "orders[0]")).isEqualTo("orders[0] must be an object");
  }

  @Test
  void aSchemaWithAKeywordTheCheckDoesNotKnowIsRefusedWhenCompiled() {
    JsonObject contract =
        new JsonObject().put("components", new JsonObject().put("schemas", new JsonObject()));
    JsonObject schema =
        new JsonObject()
            .put("type", "array")
            .put("items", new JsonObject().put("type", "string").put("minLength", 1));
    assertThatThrownBy(() -> BodyShape.compile(schema, contract)).hasMessageContaining("minLength");
    assertThatThrownBy(
            () ->
                BodyShape.compile(new JsonObject().put("$ref", "#/components/schemas/X"), contract))
        .hasMessageContaining("unknown schema");
  }

  @Test
  void theRouterLeavesTheBatchItemsToTheHandlerAndKeepsTheEnvelope() {
    JsonObject loaded = ApiGate.itemsCheckedAlone(ApiGate.contractJson());
    JsonObject body =
        loaded
            .getJsonObject("paths")
            .getJsonObject("/v1/orders/batch")
            .getJsonObject("post")
            .getJsonObject("requestBody")
            .getJsonObject("content")
            .getJsonObject("application/json")
            .getJsonObject("schema");
    assertThat(body.getJsonObject("properties").getJsonObject("orders").getJsonObject("items"))
        .isEqualTo(new JsonObject());
    assertThat(body.getJsonObject("properties").getJsonObject("orders").getInteger("maxItems"))
        .isEqualTo(1000);
    assertThat(body.getBoolean("additionalProperties")).isFalse();
    assertThat(body.getJsonArray("required")).isEqualTo(new JsonArray().add("orders"));
  }
}
