package org.cnemarket.engine.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.cnemarket.core.codec.Json;
import org.cnemarket.engine.config.SurfaceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request fuzzer driven by openapi.yaml: each request starts from a valid request for an
 * operation (sent by the caller it is meant for) and changes one thing the schema constrains — an
 * integer at, inside or beyond its bounds or beyond 64 bits, a wrong type, a broken pattern, a
 * missing or unknown field, garbage or an oversized body, an overlong URL. Every answer must be
 * below 500 and arrive (no dropped keep-alive connection); a request the schema forbids must never
 * be accepted; a refused request must change nothing. {@code -Dcne.fuzz.requests=N} sets the count
 * (5,000 by default), {@code -Dcne.fuzz.seed=S} the seed.
 */
class RequestFuzzTest {
  static final BigInteger TWO_63 = BigInteger.ONE.shiftLeft(63);
  static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  @TempDir static Path dir;

  /** One fuzzed request and whether the contract forbids it. */
  record Fuzzed(String method, String url, String body, boolean forbidden, String what) {}

  final JsonObject contract = ApiGate.contractJson();

  @Test
  void noFuzzedRequestGetsA5xxADroppedConnectionOrAcceptedWhenTheContractForbidsIt()
      throws Exception {
    int count = Integer.getInteger("cne.fuzz.requests", 5_000);
    long seed = Long.getLong("cne.fuzz.seed", System.nanoTime());
    Random random = new Random(seed);
    // Rate limits would answer most of the requests with 429: lift them for the fuzz.
    SurfaceConfig surface =
        SurfaceConfig.load(
            null, Map.of("CNE_RATE_PER_SECOND", "1000000", "CNE_RATE_BURST", "1000000"));
    Map<Integer, Integer> statuses = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    try (ContractFixture f = new ContractFixture(dir, surface)) {
      List<ContractFixture.Op> ops = ContractFixture.operations();
      for (int i = 0; i < count && failures.size() < 20; i++) {
        ContractFixture.Op op = ops.get(random.nextInt(ops.size()));
        Fuzzed q = fuzz(f, op, random);
        String before = f.settledState();
        ContractFixture.Reply r;
        try {
          r = f.send(q.method(), q.url(), q.body(), f.callerFor(op).token());
        } catch (IOException e) {
          failures.add(
              "connection dropped ("
                  + e
                  + ") on "
                  + q.what()
                  + ": "
                  + q.method()
                  + " "
                  + abbreviate(q.url()));
          continue;
        }
        statuses.merge(r.status(), 1, Integer::sum);
        String where =
            op.id()
                + " "
                + q.what()
                + " -> "
                + r.status()
                + " "
                + abbreviate(r.body())
                + " [seed "
                + seed
                + "]";
        if (r.status() >= 500) {
          failures.add("5xx: " + where);
        } else if (q.forbidden() && r.status() < 400) {
          failures.add("accepted what the contract forbids: " + where);
        } else if (r.status() >= 400 && !f.state().equals(before)) {
          failures.add("a refused request changed state: " + where);
        }
      }
    }
    System.out.println("fuzz: " + count + " requests, seed " + seed + ", statuses " + statuses);
    assertThat(failures).as("seed " + seed).isEmpty();
    assertThat(statuses.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(count);
  }

  Fuzzed fuzz(ContractFixture f, ContractFixture.Op op, Random random) {
    JsonObject model =
        contract
            .getJsonObject("paths")
            .getJsonObject(op.path())
            .getJsonObject(op.method().toLowerCase());
    String url = f.url(op);
    String body = f.body(op);
    JsonObject bodySchema = bodySchema(model);
    List<JsonObject> params = new ArrayList<>();
    JsonArray ps = model.getJsonArray("parameters");
    if (ps != null) {
      for (Object p : ps) {
        JsonObject param = resolve((JsonObject) p);
        if (!param.getString("in").equals("header")) {
          params.add(param);
        }
      }
    }
    // What to change: the body and parameters where the operation has them, else an undeclared
    // parameter or garbage; one request in ten has an overlong URL.
    List<String> kinds = new ArrayList<>(List.of("extra-param", "garbage"));
    if (bodySchema != null && body != null) {
      kinds.addAll(List.of("body", "body", "body", "body"));
    }
    if (!params.isEmpty()) {
      kinds.addAll(List.of("param", "param", "param"));
    }
    String kind = random.nextInt(10) == 0 ? "overlong" : kinds.get(random.nextInt(kinds.size()));
    if (kind.equals("body")) {
      return fuzzBody(op, url, body, bodySchema, random);
    }
    if (kind.equals("extra-param")) {
      // Parameters the contract does not declare are ignored: allowed, whatever their value.
      Object v = value(new JsonObject().put("type", "string"), random);
      return new Fuzzed(
          op.method(),
          withQuery(url, "extra", URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8)),
          body,
          false,
          "undeclared parameter");
    }
    if (kind.equals("param")) {
      JsonObject param = params.get(random.nextInt(params.size()));
      JsonObject schema = resolve(param.getJsonObject("schema"));
      Object v = value(schema, random);
      String text = v instanceof String s ? s : String.valueOf(v);
      if (param.getString("in").equals("path") && text.isEmpty()) {
        text = "-"; // an empty segment addresses another resource (the list), not this one
      }
      boolean forbidden = !valid(parseParam(text, schema), schema);
      String enc = URLEncoder.encode(text, StandardCharsets.UTF_8);
      String name = param.getString("name");
      String u =
          param.getString("in").equals("path")
              ? replacePath(op, f, name, enc)
              : withQuery(url, name, enc);
      return new Fuzzed(op.method(), u, body, forbidden, name + "=" + abbreviate(text));
    }
    if (kind.equals("overlong")) {
      // Over the API's URI limit: a 414 problem, and the keep-alive connection stays usable.
      return new Fuzzed(
          op.method(),
          withQuery(url, "pad", "x".repeat(9000 + random.nextInt(20_000))),
          body,
          true,
          "overlong URL");
    }
    String junk =
        switch (random.nextInt(5)) {
          case 0 -> "not json";
          case 1 -> "[]";
          case 2 -> "{";
          case 3 -> "{\"a\":" + "[".repeat(2000) + "]".repeat(2000) + "}";
          default -> "\"" + "y".repeat(5 * 1024 * 1024) + "\"";
        };
    // Garbage is forbidden where a body is required; elsewhere it is ignored.
    boolean required =
        model.getJsonObject("requestBody") != null
            && model.getJsonObject("requestBody").getBoolean("required", false);
    return new Fuzzed(
        op.method(), url, junk, required, "garbage body of " + junk.length() + " chars");
  }

