package org.cnemarket.engine.settlement;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.ledger.LedgerRejectedException;
import org.cnemarket.engine.ledger.OrderAcceptance;
import org.cnemarket.engine.store.Deposits.PendingDeposit;
import org.cnemarket.engine.store.MarketStore;
import org.cnemarket.engine.store.Orders.PendingOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes what the engine recorded onto the ledger: registrations, then deposits, then orders in
 * batches of one ledger transaction each. The engine records first and the ledger follows, so the
 * ledger never holds what the engine does not know; every ledger call is idempotent on its id, so
 * taking a record again after a crash (or a timeout) is safe. A record the ledger refuses is undone
 * in the engine (an order's escrow is released) and logged: the engine checks the same rules before
 * it records, so a refusal means the two disagreed and the operator is told.
 */
public final class LedgerFeed {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerFeed.class);

  /** What a flush did: records taken onto the ledger and records the ledger refused. */
  public record Flush(long taken, long refused) {}

  /**
   * How long the intake must pause before the background thread takes orders onto the ledger: while
   * groups keep committing, the cores check signatures and record orders instead.
   */
  static final long QUIET_NANOS = 20_000_000L;

  private final MarketStore store;
  private final Ledger ledger;
  private final Object signal = new Object();
  // Guarded by signal: a wake-up is waiting, since when, and the latest one.
  private boolean woken;
  private long firstWakeNanos;
  private long lastWakeNanos;
  private long waitingOrders;
  private volatile Thread runner;
  private volatile BooleanSupplier busy = () -> false;

  public LedgerFeed(MarketStore store, Ledger ledger) {
    this.store = store;
    this.ledger = ledger;
  }

  /**
   * Starts a background thread that flushes after {@link #wake()} is called (coalescing wake-ups
   * that arrive during a flush) and at least every {@code idleMillis}; while the ledger is
   * unreachable it retries with exponential backoff up to 30 s. A wake-up is served once the intake
   * has been idle for 20 ms ({@link #deferWhile}: between bursts) or, under continuous intake, once
   * the first one waiting has waited {@code maxLagMillis}: the ledger then trails the acknowledged
   * orders by at most that, plus one flush. Settlement and the audit flush at once ({@link
   * #flush()}).
   */
  public void start(long idleMillis, long maxLagMillis) {
    long maxLagNanos = Math.multiplyExact(maxLagMillis, 1_000_000L);
    Thread t = new Thread(() -> loop(idleMillis, maxLagNanos), "ledger-feed");
    t.setDaemon(true);
    runner = t;
    t.start();
  }

  /** What keeps the intake busy: the background thread waits while it says so (up to the lag). */
  public void deferWhile(BooleanSupplier intakeBusy) {
    this.busy = intakeBusy;
  }

  /** Asks the background thread for a flush soon. */
  public void wake() {
    wake(0);
  }

  /** Asks for a flush soon after {@code orders} more were acknowledged (a committed group). */
  public void wake(int orders) {
    synchronized (signal) {
      waitingOrders += orders;
      long now = System.nanoTime();
      if (!woken) {
        firstWakeNanos = now;
      }
      lastWakeNanos = now;
      woken = true;
      signal.notifyAll();
    }
  }

  /**
   * Stops the background thread: an idle thread at once, a flush in progress once the ledger call
   * under way returns (what it has not taken yet waits for the next start). The thread is woken,
   * not interrupted: an interrupt that lands in the middle of the engine database's file I/O closes
   * the database's file channel, which leaves the store unusable for the rest of the shutdown.
   */
  public void stop() {
    Thread t = runner;
    runner = null;
    if (t != null) {
      wake();
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void loop(long idleMillis, long maxLagNanos) {
    long backoff = 0;
    while (runner == Thread.currentThread()) {
      try {
        synchronized (signal) {
          long wait = backoff > 0 ? backoff : idleMillis;
          if (!woken || backoff > 0) {
            signal.wait(wait);
          }
          while (woken && backoff == 0 && runner == Thread.currentThread()) {
            long now = System.nanoTime();
            // A whole pass waiting is taken at once, so the ledger never trails by more.
            long untilDue =
                waitingOrders >= ledger.ordersPerFeedPass()
                    ? 0
                    : firstWakeNanos + maxLagNanos - now;
            long untilQuiet = busy.getAsBoolean() ? QUIET_NANOS : lastWakeNanos + QUIET_NANOS - now;
            long left = Math.min(untilQuiet, untilDue);
            if (left <= 0) {
              break;
            }
            signal.wait(Math.max(1, left / 1_000_000));
          }
          woken = false;
          waitingOrders = 0;
        }
      } catch (InterruptedException e) {
        return;
      }
      if (runner != Thread.currentThread()) {
        return;
      }
      try {
        flushUnlessStopped();
        backoff = 0;
      } catch (LedgerException e) {
        backoff = backoff == 0 ? 250 : Math.min(30_000, backoff * 2);
        LOG.warn(
            "ledger unavailable for pending records; retrying in {} ms: {}",
            backoff,
            e.getMessage());
      } catch (RuntimeException e) {
        backoff = backoff == 0 ? 250 : Math.min(30_000, backoff * 2);
        LOG.error("taking pending records onto the ledger failed; retrying in {} ms", backoff, e);
      }
    }
  }

  /**
   * Takes every record pending when the call starts onto the ledger (orders recorded meanwhile wait
   * for the next flush, so one flush is bounded even under sustained intake and never keeps
   * settlement waiting for long). Throws when the ledger cannot be reached; what was taken before
   * stays taken, the rest waits for the next flush.
   */
  public synchronized Flush flush() throws LedgerException {
    return flush(false);
  }

  /** The background thread's flush: ends early, between ledger calls, once the feed is stopped. */
  private synchronized Flush flushUnlessStopped() throws LedgerException {
    return flush(true);
  }

  private Flush flush(boolean untilStopped) throws LedgerException {
    Thread self = Thread.currentThread();
    long upToSeq = store.orders().lastPendingSeq();
    long taken = 0;
    long refused = 0;
    for (String json : store.participants().pendingRegistrations()) {
      var reg = RecordCodec.registrationFromJson(json);
      try {
        ledger.register(reg);
        store.participants().markOnLedger(reg.account());
        taken++;
      } catch (LedgerRejectedException e) {
        LOG.error(
            "the ledger refused the registration of {} ({}): {}",
            reg.account(),
            e.reason(),
            e.getMessage());
        store.participants().removeRefused(reg.account());
        refused++;
      }
    }
    for (PendingDeposit d : store.deposits().pending()) {
      try {
        ledger.deposit(d.depositId(), d.account(), d.amountMicros());
        store.deposits().markOnLedger(d.depositId());
        taken++;
      } catch (LedgerRejectedException e) {
        LOG.error(
            "the ledger refused deposit {} ({}): {}", d.depositId(), e.reason(), e.getMessage());
        store.deposits().refuse(d.depositId());
        refused++;
      }
    }
    while (!untilStopped || runner == self) {
      List<PendingOrder> pending = store.orders().pending(upToSeq, ledger.ordersPerFeedPass());
      if (pending.isEmpty()) {
        break;
      }
      List<OrderAcceptance> answers =
          ledger.acceptOrders(pending.stream().map(PendingOrder::signed).toList());
      Map<String, String> refusedOrders = new HashMap<>();
      for (int i = 0; i < pending.size(); i++) {
        OrderAcceptance a = answers.get(i);
        if (!a.onLedger()) {
          String why = a.reason() + ": " + a.message();
          LOG.error("the ledger refused order {}: {}", pending.get(i).orderId(), why);
          refusedOrders.put(pending.get(i).orderId(), why);
        }
      }
      store.orders().recordOnLedger(pending.get(pending.size() - 1).seq(), refusedOrders);
      taken += pending.size() - refusedOrders.size();
      refused += refusedOrders.size();
    }
    return new Flush(taken, refused);
  }
}
