package org.cnemarket.engine.web;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.engine.auth.Principal;

/**
 * One request as an operation's handler sees it, after the gate: the path and query parameters, the
 * body the contract validated (parsed once, by the validator, and handed on in the canonical form:
 * integers as {@code Long} or {@code BigInteger}), the caller, and the ways to answer.
 */
public final class Call {
  private final Vertx vertx;
  private final RoutingContext ctx;
  private final JsonObject validatedBody;
  private Map<String, Object> body;

  Call(Vertx vertx, RoutingContext ctx, JsonObject validatedBody) {
    this.vertx = vertx;
    this.ctx = ctx;
    this.validatedBody = validatedBody;
  }

  /** The routing context, for operations that answer on their own (event streams, metrics). */
  public RoutingContext context() {
    return ctx;
  }

  /** The authenticated caller, or null for public operations. */
  public Principal principal() {
    return Exchange.principal(ctx);
  }

  /** A path parameter as sent (the contract checked its form). */
  public String path(String name) {
    return ctx.pathParam(name);
  }

  /** A query parameter, or null when absent. */
  public String query(String name) {
    return ctx.queryParam(name).isEmpty() ? null : ctx.queryParam(name).get(0);
  }

  /** The request body as JSON fields; {@code what} names it in error messages. */
  public Fields body(String what) {
    if (validatedBody == null) {
      throw ApiProblem.malformed("the request needs a JSON body");
    }
    if (body == null) {
      body = canonicalObject(validatedBody.getMap());
    }
    return new Fields(body, what);
  }

  /** Runs the use case on a worker and answers its result as JSON, or its refusal as a problem. */
  public void answer(int status, Callable<Object> work) {
    Replies.blocking(vertx, ctx, status, work);
  }

  /** Runs {@code work} on a worker and answers its text as {@code contentType}. */
  public void text(int status, String contentType, Callable<String> work) {
    Replies.text(vertx, ctx, status, contentType, work);
  }

  /** Answers {@code result} as JSON at once. */
  public void reply(int status, Object result) {
    Replies.json(ctx, status, result);
  }

  /**
   * The validator's JSON (Vert.x numbers: Integer, Long, BigInteger, Double) in the core codec's
   * form: every integer a Long when it fits, a BigInteger beyond; a fraction is refused, as the
   * amounts are fixed-point integers.
   */
  private static Map<String, Object> canonicalObject(Map<String, Object> in) {
    Map<String, Object> out = new LinkedHashMap<>();
    in.forEach((k, v) -> out.put(k, canonical(v)));
    return out;
  }

  private static Object canonical(Object v) {
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger b) {
      return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }
    if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
      throw ApiProblem.malformed("only integers are allowed (fixed-point units)");
    }
    if (v instanceof JsonObject o) {
      return canonicalObject(o.getMap());
    }
    if (v instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) m;
      return canonicalObject(map);
    }
    if (v instanceof JsonArray a) {
      return canonicalList(a.getList());
    }
    if (v instanceof List<?> l) {
      return canonicalList(l);
    }
    return v;
  }

  private static List<Object> canonicalList(List<?> in) {
    List<Object> out = new ArrayList<>(in.size());
    for (Object v : in) {
      out.add(canonical(v));
    }
    return out;
  }
}
