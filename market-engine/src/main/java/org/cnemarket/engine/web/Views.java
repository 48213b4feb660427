package org.cnemarket.engine.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.model.Participant;
import org.cnemarket.engine.ledger.BatchRecord;
import org.cnemarket.engine.ledger.LedgerStatus;
import org.cnemarket.engine.market.CarbonReport;
import org.cnemarket.engine.market.MarketService;
import org.cnemarket.engine.market.RoundQueries;
import org.cnemarket.engine.store.MeterReadings.MeterReading;
import org.cnemarket.engine.store.OutboxEntry;
import org.cnemarket.engine.store.StoredOrder;

/** Response bodies of the REST API, as the contract shapes them (canonical JSON, integers only). */
final class Views {
  private Views() {}

  /** A page of a list: {@code {"items": [...]}}. */
  static Map<String, Object> items(List<?> items) {
    return Map.of("items", items);
  }

  static Map<String, Object> participant(Participant p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("address", p.address());
    m.put("role", p.role().name());
    m.put("name", p.name());
    return m;
  }

  static Map<String, Object> parameterChange(MarketService.ParameterChange c, String note) {
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

  static Map<String, Object> ledgerStatus(LedgerStatus s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("backend", s.backend());
    m.put("height", s.height());
    m.put("network", s.network());
    return m;
  }

  static Map<String, Object> ledgerBatch(BatchRecord b) {
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

  static Map<String, Object> proof(String tradeId, MarketService.TradeProof p) {
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

  static Map<String, Object> round(RoundQueries.RoundView v) {
    var r = v.record();
    Map<String, Object> m = new LinkedHashMap<>(Json.parseObject(r.summaryJson()));
    m.put("batchId", r.batchId());
    m.put("inputsHash", r.inputsHash());
    m.put("outputsHash", r.outputsHash());
    m.put("closedAtMillis", r.closedAtMillis());
    v.settlement().ifPresent(s -> m.put("settlement", s.name()));
    return m;
  }

  static Map<String, Object> order(StoredOrder o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("orderId", o.orderId());
    m.put("order", RecordCodec.order(o.signed().order()));
    m.put("signature", o.signed().signature().toHex());
    m.put("filled", o.filled());
    m.put("status", o.status().name());
    return m;
  }

  static Map<String, Object> batch(OutboxEntry e) {
    Map<String, Object> m = RecordCodec.batchHeader(e.payloadJson());
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

  static Map<String, Object> carbon(CarbonReport r) {
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

  static Map<String, Object> reading(MeterReading r) {
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
}
