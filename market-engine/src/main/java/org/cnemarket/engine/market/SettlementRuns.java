package org.cnemarket.engine.market;

import org.cnemarket.engine.settlement.SettlementOutbox;

/**
 * Settlement passes the operator asks for: one over the due batches, or one after a set-aside batch
 * is re-planned from the engine's signed orders.
 */
public final class SettlementRuns {
  /** What a re-plan did, the batch's status after the pass that followed, and its last error. */
  public record Replanned(
      String batchId, long round, int ordersRetaken, String status, String lastError) {}

  private final SettlementQueries settlement;
  private final SettlementOutbox outbox;

  public SettlementRuns(SettlementQueries settlement, SettlementOutbox outbox) {
    this.settlement = settlement;
    this.outbox = outbox;
  }

  /** Tries every due batch once, in round order. */
  public SettlementOutbox.Pass settle() {
    return outbox.settlePending();
  }

  /**
   * Re-plans a set-aside batch and runs a settlement pass; a batch that is not set aside is
   * refused, and one the engine does not know is not found.
   */
  public Replanned replan(String batchId) {
    var e = settlement.get(batchId);
    if (!SettlementQueries.setAside(e)) {
      throw new Refusal(
          Refusal.Reason.NOT_SET_ASIDE,
          "batch " + batchId + " is " + e.status() + ", not set aside");
    }
    var rp = LedgerProblems.call(() -> outbox.replan(batchId));
    var pass = outbox.settlePending();
    return new Replanned(
        rp.batchId(),
        rp.round(),
        rp.ordersRetaken(),
        settlement.find(batchId).map(x -> x.status().name()).orElse("UNKNOWN"),
        pass.lastError());
  }
}