  Fuzzed fuzzBody(
      ContractFixture.Op op, String url, String body, JsonObject schema, Random random) {
    Map<String, Object> obj = new LinkedHashMap<>(Json.parseObject(body));
    List<String> path = new ArrayList<>();
    JsonObject target = schema;
    Map<String, Object> holder = obj;
    // Walk into a nested object (a signed order's fields) half of the time.
    while (true) {
      JsonObject props = target.getJsonObject("properties");
      List<String> names = props == null ? List.of() : new ArrayList<>(props.fieldNames());
      if (names.isEmpty()) {
        break;
      }
      String name = names.get(random.nextInt(names.size()));
      JsonObject sub = resolve(props.getJsonObject(name));
      path.add(name);
      if ("object".equals(sub.getString("type"))
          && sub.getJsonObject("properties") != null
          && holder.get(name) instanceof Map
          && random.nextBoolean()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> inner = new LinkedHashMap<>((Map<String, Object>) holder.get(name));
        holder.put(name, inner);
        holder = inner;
        target = sub;
        continue;
      }
      int how = random.nextInt(10);
      boolean forbidden;
      String what;
      if (how == 0) {
        holder.remove(name);
        forbidden = requiredOf(target).contains(name);
        what = "without " + String.join(".", path);
      } else if (how == 1) {
        holder.put("unexpected", 1);
        forbidden = Boolean.FALSE.equals(target.getValue("additionalProperties"));
        what = "with an unknown field beside " + String.join(".", path);
      } else {
        Object v = value(sub, random);
        holder.put(name, v);
        forbidden = !valid(v, sub);
        what = String.join(".", path) + "=" + abbreviate(String.valueOf(v));
      }
      // Vert.x JSON, not the canonical writer: fuzzed values include decimals.
      return new Fuzzed(op.method(), url, new JsonObject(obj).encode(), forbidden, what);
    }
    return new Fuzzed(op.method(), url, body, false, "unchanged body");
  }

  /**
   * A value for a field of {@code schema}: often near or beyond its bounds, sometimes of another
   * type.
   */
  static Object value(JsonObject schema, Random random) {
    String type = schema.getString("type");
    if ("integer".equals(type) && random.nextInt(4) > 0) {
      BigInteger min = big(schema.getValue("minimum"), TWO_63.negate());
      BigInteger max = big(schema.getValue("maximum"), TWO_63.subtract(BigInteger.ONE));
      return switch (random.nextInt(9)) {
        case 0 -> min;
        case 1 -> max;
        case 2 -> min.subtract(BigInteger.ONE);
        case 3 -> max.add(BigInteger.ONE);
        case 4 -> TWO_64.add(BigInteger.valueOf(5));
        case 5 -> TWO_63;
        case 6 -> BigInteger.TEN.pow(30).negate();
        case 7 ->
            min.add(
                new BigInteger(Math.max(1, max.subtract(min).bitLength() - 1), random)
                    .min(max.subtract(min)));
        default -> BigInteger.valueOf(-1);
      };
    }
    if ("string".equals(type) && random.nextInt(4) > 0) {
      JsonArray e = schema.getJsonArray("enum");
      return switch (random.nextInt(6)) {
        case 0 -> e != null ? e.getString(random.nextInt(e.size())) : "0x" + "ab".repeat(20);
        case 1 -> "";
        case 2 -> "0x" + "g".repeat(40);
        case 3 -> "ünïcödé \u0000 \"'<>";
        case 4 -> "0x" + "AB".repeat(32);
        default -> "z".repeat(1 + random.nextInt(300));
      };
    }
    return switch (random.nextInt(7)) {
      case 0 -> null;
      case 1 -> true;
      case 2 -> List.of(1, 2);
      case 3 -> Map.of("k", "v");
      case 4 -> new BigDecimal("1.5");
      case 5 -> "12";
      default -> BigInteger.valueOf(random.nextInt(1000));
    };
  }

