package org.cnemarket.engine.settlement;

import java.time.Clock;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.ledger.LedgerRejectedException;
import org.cnemarket.engine.ledger.SettlementReceipt;
import org.cnemarket.engine.store.MarketStore;
import org.cnemarket.engine.store.MarketStore.OutboxEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers committed settlement batches from the outbox to the ledger, oldest round first.
 * A batch is marked settled only after the ledger confirmed it; the ledger is idempotent on the
 * batch id, so a crash anywhere in between ends with the batch settled exactly once after the
 * next run.
 */
public final class SettlementOutbox {
  private static final Logger LOG = LoggerFactory.getLogger(SettlementOutbox.class);

  /** What one pass did. */
  public record Pass(int settled, int pending, String lastError) {}

  private final MarketStore store;
  private final Ledger ledger;
  private final Clock clock;
  private volatile java.util.function.BiConsumer<OutboxEntry, Long> settledListener = (e, at) -> { };

  public SettlementOutbox(MarketStore store, Ledger ledger, Clock clock) {
    this.store = store;
    this.ledger = ledger;
    this.clock = clock;
  }

  /** Called with each batch this outbox settles and the settling time (epoch ms), e.g. for metrics. */
  public void onSettled(java.util.function.BiConsumer<OutboxEntry, Long> listener) {
    this.settledListener = listener;
  }

  /**
   * Tries every pending batch once, in round order; stops at the first one the ledger could not
   * take so later rounds never settle before earlier ones.
   */
  public synchronized Pass settlePending() {
    int settled = 0;
    var pending = store.pendingBatches();
    for (int i = 0; i < pending.size(); i++) {
      OutboxEntry e = pending.get(i);
      SettlementBatch batch = RecordCodec.batchFromJson(e.payloadJson());
      try {
        SettlementReceipt r = ledger.settle(batch);
        long now = clock.millis();
        store.markSettled(e.batchId(), r.txId(), r.blockNumber(), now);
        settled++;
        settledListener.accept(e, now);
        if (r.alreadySettled()) {
          LOG.info("batch {} (round {}) was already on the ledger; marked settled", e.batchId(), e.round());
        }
      } catch (LedgerRejectedException ex) {
        // A refused batch is a bug or tampering, not a transient fault: keep it pending, loudly.
        String msg = "ledger rejected batch " + e.batchId() + " (" + ex.reason() + "): " + ex.getMessage();
        LOG.error(msg);
        store.recordAttemptFailure(e.batchId(), msg);
        return new Pass(settled, pending.size() - i, msg);
      } catch (LedgerException ex) {
        String msg = "ledger unavailable for batch " + e.batchId() + ": " + ex.getMessage();
        LOG.warn(msg);
        store.recordAttemptFailure(e.batchId(), msg);
        return new Pass(settled, pending.size() - i, msg);
      }
    }
    return new Pass(settled, 0, null);
  }
}
