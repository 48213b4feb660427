package org.cnemarket.engine.web;

import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Signature;
import org.cnemarket.core.eip712.TypedData;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Role;
import org.cnemarket.engine.audit.Repricer;
import org.cnemarket.engine.auth.Principal;
import org.cnemarket.engine.ledger.Balance;
import org.cnemarket.engine.ledger.BatchRecord;
import org.cnemarket.engine.ledger.LedgerStatus;
import org.cnemarket.engine.market.IncentiveService;
import org.cnemarket.engine.market.LedgerProblems;
import org.cnemarket.engine.market.MarketService;
import org.cnemarket.engine.round.PowerProfile;
import org.cnemarket.engine.round.RoundParameters;
import org.cnemarket.engine.settlement.SettlementOutbox;
import org.cnemarket.engine.store.BatchStatus;
import org.cnemarket.engine.store.OrderStatus;
import org.cnemarket.engine.store.OutboxEntry;
import org.cnemarket.engine.store.RoundRecord;
import org.cnemarket.engine.store.StoredOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API over the market service. Handlers parse and check the request on the event loop, run
 * the use case on a worker (JDBC and the ledger block), and answer with JSON or an RFC 9457 problem
 * body.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  private static final int MAX_PAGE = 500;

  private final Vertx vertx;
  private final MarketService market;
  private final SettlementOutbox outbox;
  private final IncentiveService incentives;
  private final Repricer repricer;
  private final Surfaces surfaces;
  private HttpServer server;

  /**
   * With {@code surfaces} (may be null): contract validation, sign-in, roles, idempotency, ops
   * routes, dashboard.
   */
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
    this.market = market;
    this.outbox = outbox;
    this.incentives = incentives;
    this.repricer = repricer;
    this.surfaces = surfaces;
  }

  /** Starts listening on {@code host:port} (port 0 picks a free one); returns the bound port. */
  public Future<Integer> start(String host, int port) {
    Future<Router> base = surfaces.router();
    return base.compose(router -> listen(router, host, port));
  }

  private Future<Integer> listen(Router router, String host, int port) {
    router.route().handler(BodyHandler.create().setBodyLimit(4L << 20));
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
              fail(ctx, f);
            });
    routes(router);
    surfaces.mount(router);
    router
        .route()
        .last()
        .handler(ctx -> fail(ctx, ApiProblem.notFound("no resource at " + ctx.request().path())));
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

  private void routes(Router r) {
    r.get("/v1/market").handler(ctx -> blocking(ctx, 200, () -> marketInfo()));
    mechanismRoutes(r);
    r.post("/v1/participants")
        .handler(
            ctx -> {
              Fields f = JsonBodies.parse(ctx.body().asString(), "registration");
              var reg = JsonBodies.registration(f);
              blocking(ctx, 201, () -> JsonBodies.participant(market.register(reg)));
            });
    r.get("/v1/participants")
        .handler(
            ctx -> {
              Role role =
                  ctx.queryParam("role").isEmpty()
                      ? null
                      : parseRole(ctx.queryParam("role").get(0));
              int[] page = page(ctx);
              blocking(
                  ctx,
                  200,
                  () ->
                      Map.of(
                          "items",
                          market.store().participants().list(role, page[0], page[1]).stream()
                              .map(JsonBodies::participant)
                              .toList()));
            });
    r.get("/v1/participants/:address")
        .handler(
            ctx -> {
              String a = address(ctx.pathParam("address"));
              blocking(
                  ctx,
                  200,
                  () ->
                      JsonBodies.participant(
                          market
                              .participant(a)
                              .orElseThrow(() -> ApiProblem.notFound("no participant " + a))));
            });
    r.get("/v1/participants/:address/balance")
        .handler(
            ctx -> {
              String a = address(ctx.pathParam("address"));
              blocking(
                  ctx,
                  200,
                  () -> {
                    market
                        .participant(a)
                        .orElseThrow(() -> ApiProblem.notFound("no participant " + a));
                    Balance b = LedgerProblems.call(() -> market.ledger().balance(a));
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("account", b.account());
                    m.put("availableMicros", b.availableMicros());
                    m.put("escrowMicros", b.escrowMicros());
                    return m;
                  });
            });
    r.put("/v1/participants/:address/power-model")
        .handler(
            ctx -> {
              String a = address(ctx.pathParam("address"));
              Fields f = JsonBodies.parse(ctx.body().asString(), "powerModel");
              PowerProfile profile;
              try {
                profile = PowerProfile.fromJson(f);
              } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest(e.getMessage());
              }
              blocking(
                  ctx,
                  200,
                  () -> {
                    market.setPowerProfile(a, profile);
                    return profile.toJson();
                  });
            });
    r.get("/v1/participants/:address/reputation")
        .handler(
            ctx -> {
              String a = address(ctx.pathParam("address"));
              blocking(
                  ctx,
                  200,
                  () -> {
                    market
                        .participant(a)
                        .orElseThrow(() -> ApiProblem.notFound("no participant " + a));
                    var rep = LedgerProblems.call(() -> market.ledger().reputation(a));
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("provider", rep.provider());
                    m.put("committed", rep.committed());
                    m.put("delivered", rep.delivered());
                    m.put("successes", rep.successes());
                    m.put("failures", rep.failures());
                    m.put("scoreBps", rep.scoreBps());
                    m.put("type", (long) incentives.typeOf(a));
                    return m;
                  });
            });
    r.get("/v1/contracts/menu")
        .handler(
            ctx -> {
              Long epoch =
                  ctx.queryParam("epoch").isEmpty()
                      ? null
                      : number(ctx.queryParam("epoch").get(0), "epoch");
              blocking(
                  ctx,
                  200,
                  () ->
                      incentives.menuJson(
                          epoch != null
                              ? epoch
                              : IncentiveService.epochOf(
                                  market.store().rounds().lastClosedSlot().orElse(-1L) + 1)));
            });
    r.get("/v1/contracts")
        .handler(
            ctx -> {
              long epoch =
                  number(
                      ctx.queryParam("epoch").isEmpty() ? "" : ctx.queryParam("epoch").get(0),
                      "epoch");
              blocking(ctx, 200, () -> Map.of("items", incentives.taken(epoch)));
            });
    r.post("/v1/contracts")
        .handler(
            ctx -> {
              Fields f = JsonBodies.parse(ctx.body().asString(), "contractChoice");
              String provider;
              long epoch;
              long index;
              long nonce;
              Signature sig;
              try {
                provider = address(f.string("provider"));
                epoch = f.longValue("epoch");
                index = f.longValue("index");
                nonce = f.uint64("nonce");
                sig = Signature.fromHex(f.string("signature"));
              } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest(e.getMessage());
              }
              blocking(ctx, 201, () -> incentives.choose(provider, epoch, index, nonce, sig));
            });
    r.get("/v1/rounds/:round/reprice")
        .handler(
            ctx -> {
              long n = number(ctx.pathParam("round"), "round");
              blocking(
                  ctx,
                  200,
                  () -> {
                    market
                        .store()
                        .rounds()
                        .get(n)
                        .orElseThrow(() -> ApiProblem.notFound("no round " + n));
                    return LedgerProblems.call(() -> repricer.reprice(n)).toJson();
                  });
            });
    r.post("/v1/deposits")
        .handler(
            ctx -> {
              Fields f = JsonBodies.parse(ctx.body().asString(), "deposit");
              String id;
              String account;
              long amount;
              try {
                id = f.string("depositId");
                account = f.string("account").toLowerCase(Locale.ROOT);
                amount = f.longValue("amountMicros");
              } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest(e.getMessage());
              }
              blocking(
                  ctx,
                  201,
                  () -> {
                    market.deposit(id, account, amount);
                    return Map.of("depositId", id, "account", account, "amountMicros", amount);
                  });
            });
    r.post("/v1/orders")
        .handler(
            ctx -> {
              Fields f = JsonBodies.parse(ctx.body().asString(), "signedOrder");
              var so = JsonBodies.signedOrder(f);
              blocking(
                  ctx,
                  201,
                  () -> {
                    String id = market.submitOrder(so);
                    return Map.of("orderId", id, "status", OrderStatus.OPEN.name());
                  });
            });
    r.get("/v1/orders")
        .handler(
            ctx -> {
              if (ctx.queryParam("trader").isEmpty()) {
                throw ApiProblem.badRequest("query parameter trader is required");
              }
              String trader = address(ctx.queryParam("trader").get(0));
              String kind =
                  ctx.queryParam("kind").isEmpty() ? null : kindOf(ctx.queryParam("kind").get(0));
              int[] page = page(ctx);
              blocking(
                  ctx,
                  200,
                  () ->
                      Map.of(
                          "items",
                          market.store().orders().of(trader, kind, page[0], page[1]).stream()
                              .map(ApiServer::order)
                              .toList()));
            });
    r.get("/v1/orders/:id")
        .handler(
            ctx -> {
              String id = hash(ctx.pathParam("id"));
              blocking(
                  ctx,
                  200,
                  () ->
                      order(
                          market
                              .store()
                              .orders()
                              .get(id)
                              .orElseThrow(() -> ApiProblem.notFound("no order " + id))));
            });
    r.post("/v1/rounds")
        .handler(
            ctx -> {
              Fields f = JsonBodies.parse(ctx.body().asString(), "round");
              long slot;
              try {
                slot = f.longValue("slot");
              } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest(e.getMessage());
              }
              boolean settle = !f.has("settle") || f.bool("settle");
              blocking(
                  ctx,
                  201,
                  () -> {
                    var res = market.closeRound(slot);
                    // The round's result goes out before its settlement does.
                    surfaces.notifications().roundClosed(res.record().round());
                    if (settle) {
                      // Never wait behind a pass already running: it or the next one settles this
                      // round.
                      outbox.settlePendingIfIdle();
                    }
                    return round(market.store().rounds().get(res.record().round()).orElseThrow());
                  });
            });
    r.get("/v1/rounds")
        .handler(
            ctx -> {
              int[] page = page(ctx);
              blocking(
                  ctx,
                  200,
                  () ->
                      Map.of(
                          "items",
                          market.store().rounds().list(page[0], page[1]).stream()
                              .map(this::round)
                              .toList()));
            });
    r.get("/v1/rounds/:round")
        .handler(
            ctx -> {
              long n = number(ctx.pathParam("round"), "round");
              blocking(
                  ctx,
                  200,
                  () ->
                      round(
                          market
                              .store()
                              .rounds()
                              .get(n)
                              .orElseThrow(() -> ApiProblem.notFound("no round " + n))));
            });
    r.get("/v1/trades")
        .handler(
            ctx -> {
              String participant =
                  ctx.queryParam("participant").isEmpty()
                      ? null
                      : address(ctx.queryParam("participant").get(0));
              String kind =
                  ctx.queryParam("kind").isEmpty() ? null : marketOf(ctx.queryParam("kind").get(0));
              long from =
                  ctx.queryParam("fromSlot").isEmpty()
                      ? 0
                      : number(ctx.queryParam("fromSlot").get(0), "fromSlot");
              long to =
                  ctx.queryParam("toSlot").isEmpty()
                      ? Long.MAX_VALUE
                      : number(ctx.queryParam("toSlot").get(0), "toSlot");
              int[] page = page(ctx);
              blocking(
                  ctx,
                  200,
                  () ->
                      Map.of(
                          "items",
                          market
                              .store()
                              .trades()
                              .list(participant, kind, from, to, page[0], page[1])
                              .stream()
                              .map(RecordCodec::trade)
                              .toList()));
            });
    r.get("/v1/trades/:id")
        .handler(
            ctx -> {
              String id = hash(ctx.pathParam("id"));
              blocking(
                  ctx,
                  200,
                  () ->
                      RecordCodec.trade(
                          market
                              .store()
                              .trades()
                              .get(id)
                              .orElseThrow(() -> ApiProblem.notFound("no trade " + id))));
            });
    r.get("/v1/trades/:id/proof")
        .handler(
            ctx -> {
              String id = hash(ctx.pathParam("id"));
              blocking(ctx, 200, () -> proof(id));
            });
    r.get("/v1/batches")
        .handler(
            ctx -> {
              int[] page = page(ctx);
              blocking(
                  ctx,
                  200,
                  () ->
                      Map.of(
                          "items",
                          market.store().outbox().list(page[0], page[1]).stream()
                              .map(ApiServer::batch)
                              .toList()));
            });
    r.get("/v1/batches/:id")
        .handler(
            ctx -> {
              String id = hash(ctx.pathParam("id"));
              blocking(
                  ctx,
                  200,
                  () ->
                      batch(
                          market
                              .store()
                              .outbox()
                              .get(id)
                              .orElseThrow(() -> ApiProblem.notFound("no batch " + id))));
            });
    r.get("/v1/audit/conservation")
        .handler(
            ctx ->
                blocking(
                    ctx,
                    200,
                    () -> {
                      var c = market.conservation();
                      Map<String, Object> m = new LinkedHashMap<>();
                      m.put("depositsMicros", c.depositsMicros());
                      m.put("availableMicros", c.availableMicros());
                      m.put("escrowMicros", c.escrowMicros());
                      m.put("participants", c.participants());
                      m.put("accounts", c.accounts());
                      m.put(
                          "mismatches",
                          c.mismatches().stream()
                              .map(
                                  a -> {
                                    Map<String, Object> x = new LinkedHashMap<>();
                                    x.put("account", a.account());
                                    x.put("ledgerAvailableMicros", a.ledgerAvailableMicros());
                                    x.put("ledgerEscrowMicros", a.ledgerEscrowMicros());
                                    x.put("engineAvailableMicros", a.engineAvailableMicros());
                                    x.put("engineEscrowMicros", a.engineEscrowMicros());
                                    x.put("openOrdersEscrowMicros", a.openOrdersEscrowMicros());
                                    return x;
                                  })
                              .toList());
                      m.put("conserved", c.conserved());
                      return m;
                    }));
    r.get("/v1/settlement/set-aside")
        .handler(
            ctx ->
                blocking(
                    ctx,
                    200,
                    () ->
                        Map.of(
                            "items",
                            market.store().outbox().setAsideEntries().stream()
                                .map(
                                    e -> {
                                      Map<String, Object> x = new LinkedHashMap<>();
                                      x.put("batchId", e.batchId());
                                      x.put("round", e.round());
                                      x.put("reason", e.lastError());
                                      x.put(
                                          "since", market.store().outbox().setAsideAt(e.batchId()));
                                      x.put("attempts", (long) e.attempts());
                                      return x;
                                    })
                                .toList())));
    r.post("/v1/settlement/set-aside/:batchId/replan")
        .handler(
            ctx -> {
              String id = hash(ctx.pathParam("batchId"));
              blocking(
                  ctx,
                  200,
                  () -> {
                    var e =
                        market
                            .store()
                            .outbox()
                            .get(id)
                            .orElseThrow(() -> ApiProblem.notFound("no batch " + id));
                    if (e.status() != BatchStatus.SET_ASIDE) {
                      throw ApiProblem.conflict(
                          "not-set-aside", "batch " + id + " is " + e.status() + ", not set aside");
                    }
                    var rp = LedgerProblems.call(() -> outbox.replan(id));
                    var pass = outbox.settlePending();
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("batchId", rp.batchId());
                    m.put("round", rp.round());
                    m.put("ordersRetaken", (long) rp.ordersRetaken());
                    m.put(
                        "status",
                        market
                            .store()
                            .outbox()
                            .get(id)
                            .map(entry -> entry.status().name())
                            .orElse("UNKNOWN"));
                    if (pass.lastError() != null) {
                      m.put("lastError", pass.lastError());
                    }
                    return m;
                  });
            });
    r.get("/v1/ledger").handler(ctx -> blocking(ctx, 200, () -> ledgerStatus()));
    r.get("/v1/ledger/batches/:id")
        .handler(
            ctx -> {
              String id = hash(ctx.pathParam("id"));
              blocking(
                  ctx,
                  200,
                  () ->
                      ledgerBatch(
                          LedgerProblems.call(() -> market.ledger().batch(id))
                              .orElseThrow(
                                  () ->
                                      ApiProblem.notFound(
                                          "batch " + id + " is not on the ledger"))));
            });
    r.post("/v1/settlement/run")
        .handler(
            ctx -> {
              blocking(
                  ctx,
                  200,
                  () -> {
                    var pass = outbox.settlePending();
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("settled", (long) pass.settled());
                    m.put("pending", (long) pass.pending());
                    m.put("setAside", (long) pass.setAside());
                    if (pass.lastError() != null) {
                      m.put("lastError", pass.lastError());
                    }
                    return m;
                  });
            });
  }

  /**
   * The mechanism parameters (read by anyone, set by the operator from the next round) and each
   * provider's power model as the market holds it.
   */
  private void mechanismRoutes(Router r) {
    r.get("/v1/market/parameters")
        .handler(
            ctx -> {
              int[] page = page(ctx);
              blocking(
                  ctx,
                  200,
                  () -> {
                    var changes = market.parameterChanges(page[0], page[1]);
                    var current = market.parameterChanges(0, 1);
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("current", parameterChange(current.get(0), null));
                    m.put("nextRound", market.store().rounds().last() + 1);
                    m.put("changes", changes.stream().map(c -> parameterChange(c, null)).toList());
                    return m;
                  });
            });
    r.put("/v1/market/parameters")
        .handler(
            ctx -> {
              // The gate lets only the operator through (x-cne-roles).
              Fields f = JsonBodies.parse(ctx.body().asString(), "parameters");
              String energy;
              long kPermille;
              String compute;
              long lotWh;
              try {
                energy = f.string("energy");
                kPermille = f.longValue("kPermille");
                compute = f.string("compute");
                lotWh = f.longValue("lotWh", RoundParameters.DEFAULT_LOT_WH);
              } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest(e.getMessage());
              }
              Principal who = Exchange.principal(ctx);
              String setBy =
                  who != null && who.address() != null ? who.address() : "operator token";
              blocking(
                  ctx,
                  200,
                  () -> {
                    var c = market.setParameters(energy, kPermille, compute, lotWh, setBy);
                    String note =
                        (c.changed() ? "applies from round " : "in effect since round ")
                            + c.fromRound()
                            + ", the "
                            + (c.changed() ? "next round to close" : "round it was set for")
                            + "; rounds already closed keep the parameters their inputs recorded";
                    return parameterChange(c, note);
                  });
            });
    r.get("/v1/participants/:address/power-model")
        .handler(
            ctx -> {
              String a = address(ctx.pathParam("address"));
              blocking(
                  ctx,
                  200,
                  () -> {
                    var p =
                        market
                            .participant(a)
                            .orElseThrow(() -> ApiProblem.notFound("no participant " + a));
                    if (p.role() != Role.PROVIDER) {
                      throw ApiProblem.notFound(
                          "a power model belongs to a provider; " + a + " is a " + p.role());
                    }
                    var declared = market.powerProfile(a);
                    var model = declared.orElse(PowerProfile.DEFAULT);
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("provider", a);
                    m.put("declared", declared.isPresent());
                    m.put("model", model.toJson());
                    // Informational (never reaches the ledger): facility energy of one unit.
                    m.put("milliWhPerUnit", Math.round(model.kwhPerUnit() * 1_000_000));
                    return m;
                  });
            });
  }

  private static Map<String, Object> parameterChange(MarketService.ParameterChange c, String note) {
    Map<String, Object> p = new LinkedHashMap<>(c.parameters().toJson());
    p.put("lotWh", c.parameters().lotWh());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("parameters", p);
    m.put("effectiveFromRound", c.fromRound());
    m.put("changed", c.changed());
    m.put("setBy", c.setBy());
    m.put("setAtMillis", c.setAtMillis());
    if (note != null) {
      m.put("note", note);
    }
    return m;
  }

  private Map<String, Object> marketInfo() {
    var d = market.domain();
    Map<String, Object> dom = new LinkedHashMap<>();
    dom.put("name", d.name());
    dom.put("version", d.version());
    dom.put("chainId", d.chainId());
    dom.put("verifyingContract", d.verifyingContract());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("domain", dom);
    // The mechanisms rounds clear with (set when the engine starts), for consoles and clients.
    m.put("parameters", market.parameters().toJson());
    // Everything a client in any language needs for eth_signTypedData_v4, without reading Java.
    m.put("typedData", TypedData.definition(d));
    m.put("lastRound", market.store().rounds().last());
    market.store().rounds().lastClosedSlot().ifPresent(s -> m.put("lastClosedSlot", s));
    m.put("ledger", ledgerStatus());
    return m;
  }

  private Map<String, Object> ledgerStatus() {
    LedgerStatus s = LedgerProblems.call(() -> market.ledger().status());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("backend", s.backend());
    m.put("height", s.height());
    m.put("network", s.network());
    return m;
  }

  private Map<String, Object> proof(String tradeId) {
    var p = market.tradeProof(tradeId);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tradeId", tradeId);
    m.put("batchId", p.batchId());
    m.put("round", p.trade().round());
    m.put("index", p.index());
    m.put("leaf", p.trade().leafHex());
    m.put("proof", p.proof().stream().map(Hex::encode).toList());
    m.put("merkleRoot", Hex.encode(p.merkleRoot()));
    m.put("settled", p.settled());
    m.put("trade", RecordCodec.trade(p.trade()));
    return m;
  }

  private Map<String, Object> round(RoundRecord r) {
    Map<String, Object> m = new LinkedHashMap<>(Json.parseObject(r.summaryJson()));
    m.put("batchId", r.batchId());
    m.put("inputsHash", r.inputsHash());
    m.put("outputsHash", r.outputsHash());
    m.put("closedAtMillis", r.closedAtMillis());
    market.store().outbox().get(r.batchId()).ifPresent(e -> m.put("settlement", e.status().name()));
    return m;
  }

  private static Map<String, Object> order(StoredOrder o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("orderId", o.orderId());
    m.put("order", RecordCodec.order(o.signed().order()));
    m.put("signature", o.signed().signature().toHex());
    m.put("filled", o.filled());
    m.put("status", o.status().name());
    return m;
  }

  private static Map<String, Object> batch(OutboxEntry e) {
    Map<String, Object> m = RecordCodec.batchHeader(RecordCodec.batchFromJson(e.payloadJson()));
    m.put("status", e.status().name());
    m.put("attempts", (long) e.attempts());
    if (e.txId() != null) {
      m.put("txId", e.txId());
      m.put("blockNumber", e.blockNumber());
    }
    if (e.lastError() != null) {
      m.put("lastError", e.lastError());
    }
    return m;
  }

  private static Map<String, Object> ledgerBatch(BatchRecord b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("batchId", b.batchId());
    m.put("round", b.round());
    m.put("slot", b.slot());
    m.put("merkleRoot", b.merkleRoot());
    m.put("inputsHash", b.inputsHash());
    m.put("outputsHash", b.outputsHash());
    m.put("tradeCount", b.tradeCount());
    m.put("txId", b.txId());
    return m;
  }

  private static Role parseRole(String s) {
    try {
      return Role.parse(s);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest(e.getMessage());
    }
  }

  private static String marketOf(String s) {
    try {
      return OrderKind.Market.valueOf(s.toUpperCase(Locale.ROOT)).name();
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest("kind must be ENERGY or COMPUTE, not " + s);
    }
  }

  private static String kindOf(String s) {
    try {
      return OrderKind.parse(s).name();
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest(e.getMessage());
    }
  }

  private static String address(String s) {
    String a = s == null ? "" : s.toLowerCase(Locale.ROOT);
    if (!a.matches("0x[0-9a-f]{40}")) {
      throw ApiProblem.badRequest("not a 0x address: " + s);
    }
    return a;
  }

  private static String hash(String s) {
    String h = s == null ? "" : s.toLowerCase(Locale.ROOT);
    if (!h.matches("0x[0-9a-f]{64}")) {
      throw ApiProblem.badRequest("not a 32-byte 0x hash: " + s);
    }
    return h;
  }

  private static long number(String s, String name) {
    try {
      long v = Long.parseLong(s);
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw ApiProblem.badRequest(name + " must be a non-negative integer");
    }
  }

  private static int[] page(RoutingContext ctx) {
    int offset =
        ctx.queryParam("offset").isEmpty()
            ? 0
            : (int) Math.min(Integer.MAX_VALUE, number(ctx.queryParam("offset").get(0), "offset"));
    long limit =
        ctx.queryParam("limit").isEmpty() ? 100 : number(ctx.queryParam("limit").get(0), "limit");
    if (limit < 1 || limit > MAX_PAGE) {
      throw ApiProblem.badRequest("limit must be between 1 and " + MAX_PAGE);
    }
    return new int[] {offset, (int) limit};
  }

  /** Runs {@code work} on a worker thread and answers with its JSON. */
  private void blocking(RoutingContext ctx, int status, Callable<Object> work) {
    Replies.blocking(vertx, ctx, status, work);
  }

  static void fail(RoutingContext ctx, Throwable t) {
    Problems.fail(ctx, t);
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
