package org.cnemarket.tests.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.cnemarket.core.client.MarketClient;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.Units;
import org.cnemarket.tests.chaos.History.Deposit;
import org.cnemarket.tests.chaos.History.OrderSent;
import org.cnemarket.tests.chaos.History.Outcome;
import org.cnemarket.tests.chaos.History.RoundClosed;
import org.cnemarket.tests.chaos.History.Trader;

/**
 * What must hold after a restart, checked over the REST API with the operator's token (which reads
 * everything) against the {@link History}: every acknowledged write is there, nothing refused is,
 * every closed round settles on its own within a bounded wait, exactly once, with the ledger
 * holding the engine's root, and credits are conserved per account, both as the engine's audit
 * reports it and as computed here from balances, orders and trades. Outcomes left unknown by a kill
 * are resolved here (deposits by sending them again, which is safe: a deposit is idempotent on its
 * id). Returns every violation found, not only the first.
 */
final class StateCheck {
  private static final int PAGE = 500;

  private final MarketClient operator;
  private final Eip712.Domain domain;
  private final History history;
  private final Duration settleTimeout;
  private final AtomicLong nextSlot;
  private final List<String> violations = new ArrayList<>();

  /** Where violations go: {@link #violations}, or one attempt's list while a check is retried. */
  private List<String> sink = violations;

  /**
   * Rounds (and their slots) still not settled after the wait: their trades have not moved credits
   * yet.
   */
  private final Set<Long> unsettledRounds = new HashSet<>();

  private final Set<Long> unsettledSlots = new HashSet<>();

  /** What the check saw, for the test's log. */
  record Seen(long participants, long orders, long rounds, long trades, long settleMillis) {}

  private Seen seen;

  StateCheck(
      MarketClient operator,
      Eip712.Domain domain,
      History history,
      Duration settleTimeout,
      AtomicLong nextSlot) {
    this.operator = operator;
    this.domain = domain;
    this.history = history;
    this.settleTimeout = settleTimeout;
    this.nextSlot = nextSlot;
  }

  List<String> violations() {
    return violations;
  }

  Seen seen() {
    return seen;
  }

  /** Runs every check after restart number {@code cycle}; see {@link #violations()}. */
  StateCheck run(int cycle) throws InterruptedException {
    Fields market = get("/v1/market");
    if (market == null) {
      return this;
    }
    long lastRound = market.longValue("lastRound", 0);
    if (market.has("lastClosedSlot")) {
      nextSlot.set(market.longValue("lastClosedSlot") + 1);
    }
    checkParticipants();
    resolveDeposits(cycle);
    TreeMap<Long, Fields> rounds = checkRounds(lastRound);
    long settleMillis = awaitSettled();
    checkBatches(rounds);
    List<Fields> trades = checkTrades(rounds);
    Map<String, List<Fields>> orders =
        checkOrders(market.has("lastClosedSlot") ? market.longValue("lastClosedSlot") : -1, trades);
    checkConservationEventually(trades, orders);
    seen =
        new Seen(
            history.presentTraders().size(),
            orders.values().stream().mapToLong(List::size).sum(),
            rounds.size(),
            trades.size(),
            settleMillis);
    return this;
  }

  // ---- participants and deposits ----

  private void checkParticipants() {
    for (Trader t : history.traders()) {
      Reply r = Reply.of(() -> operator.get("/v1/participants/" + t.address()));
      boolean present;
      if (r.ok()) {
        present = true;
        if (!r.body().string("role").equals(t.role.name())) {
          violation(
              "participant "
                  + t.address()
                  + " registered as "
                  + t.role
                  + " is now a "
                  + r.body().string("role"));
        }
      } else if (r.status() == 404) {
        present = false;
      } else {
        violation(
            "GET /v1/participants/" + t.address() + " answered " + r.status() + " " + r.detail());
        continue;
      }
      if (t.registration == Outcome.ACKED && !present) {
        violation(
            "registration of "
                + t.address()
                + " as "
                + t.role
                + " "
                + history.describe(t.heard)
                + " is missing");
      }
      if (t.registration == Outcome.REFUSED && present) {
        violation(
            "registration of "
                + t.address()
                + " as "
                + t.role
                + " "
                + history.describe(t.heard)
                + " is present");
      }
      if (t.registration == Outcome.UNKNOWN) {
        t.present = present;
      }
    }
  }

