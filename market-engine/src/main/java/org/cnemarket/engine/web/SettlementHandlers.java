package org.cnemarket.engine.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cnemarket.engine.market.SettlementQueries;
import org.cnemarket.engine.market.SettlementRuns;

/** Settlement: batches in the outbox and on the ledger, passes, set-aside batches. */
final class SettlementHandlers implements Operations.Group {
  private final SettlementQueries settlement;
  private final SettlementRuns runs;

  SettlementHandlers(SettlementQueries settlement, SettlementRuns runs) {
    this.settlement = settlement;
    this.runs = runs;
  }

  @Override
  public void bind(Operations ops) {
    ops.on("listBatches", this::listBatches)
        .on("getBatch", this::getBatch)
        .on("getLedger", this::getLedger)
        .on("getLedgerBatch", this::getLedgerBatch)
        .on("runSettlement", this::runSettlement)
        .on("listSetAsideBatches", this::listSetAsideBatches)
        .on("replanBatch", this::replanBatch);
  }

  void listBatches(Call call) {
    Params.Page page = Params.page(call);
    call.answer(
        200,
        () ->
            Views.items(
                settlement.batches(page.offset(), page.limit()).stream()
                    .map(Views::batch)
                    .toList()));
  }

  void getBatch(Call call) {
    String id = Params.hash(call.path("id"));
    call.answer(200, () -> Views.batch(settlement.get(id)));
  }

  void getLedger(Call call) {
    call.answer(200, () -> Views.ledgerStatus(settlement.ledgerStatus()));
  }

  void getLedgerBatch(Call call) {
    String id = Params.hash(call.path("id"));
    call.answer(200, () -> Views.ledgerBatch(settlement.ledgerBatch(id)));
  }

  void runSettlement(Call call) {
    call.answer(
        200,
        () -> {
          var pass = runs.settle();
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("settled", (long) pass.settled());
          m.put("pending", (long) pass.pending());
          m.put("setAside", (long) pass.setAside());
          if (pass.lastError() != null) {
            m.put("lastError", pass.lastError());
          }
          return m;
        });
  }

  void listSetAsideBatches(Call call) {
    call.answer(
        200,
        () ->
            Views.items(
                settlement.setAsideBatches().stream()
                    .map(
                        s -> {
                          Map<String, Object> x = new LinkedHashMap<>();
                          x.put("batchId", s.entry().batchId());
                          x.put("round", s.entry().round());
                          x.put("reason", s.entry().lastError());
                          x.put("since", s.sinceMillis());
                          x.put("attempts", (long) s.entry().attempts());
                          return (Object) x;
                        })
                    .toList()));
  }

  /** Re-plans a set-aside batch from the engine's signed orders and runs a settlement pass. */
  void replanBatch(Call call) {
    String id = Params.hash(call.path("batchId"));
    call.answer(
        200,
        () -> {
          var r = runs.replan(id);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("batchId", r.batchId());
          m.put("round", r.round());
          m.put("ordersRetaken", (long) r.ordersRetaken());
          m.put("status", r.status());
          if (r.lastError() != null) {
            m.put("lastError", r.lastError());
          }
          return m;
        });
  }
}
