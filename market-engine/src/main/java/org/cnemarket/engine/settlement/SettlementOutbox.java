package org.cnemarket.engine.settlement;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.ledger.LedgerRejectedException;
import org.cnemarket.engine.ledger.OrderAcceptance;
import org.cnemarket.engine.ledger.SettlementReceipt;
import org.cnemarket.engine.store.BatchStatus;
import org.cnemarket.engine.store.MarketStore;
import org.cnemarket.engine.store.OutboxEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers committed settlement batches from the outbox to the ledger, oldest round first. A batch
 * is marked settled (and its credit movements applied to the engine's account view) only after the
 * ledger confirmed it; the ledger is idempotent on the batch id, so a crash anywhere in between
 * ends with the batch settled exactly once after the next run.
 *
 * <p>Before a pass, every record the engine holds for the ledger (registrations, deposits, orders)
 * is taken onto it, since a batch may only fill orders the ledger accepted. A batch the ledger
 * refuses is set aside with its reason and the line goes on; an unreachable ledger stops the pass
 * and the batch is tried again after an exponential backoff.
 */
public final class SettlementOutbox {
  private static final Logger LOG = LoggerFactory.getLogger(SettlementOutbox.class);
  private static final long MAX_BACKOFF_MILLIS = 60_000;

  /** What one pass did. */
  public record Pass(int settled, int pending, int setAside, String lastError) {}

  private final MarketStore store;
  private final Ledger ledger;
  private final LedgerFeed feed;
  private final Eip712.Domain domain;
  private final Clock clock;
  private final ReentrantLock passLock = new ReentrantLock();
  private volatile BiConsumer<OutboxEntry, Long> settledListener = (e, at) -> {};

  public SettlementOutbox(
      MarketStore store, Ledger ledger, LedgerFeed feed, Eip712.Domain domain, Clock clock) {
    this.store = store;
    this.ledger = ledger;
    this.feed = feed;
    this.domain = domain;
    this.clock = clock;
  }

  public LedgerFeed feed() {
    return feed;
  }

  /**
   * Called with each batch this outbox settles and the settling time (epoch ms), e.g. for metrics.
   */
  public void onSettled(BiConsumer<OutboxEntry, Long> listener) {
    this.settledListener = listener;
  }

  /**
   * Runs a pass unless one is running already (then returns null at once: the running pass, or the
   * next one, settles what this one would have). For request threads that must not wait.
   */
  public Pass settlePendingIfIdle() {
    if (!passLock.tryLock()) {
      return null;
    }
    try {
      return settlePending();
    } finally {
      passLock.unlock();
    }
  }

  /** Tries every due batch once, in round order. */
  public Pass settlePending() {
    passLock.lock();
    try {
      return pass();
    } finally {
      passLock.unlock();
    }
  }

  private Pass pass() {
    try {
      feed.flush();
    } catch (LedgerException e) {
      String msg = "ledger unavailable for pending records: " + e.getMessage();
      LOG.warn(msg);
      return new Pass(
          0, (int) store.outbox().pendingCount(), (int) store.outbox().setAsideCount(), msg);
    }
    int settled = 0;
    String lastError = null;
    Set<String> replannedThisPass = new HashSet<>();
    List<OutboxEntry> due = store.outbox().due(clock.millis());
    for (int i = 0; i < due.size(); i++) {
      OutboxEntry e = due.get(i);
      SettlementBatch batch = RecordCodec.batchFromJson(e.payloadJson());
      try {
        SettlementReceipt r = ledger.settle(batch);
        long now = clock.millis();
        store.outbox().markSettled(batch, r.txId(), r.blockNumber(), now);
        settled++;
        settledListener.accept(e, now);
        if (r.alreadySettled()) {
          LOG.info(
              "batch {} (round {}) was already on the ledger; marked settled",
              e.batchId(),
              e.round());
        }
      } catch (LedgerRejectedException ex) {
        // A refusal is not transient: retrying the same batch cannot help. Set it aside, loudly,
        // and let the rounds after it settle; the operator re-plans it (replan).
        lastError =
            "ledger refused batch "
                + e.batchId()
                + " of round "
                + e.round()
                + " ("
                + ex.reason()
                + "): "
                + ex.getMessage();
        store.outbox().setAside(e.batchId(), ex.reason() + ": " + ex.getMessage(), clock.millis());
        if ("NOT_FOUND".equals(ex.reason()) && replannedThisPass.add(e.batchId())) {
          // The ledger lost a record the engine saw it take (a node restored from an older
          // snapshot): re-plan once from the engine's signed orders and settle it again now.
          LOG.warn("{}; re-planning it from the engine's records", lastError);
          try {
            replanLocked(e.batchId());
            due = store.outbox().due(clock.millis());
            i = -1;
            lastError = null;
            continue;
          } catch (LedgerException | RuntimeException retake) {
            lastError = lastError + "; re-planning failed: " + retake.getMessage();
          }
        }
        LOG.error("{}; set aside until re-planned", lastError);
      } catch (LedgerException ex) {
        lastError = "ledger unavailable for batch " + e.batchId() + ": " + ex.getMessage();
        long backoff = Math.min(MAX_BACKOFF_MILLIS, 500L << Math.min(16, e.attempts()));
        LOG.warn("{}; next try in {} ms", lastError, backoff);
        store.outbox().recordAttemptFailure(e.batchId(), lastError, clock.millis() + backoff);
        break;
      }
    }
    return new Pass(
        settled,
        (int) store.outbox().pendingCount(),
        (int) store.outbox().setAsideCount(),
        lastError);
  }

  /** What a re-plan did. */
  public record Replan(String batchId, long round, int ordersRetaken, boolean requeued) {}

  /**
   * Re-plans a set-aside batch from what the ledger holds: takes every pending record onto the
   * ledger, then each order the batch fills that the ledger does not hold (the engine keeps every
   * signed order), and puts the batch back in the line. If the ledger refuses it again it is set
   * aside again with the new reason.
   */
  public Replan replan(String batchId) throws LedgerException {
    passLock.lock();
    try {
      return replanLocked(batchId);
    } finally {
      passLock.unlock();
    }
  }

  private Replan replanLocked(String batchId) throws LedgerException {
    OutboxEntry e =
        store
            .outbox()
            .get(batchId)
            .orElseThrow(() -> new IllegalArgumentException("no batch " + batchId));
    if (e.status() != BatchStatus.SET_ASIDE) {
      throw new IllegalStateException("batch " + batchId + " is " + e.status() + ", not set aside");
    }
    feed.flush();
    SettlementBatch batch = RecordCodec.batchFromJson(e.payloadJson());
    List<SignedOrder> missing = new ArrayList<>();
    for (SignedOrder so : batch.orders()) {
      String id = so.id(domain);
      if (!ledger.orderAccepted(id)) {
        missing.add(so);
      }
    }
    if (!missing.isEmpty()) {
      List<OrderAcceptance> answers = ledger.acceptOrders(missing);
      for (int i = 0; i < answers.size(); i++) {
        if (!answers.get(i).onLedger()) {
          // The batch is refused again for this order; say why the ledger would not take it.
          LOG.error(
              "re-plan of batch {}: the ledger refused order {} again ({}): {}",
              batchId,
              missing.get(i).id(domain),
              answers.get(i).reason(),
              answers.get(i).message());
        }
      }
    }
    boolean requeued = store.outbox().requeue(batchId, e.payloadJson());
    LOG.info(
        "batch {} of round {} re-planned: {} order(s) taken onto the ledger again, back in the line",
        batchId,
        e.round(),
        missing.size());
    return new Replan(batchId, e.round(), missing.size(), requeued);
  }
}