  private void resolveDeposits(int cycle) {
    for (Deposit d : history.deposits()) {
      if (d.outcome != Outcome.UNKNOWN) {
        continue;
      }
      String before = history.describe(d.heard);
      Reply r = Workload.sendDeposit(d, operator, history, cycle);
      if (r.outcome() == Outcome.UNKNOWN) {
        violation(
            "deposit "
                + d.depositId
                + " ("
                + before
                + ") sent again after the restart: answered "
                + r.status()
                + " "
                + r.detail());
      }
    }
  }

  // ---- rounds, batches, trades ----

  private TreeMap<Long, Fields> checkRounds(long lastRound) {
    TreeMap<Long, Fields> byRound = new TreeMap<>();
    for (Fields f : all("/v1/rounds?")) {
      long n = f.longValue("round");
      if (byRound.put(n, f) != null) {
        violation("round " + n + " is listed twice");
      }
    }
    if (byRound.size() != lastRound || (!byRound.isEmpty() && byRound.lastKey() != lastRound)) {
      violation("the market reports " + lastRound + " rounds but lists " + byRound.keySet());
    }
    long previousSlot = -1;
    Set<String> batchIds = new HashSet<>();
    for (Fields f : byRound.values()) {
      if (f.longValue("slot") <= previousSlot) {
        violation(
            "round "
                + f.longValue("round")
                + " closes slot "
                + f.longValue("slot")
                + ", not after slot "
                + previousSlot);
      }
      previousSlot = f.longValue("slot");
      if (!batchIds.add(f.string("batchId"))) {
        violation("batch " + f.string("batchId") + " belongs to two rounds");
      }
    }
    for (RoundClosed c : history.rounds()) {
      if (c.outcome() == Outcome.ACKED) {
        Fields f = byRound.get(c.round());
        if (f == null) {
          violation(
              "round "
                  + c.round()
                  + " (slot "
                  + c.slot()
                  + ") "
                  + history.describe(c.heard())
                  + " is missing");
        } else if (f.longValue("slot") != c.slot()
            || !f.string("batchId").equals(c.batchId())
            || f.longValue("trades") != c.trades()) {
          violation(
              "round "
                  + c.round()
                  + " "
                  + history.describe(c.heard())
                  + " was slot "
                  + c.slot()
                  + ", batch "
                  + c.batchId()
                  + ", "
                  + c.trades()
                  + " trades; now slot "
                  + f.longValue("slot")
                  + ", batch "
                  + f.string("batchId")
                  + ", "
                  + f.longValue("trades")
                  + " trades");
        }
      } else if (c.outcome() == Outcome.REFUSED) {
        byRound.values().stream()
            .filter(f -> f.longValue("slot") == c.slot() && c.heard().status() != 409)
            .forEach(
                f ->
                    violation(
                        "round close of slot "
                            + c.slot()
                            + " "
                            + history.describe(c.heard())
                            + " is present as round "
                            + f.longValue("round")));
      }
    }
    return byRound;
  }

