package org.cnemarket.engine.market;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.cnemarket.engine.store.MarketStore;
import org.cnemarket.engine.store.Orders.IntakeOrder;
import org.cnemarket.engine.store.Orders.IntakeRefusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for accepted orders. Callers check an order's signature and role on their own thread
 * (in parallel), then hand it here; one writer thread takes every order waiting at that moment and
 * records them in one database transaction, checked in arrival order for nonce, slot and funds. A
 * caller's answer comes only after that transaction committed, so an acknowledged order is on disk,
 * and one commit is shared by as many orders as arrived meanwhile.
 */
final class OrderIntake implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OrderIntake.class);

  /**
   * Most orders per transaction: bounds a group's latency and its memory. Orders are keyed by
   * hashes, so a group's index entries land all over their indexes and its commit rewrites every
   * page it touched: 8,192 orders a group cost the writer a quarter less per order than 2,048.
   */
  static final int MAX_GROUP = 8192;

  /** Most orders waiting for the writer (about 1 KB each). */
  static final int MAX_WAITING = 131_072;

  /**
   * One caller's orders: their answers, and one completion when the last of them is recorded, so a
   * caller of many orders is woken once rather than once per order.
   */
  private static final class Ticket {
    final IntakeRefusal[] answers;
    final AtomicInteger left;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    Ticket(int size) {
      answers = new IntakeRefusal[size];
      left = new AtomicInteger(size);
    }

    /** Counts {@code n} orders as answered (or never queued); completes at the last. */
    void settled(int n) {
      if (left.addAndGet(-n) == 0) {
        done.complete(null);
      }
    }
  }

  private record Waiting(IntakeOrder order, Ticket ticket, int index) {}

  private final MarketStore store;
  private final Object marketLock;
  private final Clock clock;
  private final IntConsumer afterCommit;
  private final BlockingQueue<Waiting> queue;
  private final long offerMillis;
  private final Thread writer;
  private volatile boolean running = true;
  private volatile boolean recording;

  /**
   * @param marketLock held while a group is recorded, so a round closes between groups, never
   *     inside one
   * @param afterCommit runs after each committed group, with its count of orders (wakes the ledger
   *     feed)
   */
  OrderIntake(MarketStore store, Object marketLock, Clock clock, IntConsumer afterCommit) {
    this(store, marketLock, clock, afterCommit, MAX_WAITING, 5_000);
  }

  /**
   * @param capacity most orders waiting for the writer
   * @param offerMillis how long a caller waits for room before its remaining orders are refused
   */
  OrderIntake(
      MarketStore store,
      Object marketLock,
      Clock clock,
      IntConsumer afterCommit,
      int capacity,
      long offerMillis) {
    this.queue = new LinkedBlockingQueue<>(capacity);
    this.offerMillis = offerMillis;
    this.store = store;
    this.marketLock = marketLock;
    this.clock = clock;
    this.afterCommit = afterCommit;
    this.writer = new Thread(this::run, "order-intake");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  /**
   * Records one order; returns null when accepted, the refusal otherwise. Blocks until committed.
   */
  IntakeRefusal record(IntakeOrder order) {
    return recordAll(List.of(order)).get(0);
  }

  /**
   * Records orders in the given order, sharing group commits; returns each one's answer (null when
   * accepted). Blocks until all are committed.
   */
  List<IntakeRefusal> recordAll(List<IntakeOrder> orders) {
    if (orders.isEmpty()) {
      return List.of();
    }
    Ticket ticket = new Ticket(orders.size());
    try {
      for (int i = 0; i < orders.size(); i++) {
        if (!running
            || !queue.offer(
                new Waiting(orders.get(i), ticket, i), offerMillis, TimeUnit.MILLISECONDS)) {
          // Those already queued are still recorded: wait for them, so no write is in flight.
          ticket.settled(orders.size() - i);
          ticket.done.exceptionally(e -> null).join();
          throw new Refusal(
              Refusal.Reason.INTAKE_BUSY,
              "the order intake is full or stopping; "
                  + i
                  + " order(s) before this one were recorded; retry the rest");
        }
      }
      ticket.done.join();
      return Arrays.asList(ticket.answers);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Refusal(Refusal.Reason.INTAKE_BUSY, "interrupted while waiting for the intake");
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  private void run() {
    List<Waiting> group = new ArrayList<>(MAX_GROUP);
    while (running || !queue.isEmpty()) {
      try {
        Waiting first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        recording = true;
        group.add(first);
        queue.drainTo(group, MAX_GROUP - 1);
        List<IntakeOrder> orders = new ArrayList<>(group.size());
        for (Waiting w : group) {
          orders.add(w.order());
        }
        List<IntakeRefusal> answers;
        try {
          synchronized (marketLock) {
            answers = store.orders().accept(orders, clock.millis());
          }
        } catch (RuntimeException e) {
          LOG.error("recording {} order(s) failed", group.size(), e);
          group.forEach(w -> w.ticket().done.completeExceptionally(e));
          group.clear();
          recording = false;
          continue;
        }
        for (int i = 0; i < group.size(); i++) {
          Waiting w = group.get(i);
          w.ticket().answers[w.index()] = answers.get(i);
          w.ticket().settled(1);
        }
        int recorded = group.size();
        group.clear();
        recording = false;
        afterCommit.accept(recorded);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Orders waiting for the writer. */
  int waiting() {
    return queue.size();
  }

  /** Whether orders are waiting or a group is being recorded. */
  boolean busy() {
    return recording || !queue.isEmpty();
  }

  /** Stops taking orders; orders already waiting are still recorded. */
  @Override
  public void close() {
    running = false;
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
