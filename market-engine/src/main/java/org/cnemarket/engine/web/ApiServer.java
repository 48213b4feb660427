package org.cnemarket.engine.web;

import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.cnemarket.core.codec.Json;
import org.cnemarket.engine.audit.Repricer;
import org.cnemarket.engine.market.IncentiveService;
import org.cnemarket.engine.market.MarketService;
import org.cnemarket.engine.settlement.SettlementOutbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of the REST API: the contract's operations behind the gate, each bound by its
 * operationId to one handler (which reads the call on the event loop and runs the use case on a
 * worker), then the static files; anything else is a 404 problem, every failure an RFC 9457 problem
 * body.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  private final Vertx vertx;
  private final Surfaces surfaces;
  private final Operations operations;
  private HttpServer server;

  /** Over the market's use cases, with the surfaces (gate, sign-in, notifications, TLS). */
  public ApiServer(
      Vertx vertx,
      MarketService market,
      SettlementOutbox outbox,
      IncentiveService incentives,
      Repricer repricer,
      Surfaces surfaces) {
    if (surfaces == null) {
      throw new IllegalArgumentException("the API needs its surfaces (gate, sign-in, routes)");
    }
    this.vertx = vertx;
    this.surfaces = surfaces;
    this.operations = surfaces.operations(market, outbox, incentives, repricer);
  }

  /** The handlers, by operationId. */
  public Operations operations() {
    return operations;
  }

  /** Starts listening on {@code host:port} (port 0 picks a free one); returns the bound port. */
  public Future<Integer> start(String host, int port) {
    Future<Router> base = surfaces.router(operations);
    return base.compose(router -> listen(router, host, port));
  }

  private Future<Integer> listen(Router router, String host, int port) {
    router
        .route()
        .failureHandler(
            ctx -> {
              Throwable f = ctx.failure();
              if (f == null) {
                int code = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
                String title = code == 413 ? "Request body too large" : "HTTP " + code;
                f = new ApiProblem(code, "http-" + code, title, title);
              }
              if (ctx.statusCode() == 413 && !ctx.response().ended()) {
                closeAfterOversizedBody(ctx);
              }
              Problems.fail(ctx, f);
            });
    staticRoutes(router);
    router
        .route()
        .last()
        .handler(
            ctx ->
                Problems.fail(ctx, ApiProblem.notFound("no resource at " + ctx.request().path())));
    HttpServerOptions options = surfaces.serverOptions(host);
    return vertx
        .createHttpServer(options)
        .invalidRequestHandler(ApiServer::invalidRequest)
        .requestHandler(router)
        .listen(port)
        .map(
            s -> {
              this.server = s;
              return s.actualPort();
            });
  }

  /**
   * After a 413 the rest of the oversized body is still on the wire and the request is paused, so
   * the connection would stall and a client reusing it would see it dropped. Say Connection: close,
   * drain what the client still sends (closing mid-upload would reset the connection before the
   * client reads the 413), then close; a client that never finishes is cut off after 10 s.
   */
  /**
   * A request the HTTP decoder cannot read (a request line over 64 KiB, headers over 8 KiB, bad
   * syntax): a problem body with Connection: close, then the connection closes, since where the
   * next request would start is unknown.
   */
  private static void invalidRequest(HttpServerRequest req) {
    Throwable cause = req.decoderResult().cause();
    String message = cause == null ? "" : String.valueOf(cause.getMessage());
    ApiProblem p;
    if (cause instanceof TooLongFrameException && message.startsWith("An HTTP line is larger")) {
      p =
          new ApiProblem(
              414, "uri-too-long", "URI too long", "the request line is over the server's limit");
    } else if (cause instanceof TooLongFrameException) {
      p =
          new ApiProblem(
              431,
              "headers-too-large",
              "Request headers too large",
              "the headers are over the limit");
    } else {
      p =
          new ApiProblem(
              400, "malformed-http", "Malformed HTTP request", "the request is not valid HTTP/1.1");
    }
    String body = Json.write(Problems.body(p, null));
    req.response()
        .setStatusCode(p.status())
        .putHeader("Content-Type", "application/problem+json")
        .putHeader("Connection", "close")
        .end(body)
        .onComplete(v -> req.connection().close());
  }

  private void closeAfterOversizedBody(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    ctx.response().putHeader("Connection", "close");
    ctx.addEndHandler(
        v -> {
          if (req.isEnded()) {
            req.connection().close();
            return;
          }
          req.handler(chunk -> {});
          req.endHandler(x -> req.connection().close());
          req.resume();
          vertx.setTimer(10_000, t -> req.connection().close());
        });
  }

  /**
   * What the server serves outside the contract: the contract itself, the API page and the
   * dashboard's static files (no data, no operation).
   */
  static final Set<String> STATIC_PATHS =
      Set.of("/openapi.yaml", "/docs", "/", "/dashboard", "/dashboard/*");

  private void staticRoutes(Router r) {
    String contract = ApiGate.contractText();
    r.get("/openapi.yaml")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "application/yaml; charset=utf-8")
                    .end(contract));
    r.get("/docs").handler(ctx -> ctx.redirect("/dashboard/api.html"));
    r.get("/").handler(ctx -> ctx.redirect("/dashboard/"));
    r.get("/dashboard")
        .handler(
            ctx -> {
              // Vert.x matches "/dashboard" and "/dashboard/" alike: redirect only the bare path.
              if (ctx.request().path().equals("/dashboard")) {
                ctx.redirect("/dashboard/");
              } else {
                ctx.next();
              }
            });
    r.route("/dashboard/*")
        .handler(
            StaticHandler.create("dashboard").setCachingEnabled(true).setIndexPage("index.html"));
  }

  @Override
  public void close() {
    if (server != null) {
      surfaces.endStreams();
      try {
        // Graceful: stop accepting, let requests in flight (a round being closed) finish.
        long grace = surfaces.config().shutdownGraceSeconds();
        server.shutdown(grace, TimeUnit.SECONDS).toCompletionStage().toCompletableFuture().get();
      } catch (Exception e) {
        LOG.warn("closing the HTTP server: {}", e.toString());
      }
    }
  }
}