  /**
   * Waits, without any operator action, until every round's batch is settled; a round still pending
   * at the deadline is stuck. Returns how long it took.
   */
  private long awaitSettled() throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + settleTimeout.toNanos();
    List<Fields> pending;
    Fields ready;
    while (true) {
      pending =
          all("/v1/rounds?").stream()
              .filter(f -> !"SETTLED".equals(f.string("settlement", "")))
              .toList();
      ready = readyOrNull();
      boolean intakeDrained = ready == null || ready.longValue("ordersPendingLedger", 0) == 0;
      // A batch the ledger refused and set aside waits for the operator: no use waiting for it.
      boolean waitable =
          pending.stream().anyMatch(f -> !"SET_ASIDE".equals(f.string("settlement", "")));
      if ((!waitable && intakeDrained) || System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(250);
    }
    for (Fields f : pending) {
      unsettledRounds.add(f.longValue("round"));
      unsettledSlots.add(f.longValue("slot"));
      Fields b = get("/v1/batches/" + f.string("batchId"));
      violation(
          "round "
              + f.longValue("round")
              + " (slot "
              + f.longValue("slot")
              + ") is not settled "
              + (System.nanoTime() - start) / 1_000_000_000
              + " s after the restart: "
              + f.string("settlement", "no batch")
              + (b == null
                  ? ""
                  : ", attempts "
                      + b.longValue("attempts", 0)
                      + ", last error: "
                      + b.string("lastError", "none")));
    }
    if (ready != null && ready.longValue("ordersPendingLedger", 0) != 0) {
      violation(
          ready.longValue("ordersPendingLedger")
              + " acknowledged orders are still not on the ledger "
              + settleTimeout.toSeconds()
              + " s after the restart (GET /ready)");
    }
    if (ready != null && !"READY".equals(ready.string("status", "READY"))) {
      violation("GET /ready says " + ready.rawMap());
    }
    if (!pending.isEmpty()) {
      return -1;
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /**
   * {@code /ready}'s body (the engine reports orders still on their way to the ledger there), or
   * null.
   */
  private Fields readyOrNull() {
    Reply r = Reply.of(() -> operator.get("/ready"));
    return r.ok() ? r.body() : null;
  }

  private void checkBatches(TreeMap<Long, Fields> rounds) {
    Map<String, Fields> byId = new HashMap<>();
    for (Fields b : all("/v1/batches?")) {
      if (byId.put(b.string("batchId"), b) != null) {
        violation("batch " + b.string("batchId") + " is listed twice");
      }
    }
    for (Fields r : rounds.values()) {
      Fields b = byId.remove(r.string("batchId"));
      if (b == null) {
        violation(
            "round "
                + r.longValue("round")
                + "'s batch "
                + r.string("batchId")
                + " is not in the outbox");
        continue;
      }
      if (b.longValue("round") != r.longValue("round")
          || b.longValue("tradeCount") != r.longValue("trades")) {
        violation(
            "batch "
                + b.string("batchId")
                + " is round "
                + b.longValue("round")
                + " with "
                + b.longValue("tradeCount")
                + " trades; its round "
                + r.longValue("round")
                + " has "
                + r.longValue("trades"));
      }
      if (!"SETTLED".equals(b.string("status"))) {
        continue; // already reported as stuck
      }
      Reply onLedger = Reply.of(() -> operator.get("/v1/ledger/batches/" + b.string("batchId")));
      if (!onLedger.ok()) {
        violation(
            "batch "
                + b.string("batchId")
                + " (round "
                + b.longValue("round")
                + ") is settled in the engine but"
                + " the ledger answers "
                + onLedger.status()
                + " "
                + onLedger.detail());
      } else if (!onLedger.body().string("merkleRoot").equals(b.string("merkleRoot"))
          || onLedger.body().longValue("tradeCount") != b.longValue("tradeCount")
          || onLedger.body().longValue("round") != b.longValue("round")) {
        violation(
            "batch "
                + b.string("batchId")
                + " on the ledger (round "
                + onLedger.body().longValue("round")
                + ", root "
                + onLedger.body().string("merkleRoot")
                + ", "
                + onLedger.body().longValue("tradeCount")
                + " trades) differs from the engine's (round "
                + b.longValue("round")
                + ", root "
                + b.string("merkleRoot")
                + ", "
                + b.longValue("tradeCount")
                + " trades)");
      }
    }
    for (Fields b : byId.values()) {
      violation(
          "batch " + b.string("batchId") + " (round " + b.longValue("round") + ") has no round");
    }
    // Batch ids follow from the round number: the ledger must not hold the next rounds' batches.
    long last = rounds.isEmpty() ? 0 : rounds.lastKey();
    for (long n = last + 1; n <= last + 2; n++) {
      String id = SettlementBatch.batchId(domain, n);
      Reply r = Reply.of(() -> operator.get("/v1/ledger/batches/" + id));
      if (r.ok()) {
        violation(
            "the ledger holds batch "
                + id
                + " of round "
                + n
                + " (root "
                + r.body().string("merkleRoot")
                + "); the engine's last round is "
                + last);
      } else if (r.status() != 404) {
        violation("GET /v1/ledger/batches/" + id + " answered " + r.status() + " " + r.detail());
      }
    }
  }

  private List<Fields> checkTrades(Map<Long, Fields> rounds) {
    List<Fields> trades = all("/v1/trades?");
    Set<String> ids = new HashSet<>();
    Map<Long, Long> perRound = new HashMap<>();
    for (Fields t : trades) {
      if (!ids.add(t.string("tradeId"))) {
        violation("trade " + t.string("tradeId") + " is listed twice");
      }
      perRound.merge(t.longValue("round"), 1L, Long::sum);
    }
    for (Fields r : rounds.values()) {
      long listed = perRound.getOrDefault(r.longValue("round"), 0L);
      if (listed != r.longValue("trades")) {
        violation(
            "round "
                + r.longValue("round")
                + " reports "
                + r.longValue("trades")
                + " trades, "
                + listed
                + " are listed");
      }
    }
    return trades;
  }

  // ---- orders ----

  private Map<String, List<Fields>> checkOrders(long lastClosedSlot, List<Fields> tradesSeen) {
    Map<String, List<Fields>> byTrader = new HashMap<>();
    Map<String, Fields> byId = new HashMap<>();
    for (Trader t : history.traders()) {
      if (!t.present) {
        continue;
      }
      List<Fields> list = all("/v1/orders?trader=" + t.address() + "&");
      byTrader.put(t.address(), list);
      for (Fields o : list) {
        byId.put(o.string("orderId"), o);
        Order order = RecordCodec.order(o.object("order"));
        if ("OPEN".equals(o.string("status")) && order.lastSlot() <= lastClosedSlot) {
          violation(
              "order "
                  + o.string("orderId")
                  + " of slot "
                  + order.slot()
                  + " is still OPEN after slot "
                  + lastClosedSlot
                  + " closed");
        }
      }
    }
    for (Fields t : tradesSeen) {
      for (String side : List.of("buyOrderId", "sellOrderId")) {
        Fields o = byId.get(t.string(side));
        if (o == null) {
          violation(
              "trade "
                  + t.string("tradeId")
                  + " of round "
                  + t.longValue("round")
                  + " fills order "
                  + t.string(side)
                  + ", which its trader's orders do not list");
        }
      }
    }
    for (OrderSent s : history.orders()) {
      Fields o = byId.get(s.orderId());
      if (s.outcome() == Outcome.ACKED && o == null) {
        violation(
            "order "
                + s.orderId()
                + " ("
                + s.signed().order().kind()
                + " of "
                + s.signed().order().trader()
                + ", slot "
                + s.signed().order().slot()
                + ") "
                + history.describe(s.heard())
                + " is missing");
      } else if (s.outcome() == Outcome.REFUSED && o != null) {
        violation(
            "order "
                + s.orderId()
                + " "
                + history.describe(s.heard())
                + " is present ("
                + o.string("status")
                + ")");
      } else if (o != null && !RecordCodec.order(o.object("order")).equals(s.signed().order())) {
        violation("order " + s.orderId() + " is not the order that was signed");
      }
    }
    return byTrader;
  }

  // ---- conservation ----

  /**
   * Conservation holds once the engine is quiet; the engine may still be taking acknowledged
   * records onto the ledger just after its restart, so the check is repeated for a few seconds and
   * only the last attempt's findings count.
   */
  private void checkConservationEventually(List<Fields> trades, Map<String, List<Fields>> orders)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<String> attempt;
    while (true) {
      attempt = new ArrayList<>();
      sink = attempt;
      try {
        checkConservation(trades, orders);
      } finally {
        sink = violations;
      }
      if (attempt.isEmpty() || System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(500);
    }
    violations.addAll(attempt);
  }

  /**
   * Per account: ledger available + escrow = acknowledged deposits − paid for bought trades +
   * received for sold ones (of settled rounds); escrow = the most every open buy order can still
   * pay (and every buy order of a round not settled yet). Then the engine's own audit.
   */
  private void checkConservation(List<Fields> trades, Map<String, List<Fields>> orders) {
    // The engine's audit first: it also takes records still on their way onto the ledger.
    Fields c = get("/v1/audit/conservation");
    Map<String, Long> deposits = new HashMap<>();
    for (Deposit d : history.deposits()) {
      if (d.outcome == Outcome.ACKED) {
        deposits.merge(d.account, d.amountMicros, Math::addExact);
      }
    }
    Map<String, Long> net = new HashMap<>();
    for (Fields t : trades) {
      if (unsettledRounds.contains(t.longValue("round"))) {
        continue;
      }
      net.merge(t.string("seller"), t.longValue("amountMicros"), Math::addExact);
      net.merge(t.string("buyer"), -t.longValue("amountMicros"), Math::addExact);
    }
    long totalExpected = 0;
    for (Trader t : history.traders()) {
      if (!t.present) {
        continue;
      }
      Fields b = get("/v1/participants/" + t.address() + "/balance");
      if (b == null) {
        continue;
      }
      long available = b.longValue("availableMicros");
      long escrow = b.longValue("escrowMicros");
      long expected = deposits.getOrDefault(t.address(), 0L) + net.getOrDefault(t.address(), 0L);
      totalExpected += expected;
      if (available + escrow != expected) {
        violation(
            "account "
                + t.address()
                + " ("
                + t.role
                + ") holds "
                + available
                + " + "
                + escrow
                + " in escrow = "
                + (available + escrow)
                + " micro-credits on the ledger; its acknowledged deposits "
                + deposits.getOrDefault(t.address(), 0L)
                + " and settled trades "
                + net.getOrDefault(t.address(), 0L)
                + " make "
                + expected);
      }
      long openLocks = 0;
      for (Fields o : orders.getOrDefault(t.address(), List.of())) {
        Order order = RecordCodec.order(o.object("order"));
        if (order.kind().side() != OrderKind.Side.BUY) {
          continue;
        }
        if ("OPEN".equals(o.string("status"))) {
          if (o.longValue("filled") != 0) {
            violation(
                "buy order "
                    + o.string("orderId")
                    + " is OPEN and part-filled ("
                    + o.longValue("filled")
                    + ")");
          }
          openLocks += Units.maxCostMicros(order.quantity(), order.priceMicros());
        } else if (unsettledSlots.contains(order.slot())) {
          openLocks += Units.maxCostMicros(order.quantity(), order.priceMicros());
        }
      }
      if (escrow != openLocks) {
        violation(
            "account "
                + t.address()
                + " ("
                + t.role
                + ") has "
                + escrow
                + " micro-credits in escrow on the"
                + " ledger; its open buy orders in the engine (and those of rounds not settled) lock "
                + openLocks);
      }
    }
    if (c != null) {
      if (!c.bool("conserved")) {
        violation("GET /v1/audit/conservation says not conserved: " + c.rawMap());
      }
      long acked = deposits.values().stream().mapToLong(Long::longValue).sum();
      if (c.longValue("depositsMicros") != acked) {
        violation(
            "the engine counts "
                + c.longValue("depositsMicros")
                + " micro-credits of deposits; the acknowledged"
                + " deposits make "
                + acked);
      }
      if (c.has("mismatches") && !c.list("mismatches").isEmpty()) {
        violation("GET /v1/audit/conservation lists accounts that differ: " + c.list("mismatches"));
      }
    }
  }

  // ---- REST helpers ----

  private Fields get(String path) {
    Reply r = Reply.of(() -> operator.get(path));
    if (!r.ok()) {
      violation("GET " + path + " answered " + r.status() + " " + r.detail());
      return null;
    }
    return r.body();
  }

  /** Every item of a paged list; {@code path} ends with '?' or '&'. */
  private List<Fields> all(String path) {
    List<Fields> out = new ArrayList<>();
    for (int offset = 0; ; offset += PAGE) {
      Fields page = get(path + "offset=" + offset + "&limit=" + PAGE);
      if (page == null) {
        return out;
      }
      List<Object> items = page.list("items");
      for (Object o : items) {
        out.add(Fields.of(o, "item"));
      }
      if (items.size() < PAGE) {
        return out;
      }
    }
  }

  private void violation(String v) {
    sink.add(v);
  }
}
