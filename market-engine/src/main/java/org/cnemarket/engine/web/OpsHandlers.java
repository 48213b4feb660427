package org.cnemarket.engine.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cnemarket.engine.market.Readiness;
import org.cnemarket.engine.ops.EngineMetrics;

/** Operations: liveness, readiness (database and ledger answer) and Prometheus metrics. */
final class OpsHandlers implements Operations.Group {
  private final Readiness readiness;
  private final EngineMetrics metrics;

  OpsHandlers(Readiness readiness, EngineMetrics metrics) {
    this.readiness = readiness;
    this.metrics = metrics;
  }

  @Override
  public void bind(Operations ops) {
    ops.on("health", this::health).on("ready", this::ready).on("metrics", this::metrics);
  }

  void health(Call call) {
    call.reply(200, Map.of("status", "UP"));
  }

  void ready(Call call) {
    call.answer(
        200,
        () -> {
          Readiness.Report r = readiness.check();
          if (!r.databaseUp()) {
            throw notReady("the engine database does not answer");
          }
          if (r.ledgerProblem() != null) {
            throw notReady("the ledger does not answer: " + r.ledgerProblem());
          }
          // Serving, but a refused batch waits for the operator: degraded, not down.
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("status", r.setAsideBatches() > 0 ? "DEGRADED" : "READY");
          m.put("database", "UP");
          m.put("ledger", r.ledgerBackend());
          m.put("ledgerHeight", r.ledgerHeight());
          m.put("setAsideBatches", r.setAsideBatches());
          m.put("ordersPendingLedger", r.ordersPendingLedger());
          return m;
        });
  }

  void metrics(Call call) {
    call.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics::scrape);
  }

  private static ApiProblem notReady(String detail) {
    return new ApiProblem(503, "not-ready", "Not ready", detail);
  }
}
