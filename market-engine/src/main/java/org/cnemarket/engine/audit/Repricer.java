package org.cnemarket.engine.audit;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.Trade;
import org.cnemarket.engine.ledger.BatchRecord;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.round.ClearingOutcome;
import org.cnemarket.engine.round.OpenOrder;
import org.cnemarket.engine.round.RoundClearing;
import org.cnemarket.engine.round.RoundInput;
import org.cnemarket.engine.round.Trades;
import org.cnemarket.engine.store.MarketStore;
import org.cnemarket.engine.store.RoundRecord;

/**
 * Recomputes a settled round from its recorded inputs and checks it against the ledger: the inputs
 * must hash to the inputs hash the batch committed, and pricing them again must give the same
 * outputs and the same trades (the Merkle root the ledger holds).
 */
public final class Repricer {
  /** The verdict for one round; {@code problem} says what differs. */
  public record Verdict(
      long round, boolean inputsMatch, boolean outputsMatch, boolean rootMatches, String problem) {
    public boolean matches() {
      return inputsMatch && outputsMatch && rootMatches;
    }

    public Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("round", round);
      m.put("matches", matches());
      m.put("inputsMatchLedger", inputsMatch);
      m.put("outputsMatchLedger", outputsMatch);
      m.put("rootMatchesLedger", rootMatches);
      if (problem != null) {
        m.put("problem", problem);
      }
      return m;
    }
  }

  private final MarketStore store;
  private final Ledger ledger;
  private final RoundClearing clearing;

  public Repricer(MarketStore store, Ledger ledger, RoundClearing clearing) {
    this.store = store;
    this.ledger = ledger;
    this.clearing = clearing;
  }

  public Verdict reprice(long round) throws LedgerException {
    RoundRecord rec =
        store
            .rounds()
            .get(round)
            .orElseThrow(() -> new IllegalArgumentException("no round " + round));
    BatchRecord onLedger = ledger.batch(rec.batchId()).orElse(null);
    if (onLedger == null) {
      return new Verdict(
          round, false, false, false, "batch " + rec.batchId() + " is not on the ledger");
    }
    boolean inputsMatch = Hex.encode(Keccak.hash(rec.inputsJson())).equals(onLedger.inputsHash());
    if (!inputsMatch) {
      return new Verdict(
          round,
          false,
          false,
          false,
          "the recorded inputs do not hash to the inputs hash settled on the ledger: they were altered");
    }
    RoundInput input;
    try {
      input = RoundInput.fromJson(rec.inputsJson());
    } catch (IllegalArgumentException e) {
      return new Verdict(
          round, true, false, false, "the recorded inputs cannot be read: " + e.getMessage());
    }
    ClearingOutcome outcome = clearing.clear(input);
    Map<String, Order> orders = new HashMap<>();
    for (OpenOrder o : input.orders()) {
      orders.put(o.orderId(), o.order());
    }
    List<Trade> trades = Trades.fromFills(input.round(), input.slot(), outcome.fills(), orders);
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("results", outcome.results());
    outputs.put("tradeIds", trades.stream().map(Trade::tradeId).toList());
    boolean outputsMatch =
        Hex.encode(Keccak.hash(Json.write(outputs))).equals(onLedger.outputsHash());
    String root = SettlementBatch.rootOf(trades);
    boolean rootMatches = root.equals(onLedger.merkleRoot());
    String problem =
        outputsMatch && rootMatches
            ? null
            : "repricing gives "
                + (outputsMatch ? "the same outputs" : "different prices or allocations")
                + (rootMatches ? "" : " and different trades than the ledger's root");
    return new Verdict(round, true, outputsMatch, rootMatches, problem);
  }
}
