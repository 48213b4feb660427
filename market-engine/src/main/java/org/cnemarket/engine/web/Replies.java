package org.cnemarket.engine.web;

import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;
import org.cnemarket.core.codec.Json;

/** How every handler answers: JSON bodies, and use cases run off the event loop. */
final class Replies {

  private Replies() {}

  /** Ends the exchange with {@code body} as JSON (no body for 204). */
  static void json(RoutingContext ctx, int status, Object body) {
    encoded(ctx, status, status == 204 ? "" : Json.write(body));
  }

  /** Ends the exchange with {@code json}, already encoded (no body for 204). */
  private static void encoded(RoutingContext ctx, int status, String json) {
    if (status == 204) {
      Exchange.answered(ctx, status, "application/json", "", null);
      ctx.response().setStatusCode(204).end();
      return;
    }
    Exchange.answered(ctx, status, "application/json", json, null);
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(json);
  }

  /**
   * Runs {@code work} on a worker and answers its result, or its refusal as a problem. Unordered:
   * requests run in parallel on worker threads (signature checks above all); the market serialises
   * what must be serialised (the intake's group commit, rounds). The result is encoded on the
   * worker too: the event loop only sends it.
   */
  static void blocking(Vertx vertx, RoutingContext ctx, int status, Callable<Object> work) {
    vertx
        .executeBlocking(
            () -> {
              Object result = work.call();
              return status == 204 ? "" : Json.write(result);
            },
            false)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                encoded(ctx, status, ar.result());
              } else {
                Problems.fail(ctx, ar.cause());
              }
            });
  }

  /** Runs {@code work} on a worker and answers its text as {@code contentType}. */
  static void text(
      Vertx vertx, RoutingContext ctx, int status, String contentType, Callable<String> work) {
    vertx
        .executeBlocking(work, false)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                Problems.fail(ctx, ar.cause());
                return;
              }
              ctx.response()
                  .setStatusCode(status)
                  .putHeader("Content-Type", contentType)
                  .end(ar.result());
            });
  }
}
