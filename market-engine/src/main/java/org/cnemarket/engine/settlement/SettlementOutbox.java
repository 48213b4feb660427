package org.cnemarket.engine.settlement;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.ledger.LedgerReason;
import org.cnemarket.engine.ledger.LedgerRejectedException;
import org.cnemarket.engine.ledger.OrderAcceptance;
import org.cnemarket.engine.ledger.SettlementReceipt;
import org.cnemarket.engine.store.BatchStatus;
import org.cnemarket.engine.store.Deposits.PendingDeposit;
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
 * <p>Once the due batches are read, every record the engine holds for the ledger (registrations,
 * deposits, orders) is taken onto it, since a batch may only fill orders the ledger accepted. When
 * the ledger answers that a batch fills an order it does not hold ({@code UNKNOWN_ORDER}: a node
 * restored from an older state lost it), the batch's missing orders are taken onto it again from
 * the engine's signed copies and the batch is settled in the same pass. A batch the ledger still
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
  private volatile SettledListener settledListener = (e, batch, receipt, at) -> {};

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

  /** Told of each batch settled: its outbox entry, the batch as parsed, the ledger's receipt. */
  public interface SettledListener {
    void settled(
        OutboxEntry entry, SettlementBatch batch, SettlementReceipt receipt, long atMillis);
  }

  /**
   * Called with each batch this outbox settles and the settling time (epoch ms), e.g. for metrics.
   */
  public void onSettled(SettledListener listener) {
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
    int settled = 0;
    String lastError = null;
    Set<String> repairedThisPass = new HashSet<>();
    long readNanos = System.nanoTime();
    List<OutboxEntry> due = store.outbox().due(clock.millis());
    readNanos = System.nanoTime() - readNanos;
    // A batch is committed after its orders were recorded, so a flush that starts after the due
    // batches were read takes every order they fill onto the ledger. (A flush started before
    // could miss orders of a round closed meanwhile, and the ledger would not know them yet.)
    // With nothing due the feed keeps its own pace (LedgerFeed.start).
    long flushNanos = System.nanoTime();
    String unavailable = due.isEmpty() ? null : flushForSettlement();
    flushNanos = System.nanoTime() - flushNanos;
    if (unavailable != null) {
      return new Pass(
          0,
          (int) store.outbox().pendingCount(),
          (int) store.outbox().setAsideCount(),
          unavailable);
    }
    for (int i = 0; i < due.size(); i++) {
      OutboxEntry e = due.get(i);
      long parseNanos = System.nanoTime();
      SettlementBatch batch = RecordCodec.batchFromJson(e.payloadJson());
      parseNanos = System.nanoTime() - parseNanos;
      try {
        // The stored payload is the batch's canonical JSON: a ledger that hashes it reads it as is.
        long startNanos = System.nanoTime();
        SettlementReceipt r = ledger.settle(batch, e.payloadJson());
        long ledgerNanos = System.nanoTime();
        long now = clock.millis();
        store.outbox().markSettled(batch, r.txId(), r.blockNumber(), now);
        settled++;
        settledListener.settled(e, batch, r, now);
        LOG.info(
            "batch {} (round {}) settled: {} trades, {} orders; read {} ms, records to the ledger"
                + " first {} ms, ledger {} ms, engine {} ms",
            e.batchId(),
            e.round(),
            batch.trades().size(),
            batch.orders().size(),
            (readNanos + parseNanos) / 1_000_000,
            flushNanos / 1_000_000,
            (ledgerNanos - startNanos) / 1_000_000,
            (System.nanoTime() - ledgerNanos) / 1_000_000);
        flushNanos = 0;
        readNanos = 0;
        if (r.alreadySettled()) {
          LOG.info(
              "batch {} (round {}) was already on the ledger; marked settled",
              e.batchId(),
              e.round());
        }
      } catch (LedgerRejectedException ex) {
        String refusal =
            "ledger refused batch "
                + e.batchId()
                + " of round "
                + e.round()
                + " ("
                + ex.reason()
                + "): "
                + ex.getMessage();
        String reason = ex.reason() + ": " + ex.getMessage();
        String firstReason = reason;
        if (ex.reason() == LedgerReason.UNKNOWN_ORDER && repairedThisPass.add(e.batchId())) {
          // The ledger does not hold an order the engine took onto it (a node restored from an
          // older state lost it): take the engine's signed copy (and its trader's registration
          // and deposits) onto the ledger again, then settle the same batch again. The batch stays
          // in the line meanwhile, so a crash here leaves it to the next pass.
          LOG.warn("{}; taking its orders onto the ledger again", refusal);
          try {
            List<String> refused = retakeMissing(batch).refused();
            if (refused.isEmpty()) {
              i--;
              continue;
            }
            reason += "; the ledger refused to take again " + String.join("; ", refused);
          } catch (LedgerRejectedException retake) {
            reason += "; taking its orders again was refused: " + retake.getMessage();
          } catch (LedgerException retake) {
            lastError = deferred(e, retake);
            break;
          }
        }
        // A refusal is not transient: retrying the same batch cannot help. Set it aside, loudly,
        // and let the rounds after it settle; the operator re-plans it (replan).
        lastError = refusal + reason.substring(firstReason.length());
        store.outbox().setAside(e.batchId(), reason, clock.millis());
        LOG.error("{}; set aside until re-planned", lastError);
      } catch (LedgerException ex) {
        lastError = deferred(e, ex);
        break;
      }
    }
    return new Pass(
        settled,
        (int) store.outbox().pendingCount(),
        (int) store.outbox().setAsideCount(),
        lastError);
  }

  /** Puts a batch back for a later try (exponential backoff) when the ledger is unreachable. */
  private String deferred(OutboxEntry e, LedgerException ex) {
    String error = "ledger unavailable for batch " + e.batchId() + ": " + ex.getMessage();
    long backoff = Math.min(MAX_BACKOFF_MILLIS, 500L << Math.min(16, e.attempts()));
    LOG.warn("{}; next try in {} ms", error, backoff);
    store.outbox().recordAttemptFailure(e.batchId(), error, clock.millis() + backoff);
    return error;
  }

  /** Flushes the ledger feed; answers null, or what to report when the ledger is unreachable. */
  private String flushForSettlement() {
    try {
      feed.flush();
      return null;
    } catch (LedgerException e) {
      String msg = "ledger unavailable for pending records: " + e.getMessage();
      LOG.warn(msg);
      return msg;
    }
  }

  /**
   * Takes onto the ledger again what {@code batch} needs and the ledger does not hold: for every
   * order the ledger does not know, its trader's registration (if the ledger lost it) and the
   * trader's deposits (idempotent on their ids, so those it holds change nothing), then the signed
   * orders themselves.
   */
  private Retake retakeMissing(SettlementBatch batch) throws LedgerException {
    feed.flush();
    List<SignedOrder> missing = new ArrayList<>();
    for (SignedOrder so : batch.orders()) {
      if (!ledger.orderAccepted(so.id(domain))) {
        missing.add(so);
      }
    }
    if (missing.isEmpty()) {
      return new Retake(0, List.of());
    }
    Set<String> traders = new LinkedHashSet<>();
    missing.forEach(so -> traders.add(so.order().trader().toLowerCase(Locale.ROOT)));
    for (String trader : traders) {
      if (ledger.participant(trader).isEmpty()) {
        Optional<String> json = store.participants().registrationJson(trader);
        if (json.isPresent()) {
          LOG.warn("the ledger lost the registration of {}; registering it again", trader);
          ledger.register(RecordCodec.registrationFromJson(json.get()));
        }
      }
      for (PendingDeposit d : store.deposits().onLedger(trader)) {
        ledger.deposit(d.depositId(), d.account(), d.amountMicros());
      }
    }
    List<OrderAcceptance> answers = ledger.acceptOrders(missing);
    List<String> refused = new ArrayList<>();
    for (int i = 0; i < answers.size(); i++) {
      if (!answers.get(i).onLedger()) {
        String why =
            "order "
                + missing.get(i).id(domain)
                + " ("
                + answers.get(i).reason()
                + "): "
                + answers.get(i).message();
        LOG.error("the ledger refused to take again {}", why);
        refused.add(why);
      }
    }
    LOG.warn(
        "took {} order(s) of round {} onto the ledger again ({} refused)",
        missing.size() - refused.size(),
        batch.round(),
        refused.size());
    return new Retake(missing.size() - refused.size(), refused);
  }

  /** Orders a repair took onto the ledger again, and those the ledger refused (with reasons). */
  private record Retake(int taken, List<String> refused) {}

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
    Retake retake = retakeMissing(RecordCodec.batchFromJson(e.payloadJson()));
    boolean requeued = store.outbox().requeue(batchId, e.payloadJson());
    LOG.info(
        "batch {} of round {} re-planned: {} order(s) taken onto the ledger again, back in the line",
        batchId,
        e.round(),
        retake.taken());
    return new Replan(batchId, e.round(), retake.taken(), requeued);
  }
}
