package org.cnemarket.engine.publicdata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.model.Trade;
import org.cnemarket.core.model.Units;
import org.cnemarket.engine.store.MarketStore;
import org.cnemarket.engine.store.OutboxEntry;
import org.cnemarket.engine.store.RoundHeader;

/**
 * Per-round public figures and batch headers, computed from what the engine recorded. A round's
 * figures never change once it closed, so they are computed once; only its settlement status is
 * read each time.
 */
public final class PublicMarketData {
  private final MarketStore store;
  private final Map<Long, Map<String, Object>> closedRounds = new ConcurrentHashMap<>();

  public PublicMarketData(MarketStore store) {
    this.store = store;
  }

  /** Rounds, newest first. */
  public List<Map<String, Object>> rounds(int offset, int limit) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (RoundHeader r : store.rounds().headers(offset, limit)) {
      out.add(round(r));
    }
    return out;
  }

  /**
   * One round's public figures: volumes, prices, mix, green share, carbon, batch and its status.
   */
  public Map<String, Object> round(RoundHeader r) {
    Map<String, Object> m =
        new LinkedHashMap<>(closedRounds.computeIfAbsent(r.round(), n -> figures(r)));
    store
        .outbox()
        .state(r.batchId())
        .ifPresent(
            e -> {
              m.put("settlement", e.status().name());
              if (e.txId() != null) {
                m.put("txId", e.txId());
              }
            });
    return m;
  }

  private Map<String, Object> figures(RoundHeader r) {
    Map<String, Object> summary = Json.parseObject(r.summaryJson());
    Fields s = Fields.of(summary, "round");
    long energyWh = s.longValue("energyWh", 0);
    long greenWh = s.longValue("greenWh", 0);
    long carbonMg = s.longValue("carbonMg", 0);
    Fields results = s.has("results") ? s.object("results") : null;
    Fields energy = results != null && results.has("energy") ? results.object("energy") : null;
    Fields compute = results != null && results.has("compute") ? results.object("compute") : null;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("round", r.round());
    m.put("slot", r.slot());
    m.put("closedAtMillis", r.closedAtMillis());
    m.put("orders", s.longValue("orders", 0));
    m.put("trades", s.longValue("trades", 0));
    m.put("energyWh", energyWh);
    m.put("greenWh", greenWh);
    m.put("greenShareBps", energyWh == 0 ? 0L : greenWh * Units.BPS_ONE / energyWh);
    // Rounds closed before the summary carried the mix and the root have them gathered here.
    m.put(
        "energyBySourceWh",
        summary.get("energyBySourceWh") instanceof Map<?, ?> mix ? mix : energyMix(r.round()));
    m.put("energyMechanism", energy == null ? "" : energy.string("mechanism", ""));
    m.put("energyPriceMicros", energy == null ? 0L : energy.longValue("priceMicros", 0));
    m.put("computeMilliUnits", s.longValue("computeMilliUnits", 0));
    m.put("computeMechanism", compute == null ? "" : compute.string("mechanism", ""));
    m.put("computePriceMicros", compute == null ? 0L : compute.longValue("priceMicros", 0));
    m.put("carbonMg", carbonMg);
    // mg CO2 per kWh of the energy traded: the round's carbon intensity.
    m.put("carbonMgPerKwh", energyWh == 0 ? 0L : carbonMg * 1000 / energyWh);
    m.put("valueMicros", s.longValue("valueMicros", 0));
    m.put("batchId", r.batchId());
    m.put("inputsHash", r.inputsHash());
    m.put("outputsHash", r.outputsHash());
    if (summary.get("merkleRoot") instanceof String root) {
      m.put("merkleRoot", root);
    } else {
      store
          .outbox()
          .get(r.batchId())
          .ifPresent(
              e -> m.put("merkleRoot", RecordCodec.batchHeader(e.payloadJson()).get("merkleRoot")));
    }
    return m;
  }

  /** Energy traded in the round by the source of the offer it came from. */
  private Map<String, Long> energyMix(long round) {
    return Trade.energyBySourceWh(
        store.trades().ofRound(round),
        id ->
            store.orders().get(id).map(o -> o.signed().order().source().name()).orElse("UNKNOWN"));
  }

  /** Batch headers as the engine settles them: roots, hashes, trade counts, ledger transaction. */
  public List<Map<String, Object>> batches(int offset, int limit) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (OutboxEntry e : store.outbox().list(offset, limit)) {
      Map<String, Object> m = RecordCodec.batchHeader(e.payloadJson());
      m.put("status", e.status().name());
      if (e.txId() != null) {
        m.put("txId", e.txId());
        m.put("blockNumber", e.blockNumber());
      }
      out.add(m);
    }
    return out;
  }
}
