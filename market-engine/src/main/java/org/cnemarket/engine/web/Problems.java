package org.cnemarket.engine.web;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.cnemarket.core.codec.Json;
import org.cnemarket.engine.market.Refusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 9457 problem bodies for the gate's own refusals, and contract violations mapped to problems.
 */
public final class Problems {
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  public static final String TYPE_BASE = "https://cne.market/problems/";

  private Problems() {}

  /**
   * A market refusal becomes its problem, a contract violation a 400 problem; anything else is
   * returned unchanged.
   */
  public static Throwable translate(Throwable t) {
    if (t instanceof Refusal r) {
      return ApiProblem.of(r);
    }
    if (t instanceof HttpException h && h.getCause() instanceof ValidatorException) {
      t = h.getCause(); // the OpenAPI router wraps its validation failures in a 400
    }
    if (t instanceof ValidatorException v) {
      String msg =
          v.getMessage() == null ? "the request does not match the API contract" : v.getMessage();
      if (v instanceof SchemaValidationException s && s.getOutputUnit() != null) {
        String where = s.getOutputUnit().getInstanceLocation();
        msg = msg + (where == null || where.isEmpty() ? "" : " (at " + where + ")");
      }
      boolean undecodable =
          v.type() == ValidatorErrorType.ILLEGAL_VALUE
              && msg.toLowerCase(Locale.ROOT).contains("decode");
      return undecodable ? ApiProblem.malformed(msg) : ApiProblem.badRequest(msg);
    }
    return t;
  }

  /** The problem body; {@code instance} is left out when null (no request line to name). */
  public static Map<String, Object> body(ApiProblem p, String instance) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", TYPE_BASE + p.type());
    m.put("title", p.title());
    m.put("status", (long) p.status());
    m.put("detail", p.getMessage() == null ? p.title() : p.getMessage());
    if (instance != null) {
      m.put("instance", instance);
    }
    return m;
  }

  /**
   * Ends the exchange with the problem {@code t} stands for: a refusal or contract violation as its
   * problem, anything else logged and answered as a 500 that reveals nothing.
   */
  public static void fail(RoutingContext ctx, Throwable t) {
    Throwable x = translate(t);
    if (x instanceof ApiProblem p) {
      send(ctx, p);
      return;
    }
    LOG.error("request {} {} failed", ctx.request().method(), ctx.request().path(), x);
    send(
        ctx,
        new ApiProblem(
            500, "internal", "Internal error", "the engine failed to handle the request"));
  }

  /** Ends the exchange with {@code p}. */
  public static void send(RoutingContext ctx, ApiProblem p) {
    if (ctx.response().ended()) {
      return;
    }
    String body = Json.write(body(p, ctx.request().path()));
    Exchange.answered(ctx, p.status(), "application/problem+json", body, p.type());
    ctx.response()
        .setStatusCode(p.status())
        .putHeader("Content-Type", "application/problem+json")
        .end(body);
  }
}
