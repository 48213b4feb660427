package org.cnemarket.engine.web;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.JsonException;
import org.cnemarket.core.crypto.Signature;
import org.cnemarket.core.model.Role;
import org.cnemarket.engine.auth.Principal;
import org.cnemarket.engine.auth.SignIn;
import org.cnemarket.engine.ledger.CertificateBalance;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.market.CarbonReport;
import org.cnemarket.engine.market.Certificates;
import org.cnemarket.engine.market.Deliveries;
import org.cnemarket.engine.market.MarketService;
import org.cnemarket.engine.ops.EngineMetrics;
import org.cnemarket.engine.store.MarketStore;
import org.cnemarket.engine.store.MeterReadings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handlers of the operations the surfaces add: sign-in, meter readings, certificates, reputation,
 * carbon reports, health, readiness and metrics; plus the contract itself, the API page and the
 * dashboard's static files. Requests reach them already validated and authorised by the gate.
 */
public final class SurfaceRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(SurfaceRoutes.class);

  /** At most a month of hourly slots per certificate query. */
  static final long MAX_SLOT_SPAN = 744;

  private final Vertx vertx;
  private final SignIn signIn;
  private final MarketStore store;
  private final Ledger ledger;
  private final MeterReadings readings;
  private final Deliveries deliveries;
  private final Certificates certificates;
  private final EngineMetrics metrics;
  private final Clock clock;

  private final MarketService market;

  public SurfaceRoutes(
      Vertx vertx,
      SignIn signIn,
      MarketService market,
      MeterReadings readings,
      EngineMetrics metrics,
      Clock clock) {
    this.market = market;
    this.store = market.store();
    this.ledger = market.ledger();
    this.vertx = vertx;
    this.signIn = signIn;
    this.readings = readings;
    this.deliveries = new Deliveries(market, readings, clock);
    this.certificates = new Certificates(market.ledger());
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Mounts the handlers on {@code r}, after the gate's routes. */
  public void mount(Router r) {
    r.get("/v1/auth/challenge")
        .handler(
            ctx -> {
              String a = ctx.queryParam("address").get(0);
              blocking(ctx, 200, () -> signIn.challenge(a));
            });
    r.post("/v1/auth/login")
        .handler(
            ctx -> {
              var body = ctx.body().asJsonObject();
              blocking(
                  ctx,
                  200,
                  () -> signIn.login(body.getString("message"), body.getString("signature")));
            });
    r.post("/v1/auditors")
        .handler(
            ctx -> {
              String a = lower(ctx.body().asJsonObject().getString("address"));
              blocking(
                  ctx,
                  201,
                  () -> {
                    boolean admitted = market.admitAuditor(a);
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("address", a);
                    m.put("newlyAdmitted", admitted);
                    return m;
                  });
            });
    r.get("/v1/auditors")
        .handler(
            ctx ->
                blocking(
                    ctx,
                    200,
                    () -> {
                      List<Object> items = new ArrayList<>();
                      for (Map.Entry<String, Long> e :
                          market.store().participants().admittedAuditors()) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("address", e.getKey());
                        m.put("admittedAtMillis", e.getValue());
                        m.put("registered", market.participant(e.getKey()).isPresent());
                        items.add(m);
                      }
                      return Map.of("items", items);
                    }));
    r.get("/v1/participants/:address/certificates")
        .handler(
            ctx -> {
              String a = lower(ctx.pathParam("address"));
              long from = num(query(ctx, "fromSlot"), "fromSlot", 0);
              long to = num(query(ctx, "toSlot"), "toSlot", 0);
              blocking(
                  ctx,
                  200,
                  () -> {
                    if (to < from || to - from >= MAX_SLOT_SPAN) {
                      throw ApiProblem.badRequest(
                          "toSlot must be at or after fromSlot and span at most "
                              + MAX_SLOT_SPAN
                              + " slots");
                    }
                    requireParticipant(a);
                    List<Object> items = new ArrayList<>();
                    // Counted, not compared: s++ past 2^63 - 1 would wrap and never pass toSlot.
                    for (long i = 0; i <= to - from; i++) {
                      long slot = from + i;
                      CertificateBalance b = certificates.balance(a, slot);
                      if (b.heldWh() != 0 || b.retiredWh() != 0) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("holder", a);
                        m.put("slot", slot);
                        m.put("heldWh", b.heldWh());
                        m.put("retiredWh", b.retiredWh());
                        items.add(m);
                      }
                    }
                    return Map.of("items", items);
                  });
            });
    r.post("/v1/meter-readings")
        .handler(
            ctx -> {
              var body = ctx.body().asJsonObject();
              Principal who = Exchange.principal(ctx);
              blocking(
                  ctx,
                  201,
                  () ->
                      reading(
                          deliveries.report(
                              lower(body.getString("tradeId")),
                              integer(body, "deliveredQuantity"),
                              who.address(),
                              who.role() == Role.OPERATOR)));
            });
    r.get("/v1/meter-readings")
        .handler(
            ctx -> {
              Principal who = Exchange.principal(ctx);
              String participant = lower(query(ctx, "participant"));
              if (!who.readsAll()) {
                // Producers and buyers see their own deliveries only.
                participant = who.address();
              }
              String market = query(ctx, "market");
              long from = num(query(ctx, "fromSlot"), "fromSlot", 0);
              long to = num(query(ctx, "toSlot"), "toSlot", Long.MAX_VALUE);
              int offset = (int) num(query(ctx, "offset"), "offset", 0);
              int limit = (int) num(query(ctx, "limit"), "limit", 100);
              String p = participant;
              blocking(
                  ctx,
                  200,
                  () ->
                      Map.of(
                          "items",
                          deliveries.readings(p, market, from, to, offset, limit).stream()
                              .map(SurfaceRoutes::reading)
                              .toList()));
            });
    r.post("/v1/certificates/transfers")
        .handler(
            ctx -> {
              var b = ctx.body().asJsonObject();
              blocking(
                  ctx,
                  201,
                  () -> {
                    String from = lower(b.getString("from"));
                    String to = lower(b.getString("to"));
                    Signature sig = signature(b.getString("signature"));
                    certificates.transfer(
                        from,
                        to,
                        integer(b, "slot"),
                        integer(b, "amountWh"),
                        uint64(b, "nonce"),
                        sig);

                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("op", "transfer");
                    m.put("from", from);
                    m.put("to", to);
                    m.put("slot", integer(b, "slot"));
                    m.put("amountWh", integer(b, "amountWh"));
                    m.put("nonce", Fields.uint64Json(uint64(b, "nonce")));
                    return m;
                  });
            });
    r.post("/v1/certificates/retirements")
        .handler(
            ctx -> {
              var b = ctx.body().asJsonObject();
              blocking(
                  ctx,
                  201,
                  () -> {
                    String holder = lower(b.getString("holder"));
                    Signature sig = signature(b.getString("signature"));
                    certificates.retire(
                        holder,
                        integer(b, "slot"),
                        integer(b, "amountWh"),
                        uint64(b, "nonce"),
                        sig);

                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("op", "retire");
                    m.put("holder", holder);
                    m.put("slot", integer(b, "slot"));
                    m.put("amountWh", integer(b, "amountWh"));
                    m.put("nonce", Fields.uint64Json(uint64(b, "nonce")));
                    return m;
                  });
            });
    r.get("/v1/carbon")
        .handler(
            ctx -> {
              String participant = lower(query(ctx, "participant"));
              long from = num(query(ctx, "fromSlot"), "fromSlot", 0);
              long to = num(query(ctx, "toSlot"), "toSlot", Long.MAX_VALUE);
              blocking(ctx, 200, () -> carbon(CarbonReport.of(store, participant, from, to)));
            });
    r.get("/health").handler(ctx -> json(ctx, 200, Map.of("status", "UP")));
    r.get("/ready")
        .handler(
            ctx ->
                blocking(
                    ctx,
                    200,
                    () -> {
                      if (!readings.ping()) {
                        throw new ApiProblem(
                            503, "not-ready", "Not ready", "the engine database does not answer");
                      }
                      store.rounds().last();
                      long height;
                      try {
                        height = ledger.status().height();
                      } catch (LedgerException | RuntimeException e) {
                        throw new ApiProblem(
                            503,
                            "not-ready",
                            "Not ready",
                            "the ledger does not answer: " + e.getMessage());
                      }
                      // Serving, but a refused batch waits for the operator: degraded, not down.
                      long setAside = store.outbox().setAsideCount();
                      Map<String, Object> m = new LinkedHashMap<>();
                      m.put("status", setAside > 0 ? "DEGRADED" : "READY");
                      m.put("database", "UP");
                      m.put("ledger", ledger.backend());
                      m.put("ledgerHeight", height);
                      m.put("setAsideBatches", setAside);
                      m.put("ordersPendingLedger", store.orders().pendingCount());
                      return m;
                    }));
    r.get("/metrics")
        .handler(
            ctx ->
                vertx
                    .executeBlocking(metrics::scrape, false)
                    .onComplete(
                        ar -> {
                          if (ar.failed()) {
                            fail(ctx, ar.cause());
                            return;
                          }
                          ctx.response()
                              .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                              .end(ar.result());
                        }));
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

  private static Map<String, Object> carbon(CarbonReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("participant", r.participant());
    m.put("fromSlot", r.fromSlot());
    m.put("toSlot", r.toSlot());
    m.put("energyBoughtWh", r.energyBoughtWh());
    m.put("energySoldWh", r.energySoldWh());
    m.put("greenWh", r.greenWh());
    m.put("greenShareBps", r.greenShareBps());
    m.put("carbonMg", r.carbonMg());
    m.put("carbonSoldMg", r.carbonSoldMg());
    m.put("computeBoughtMilli", r.computeBoughtMilli());
    m.put("computeSoldMilli", r.computeSoldMilli());
    m.put("trades", r.trades());
    return m;
  }

  static Map<String, Object> reading(MeterReadings.MeterReading r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tradeId", r.tradeId());
    m.put("round", r.round());
    m.put("slot", r.slot());
    m.put("market", r.market());
    m.put("buyer", r.buyer());
    m.put("seller", r.seller());
    m.put("buyOrderId", r.buyOrderId());
    m.put("sellOrderId", r.sellOrderId());
    m.put("contractedQuantity", r.contractedQuantity());
    m.put("deliveredQuantity", r.deliveredQuantity());
    m.put("certifiedWh", r.certifiedWh());
    m.put("reportedBy", r.reportedBy());
    m.put("reportedAtMillis", r.reportedAtMillis());
    return m;
  }

  private void requireParticipant(String a) {
    if (store.participants().get(a).isEmpty()) {
      throw ApiProblem.notFound("no participant " + a);
    }
  }

  private static Signature signature(String hex) {
    try {
      return Signature.fromHex(hex);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest("signature: " + e.getMessage());
    }
  }

  private static String query(RoutingContext ctx, String name) {
    return ctx.queryParam(name).isEmpty() ? null : ctx.queryParam(name).get(0);
  }

  /** A non-negative integer query parameter; beyond 2^63 - 1 or malformed is a 400, never a 500. */
  private static long num(String s, String name, long fallback) {
    if (s == null) {
      return fallback;
    }
    try {
      long v = Long.parseLong(s);
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiProblem.badRequest(name + " must be an integer from 0 to " + Long.MAX_VALUE);
  }

  /** A uint64 body field (0 to 2^64 - 1, nonces) in a long's 64 bits; anything else is a 400. */
  static long uint64(JsonObject body, String key) {
    try {
      return new Fields(body.getMap(), "body").uint64(key);
    } catch (JsonException e) {
      throw ApiProblem.badRequest(e.getMessage());
    }
  }

  /**
   * A non-negative integer body field, exactly: Vert.x {@code getLong} would truncate 2^64 + 5 to
   * 5, so anything that is not a whole number from 0 to 2^63 - 1 is a 400.
   */
  static long integer(JsonObject body, String key) {
    Object v = body.getValue(key);
    if ((v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte)
        && ((Number) v).longValue() >= 0) {
      return ((Number) v).longValue();
    }
    throw ApiProblem.badRequest(key + " must be an integer from 0 to " + Long.MAX_VALUE);
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  private void blocking(RoutingContext ctx, int status, Callable<Object> work) {
    Replies.blocking(vertx, ctx, status, work);
  }

  private static void json(RoutingContext ctx, int status, Object body) {
    Replies.json(ctx, status, body);
  }

  private static void fail(RoutingContext ctx, Throwable t) {
    Problems.fail(ctx, t);
  }
}
