package org.cnemarket.engine.web;

import io.vertx.ext.web.RoutingContext;
import org.cnemarket.engine.auth.Principal;

/**
 * The hooks the REST handlers call as they answer, so the gate can store idempotent responses and
 * count outcomes without wrapping the response. Everything travels in the routing context.
 */
public final class Exchange {
  static final String GATE = "cne.gate";
  static final String PRINCIPAL = "cne.principal";
  static final String PROBLEM = "cne.problem";

  private Exchange() {}

  /** Call just before ending a response with {@code body}. */
  public static void answered(
      RoutingContext ctx, int status, String contentType, String body, String problemType) {
    if (problemType != null) {
      ctx.put(PROBLEM, problemType);
    }
    ApiGate gate = ctx.get(GATE);
    if (gate != null) {
      gate.answered(ctx, status, contentType, body);
    }
  }

  /** The authenticated caller, or null for public operations and unauthenticated requests. */
  public static Principal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }
}