  /**
   * Whether {@code v} satisfies the (resolved) schema's type, bounds, enum, pattern and lengths.
   */
  static boolean valid(Object v, JsonObject schema) {
    String type = schema.getString("type");
    if (type == null) {
      return true;
    }
    return switch (type) {
      case "integer" -> {
        BigInteger b =
            v instanceof BigInteger x
                ? x
                : v instanceof Long || v instanceof Integer
                    ? BigInteger.valueOf(((Number) v).longValue())
                    : null;
        yield b != null
            && (schema.getValue("minimum") == null
                || b.compareTo(big(schema.getValue("minimum"), null)) >= 0)
            && (schema.getValue("maximum") == null
                || b.compareTo(big(schema.getValue("maximum"), null)) <= 0);
      }
      case "string" ->
          v instanceof String s
              && (schema.getJsonArray("enum") == null || schema.getJsonArray("enum").contains(s))
              && (schema.getString("pattern") == null
                  || Pattern.compile(schema.getString("pattern")).matcher(s).find())
              && s.length() >= schema.getInteger("minLength", 0)
              && s.length() <= schema.getInteger("maxLength", Integer.MAX_VALUE);
      case "boolean" -> v instanceof Boolean;
      case "object" -> v instanceof Map && ((Map<?, ?>) v).keySet().containsAll(requiredOf(schema));
      case "array" -> v instanceof List;
      default -> true;
    };
  }

  static List<String> requiredOf(JsonObject schema) {
    JsonArray r = schema.getJsonArray("required");
    List<String> out = new ArrayList<>();
    if (r != null) {
      r.forEach(x -> out.add(x.toString()));
    }
    return out;
  }

  /** A query or path value as the validator reads it: an integer when it parses as one. */
  static Object parseParam(String s, JsonObject schema) {
    if ("integer".equals(schema.getString("type"))) {
      try {
        return new BigInteger(s);
      } catch (NumberFormatException e) {
        return s;
      }
    }
    return s;
  }

  static BigInteger big(Object v, BigInteger fallback) {
    if (v == null) {
      return fallback;
    }
    return v instanceof BigInteger b ? b : new BigDecimal(v.toString()).toBigIntegerExact();
  }

  JsonObject bodySchema(JsonObject model) {
    JsonObject rb = model.getJsonObject("requestBody");
    if (rb == null) {
      return null;
    }
    JsonObject s =
        rb.getJsonObject("content").getJsonObject("application/json").getJsonObject("schema");
    return resolveDeep(s);
  }

  /** Follows one {@code $ref}. */
  JsonObject resolve(JsonObject o) {
    String ref = o.getString("$ref");
    if (ref == null) {
      return o;
    }
    JsonObject node = contract;
    for (String part : ref.substring(2).split("/")) {
      node = node.getJsonObject(part);
    }
    return resolve(node);
  }

  /** Follows every {@code $ref} under properties. */
  JsonObject resolveDeep(JsonObject o) {
    JsonObject r = resolve(o).copy();
    JsonObject props = r.getJsonObject("properties");
    if (props != null) {
      JsonObject out = new JsonObject();
      for (String k : props.fieldNames()) {
        out.put(k, resolveDeep(props.getJsonObject(k)));
      }
      r.put("properties", out);
    }
    return r;
  }

  static String replacePath(ContractFixture.Op op, ContractFixture f, String name, String value) {
    // Rebuild the URL with this one path parameter replaced, the others as the fixture fills them.
    String template = op.path().replace("{" + name + "}", "\u0001");
    String filled =
        f.url(
            new ContractFixture.Op(
                op.id(),
                op.method(),
                template,
                op.open(),
                op.roles(),
                op.owned(),
                op.documented()));
    return filled.replace("\u0001", value);
  }

  static String withQuery(String url, String name, String value) {
    String cleaned = url.replaceAll("([?&])" + name + "=[^&]*&?", "$1").replaceAll("[?&]$", "");
    return cleaned + (cleaned.contains("?") ? "&" : "?") + name + "=" + value;
  }

  static String abbreviate(String s) {
    return s == null ? "" : s.length() > 160 ? s.substring(0, 160) + "…" : s;
  }
}
