package org.cnemarket.tests.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SignedOrder;

/**
 * What the clients of a crash test sent and what they heard back, across every kill and restart:
 * the facts the engine's state is checked against. Thread-safe.
 */
final class History {
  /** What a client knows of a write from the answer it got. */
  enum Outcome {
    /** Answered 2xx: the engine promised the write. */
    ACKED,
    /** Answered 4xx: the engine refused it, so nothing of it may exist. */
    REFUSED,
    /** No answer (connection lost to the kill) or a 5xx: either may be true. */
    UNKNOWN;

    static Outcome of(int status) {
      if (status >= 200 && status < 300) {
        return ACKED;
      }
      return status >= 400 && status < 500 ? REFUSED : UNKNOWN;
    }
  }

  /** When, relative to the kill that ended its cycle, a client heard an answer. */
  record Heard(int cycle, long atNanos, int status, String type) {}

  /**
   * A participant key the clients use; {@code registration} is what its registration was answered.
   */
  static final class Trader {
    final Secp256k1.KeyPair key;
    final Role role;
    final String name;
    final AtomicLong nonces = new AtomicLong(1);
    volatile Outcome registration;
    volatile Heard heard;

    /** Known to exist: acknowledged, or seen on the engine after a restart. */
    volatile boolean present;

    Trader(Secp256k1.KeyPair key, Role role, String name) {
      this.key = key;
      this.role = role;
      this.name = name;
    }

    String address() {
      return key.address();
    }
  }

  /** A deposit as the operator sent it; an unknown outcome is resolved by sending it again. */
  static final class Deposit {
    final String depositId;
    final String account;
    final long amountMicros;
    volatile Outcome outcome;
    volatile Heard heard;

    Deposit(String depositId, String account, long amountMicros) {
      this.depositId = depositId;
      this.account = account;
      this.amountMicros = amountMicros;
    }
  }

  /** A signed order as a trader sent it. */
  record OrderSent(String orderId, SignedOrder signed, Outcome outcome, Heard heard) {}

  /**
   * A round close the operator asked for; round, batch and trades are known when it was
   * acknowledged.
   */
  record RoundClosed(
      long slot, Outcome outcome, long round, String batchId, long trades, Heard heard) {}

  private final Map<String, Trader> traders = new LinkedHashMap<>();
  private final List<Deposit> deposits = new ArrayList<>();
  private final List<OrderSent> orders = new ArrayList<>();
  private final List<RoundClosed> rounds = new ArrayList<>();
  private final List<Long> killNanos = new ArrayList<>();

  synchronized void add(Trader t) {
    traders.put(t.address(), t);
  }

  synchronized List<Trader> traders() {
    return List.copyOf(traders.values());
  }

  /** Traders known to be registered, the only ones that send orders or get deposits. */
  synchronized List<Trader> presentTraders() {
    return traders.values().stream().filter(t -> t.present).toList();
  }

  synchronized Trader trader(String address) {
    return traders.get(address);
  }

  synchronized void add(Deposit d) {
    deposits.add(d);
  }

  synchronized List<Deposit> deposits() {
    return List.copyOf(deposits);
  }

  synchronized void add(OrderSent o) {
    orders.add(o);
  }

  synchronized List<OrderSent> orders() {
    return List.copyOf(orders);
  }

  /** Acknowledged orders of {@code trader}, for replays of a used nonce. */
  synchronized List<OrderSent> ackedOrdersOf(String trader) {
    return orders.stream()
        .filter(o -> o.outcome() == Outcome.ACKED && o.signed().order().trader().equals(trader))
        .toList();
  }

  synchronized void add(RoundClosed r) {
    rounds.add(r);
  }

  synchronized List<RoundClosed> rounds() {
    return List.copyOf(rounds);
  }

  /**
   * Records the instant of kill number {@code cycle}: cycle 0 runs before the first kill, cycle k
   * ends with kill k.
   */
  synchronized void killed(int cycle, long atNanos) {
    while (killNanos.size() <= cycle) {
      killNanos.add(null);
    }
    killNanos.set(cycle, atNanos);
  }

  /** Counts by outcome, for the test's log: what the kills were up against. */
  synchronized String summary() {
    return "registrations "
        + tally(traders.values().stream().map(t -> t.registration).toList())
        + ", deposits "
        + tally(deposits.stream().map(d -> d.outcome).toList())
        + ", orders "
        + tally(orders.stream().map(OrderSent::outcome).toList())
        + ", round closes "
        + tally(rounds.stream().map(RoundClosed::outcome).toList());
  }

  private static String tally(List<Outcome> outcomes) {
    long acked = outcomes.stream().filter(o -> o == Outcome.ACKED).count();
    long refused = outcomes.stream().filter(o -> o == Outcome.REFUSED).count();
    long unknown = outcomes.stream().filter(o -> o == Outcome.UNKNOWN).count();
    return acked + " acknowledged / " + refused + " refused / " + unknown + " unanswered";
  }

  /** "answered 201 412 ms before kill 3", for failure messages. */
  synchronized String describe(Heard h) {
    if (h == null) {
      return "never answered";
    }
    Long kill = h.cycle() < killNanos.size() ? killNanos.get(h.cycle()) : null;
    String answer =
        h.status() == 0
            ? "not answered"
            : h.status() < 300
                ? "acknowledged (2xx)"
                : "answered " + h.status() + (h.type() == null ? "" : " " + h.type());
    if (kill == null) {
      return answer + (h.cycle() == 0 ? " before the first kill" : " after the last kill");
    }
    return answer + " " + (kill - h.atNanos()) / 1_000_000 + " ms before kill " + h.cycle();
  }
}
