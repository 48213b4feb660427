package org.cnemarket.tests.chaos;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.cnemarket.core.client.MarketClient;
import org.cnemarket.core.client.MarketClientException;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.tests.chaos.History.Deposit;
import org.cnemarket.tests.chaos.History.OrderSent;
import org.cnemarket.tests.chaos.History.Outcome;
import org.cnemarket.tests.chaos.History.RoundClosed;
import org.cnemarket.tests.chaos.History.Trader;

/**
 * Concurrent signed intake against one engine process until it is stopped (or killed): trader
 * threads register new participants, post signed orders (and, on purpose, some the engine must
 * refuse: overdrafts, reused nonces, operator self-registrations), the operator deposits, and an
 * operator thread closes the next slot's round every few hundred milliseconds, settling it in the
 * same request or leaving it to the background settler. Every answer goes to the {@link History}.
 */
final class Workload {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);
  private static final EnergySource[] SOURCES = {
    EnergySource.SOLAR,
    EnergySource.WIND,
    EnergySource.HYDRO,
    EnergySource.GRID,
    EnergySource.STORAGE
  };

  private final String baseUrl;
  private final Eip712.Domain domain;
  private final History history;
  private final long seed;
  private final int cycle;
  private final int threads;
  private final AtomicLong nextSlot;
  private final AtomicLong depositSeq;
  private final MarketClient operator;

  /** Registration is open: a new participant has no token yet. */
  private final MarketClient anonymous;

  private final Map<String, MarketClient> signedIn = new ConcurrentHashMap<>();
  private final List<Thread> running = new ArrayList<>();
  private final AtomicLong roundClosesSent = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private volatile boolean stop;

  /**
   * @param nextSlot the first slot not closed yet, shared with the checks that advance it
   * @param depositSeq numbers deposit ids across cycles
   */
  Workload(
      String baseUrl,
      Eip712.Domain domain,
      History history,
      long seed,
      int cycle,
      int threads,
      AtomicLong nextSlot,
      AtomicLong depositSeq) {
    this.baseUrl = baseUrl;
    this.domain = domain;
    this.history = history;
    this.seed = seed;
    this.cycle = cycle;
    this.threads = threads;
    this.nextSlot = nextSlot;
    this.depositSeq = depositSeq;
    this.operator =
        MarketClient.connect(baseUrl, CALL_TIMEOUT).withBearer(EngineProcess.OPERATOR_TOKEN);
    this.anonymous = MarketClient.connect(baseUrl, CALL_TIMEOUT);
  }

  void start() {
    for (int i = 0; i < threads; i++) {
      Random r = new Random(seed * 1_000_003L + cycle * 101L + i);
      running.add(new Thread(() -> traderLoop(r), "chaos-trader-" + i));
    }
    Random r = new Random(seed * 1_000_003L + cycle * 101L + 99);
    running.add(new Thread(() -> operatorLoop(r), "chaos-operator"));
    running.forEach(Thread::start);
  }

  /** Waits until the operator sends its next round close (kills aimed at a round close use it). */
  boolean awaitNextRoundClose(Duration timeout) throws InterruptedException {
    long seen = roundClosesSent.get();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (roundClosesSent.get() == seen) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(1);
    }
    return true;
  }

  /**
   * Waits until {@code count} requests were answered (or failed): kills are placed by the traffic
   * seen, so a slow, shared machine still gets writes in every cycle.
   */
  boolean awaitRequests(long count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (requests.get() < count) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(2);
    }
    return true;
  }

  /** Requests answered or failed so far. */
  long requests() {
    return requests.get();
  }

  /** Stops the threads (after a kill their calls fail at once) and waits for them. */
  void stopAndJoin() throws InterruptedException {
    stop = true;
    for (Thread t : running) {
      t.join(CALL_TIMEOUT.toMillis() * 3);
      if (t.isAlive()) {
        throw new IllegalStateException(t.getName() + " did not stop");
      }
    }
  }

  // ---- traders ----

  private void traderLoop(Random r) {
    while (!stop) {
      int dice = r.nextInt(100);
      if (dice < 4) {
        register(r);
      } else if (dice < 5) {
        registerAsOperator();
      } else if (dice < 14) {
        deposit(r);
      } else {
        List<Trader> ts = history.presentTraders();
        if (ts.isEmpty()) {
          sleep(10);
          continue;
        }
        Trader t = ts.get(r.nextInt(ts.size()));
        if (dice < 17) {
          replayNonce(t, r);
        } else if (dice < 20 && t.role != Role.MICROGRID) {
          submit(t, overdraft(t, r));
        } else if (dice < 28) {
          batch(t, r);
        } else {
          submit(t, order(t, r));
        }
      }
    }
  }

  /** A new participant registers; it trades once its registration is acknowledged. */
  private void register(Random r) {
    Role role = List.of(Role.MICROGRID, Role.PROVIDER, Role.USER).get(r.nextInt(3));
    Trader t =
        new Trader(
            Secp256k1.KeyPair.generate(new SecureRandom()),
            role,
            role.name().toLowerCase() + "-c" + cycle);
    registerTrader(t, anonymous, cycle);
  }

  /** Registers {@code t} and records the answer; returns it. */
  static Reply registerTrader(
      Trader t, MarketClient client, Eip712.Domain domain, History history, int cycle) {
    Registration reg = Registration.sign(domain, t.key, t.role, t.name, 1);
    history.add(t);
    Reply reply = Reply.of(() -> client.post("/v1/participants", RecordCodec.registration(reg)));
    t.heard = reply.heard(cycle);
    t.registration = reply.outcome();
    t.present = reply.ok();
    return reply;
  }

  private Reply registerTrader(Trader t, MarketClient client, int cycle) {
    requests.incrementAndGet();
    return registerTrader(t, client, domain, history, cycle);
  }

  /** Self-registration as OPERATOR: refused (403), so the account must never appear. */
  private void registerAsOperator() {
    Trader t =
        new Trader(
            Secp256k1.KeyPair.generate(new SecureRandom()), Role.OPERATOR, "would-be-operator");
    registerTrader(t, anonymous, cycle);
  }

  private void deposit(Random r) {
    List<Trader> buyers =
        history.presentTraders().stream().filter(t -> t.role != Role.MICROGRID).toList();
    if (buyers.isEmpty()) {
      return;
    }
    Trader t = buyers.get(r.nextInt(buyers.size()));
    Deposit d =
        new Deposit(
            "chaos-" + Long.toUnsignedString(seed, 36) + "-" + depositSeq.incrementAndGet(),
            t.address(),
            1_000_000L + r.nextInt(4_000_000));
    sendDeposit(d, operator, history, cycle);
    requests.incrementAndGet();
  }

  /** Sends (or sends again: deposits are idempotent on their id) and records the answer. */
  static Reply sendDeposit(Deposit d, MarketClient operator, History history, int cycle) {
    if (d.outcome == null) {
      history.add(d);
    }
    Reply reply =
        Reply.of(
            () ->
                operator.post(
                    "/v1/deposits",
                    Map.of(
                        "depositId",
                        d.depositId,
                        "account",
                        d.account,
                        "amountMicros",
                        d.amountMicros)));
    d.heard = reply.heard(cycle);
    d.outcome = reply.outcome();
    return reply;
  }

  /** An order the trader's role may place, for one of the next slots. */
  private Order order(Trader t, Random r) {
    OrderKind kind =
        switch (t.role) {
          case MICROGRID -> OrderKind.ENERGY_OFFER;
          case PROVIDER -> r.nextBoolean() ? OrderKind.ENERGY_BID : OrderKind.COMPUTE_OFFER;
          case USER -> OrderKind.COMPUTE_DEMAND;
          default -> throw new IllegalStateException("no orders from a " + t.role);
        };
    long slot = nextSlot.get() + r.nextInt(3);
    long quantity = 200 + r.nextInt(4_800);
    long price =
        switch (kind) {
          case ENERGY_OFFER -> 50_000 + r.nextInt(100_000);
          case ENERGY_BID -> 80_000 + r.nextInt(120_000);
          case COMPUTE_OFFER -> 100_000 + r.nextInt(500_000);
          case COMPUTE_DEMAND -> 200_000 + r.nextInt(600_000);
        };
    EnergySource source =
        kind == OrderKind.ENERGY_OFFER ? SOURCES[r.nextInt(SOURCES.length)] : EnergySource.NONE;
    int greenBps = source.green() ? 10_000 : 0;
    long carbon =
        kind == OrderKind.ENERGY_OFFER
            ? (source.green() ? 20 + r.nextInt(30) : 300 + r.nextInt(200))
            : 0;
    return new Order(
        kind,
        t.address(),
        slot,
        0,
        quantity,
        price,
        source,
        greenBps,
        carbon,
        0,
        t.nonces.getAndIncrement(),
        0);
  }

  /** A buy order far beyond any balance: refused for insufficient funds. */
  private Order overdraft(Trader t, Random r) {
    OrderKind kind = t.role == Role.PROVIDER ? OrderKind.ENERGY_BID : OrderKind.COMPUTE_DEMAND;
    return new Order(
        kind,
        t.address(),
        nextSlot.get() + r.nextInt(3),
        0,
        1_000_000_000L,
        1_000_000_000L,
        EnergySource.NONE,
        0,
        0,
        0,
        t.nonces.getAndIncrement(),
        0);
  }

  /**
   * Two to six orders in one request ({@code POST /v1/orders/batch}), now and then with one the
   * trader cannot pay for: each is acknowledged or refused on its own; without an answer, each
   * outcome is unknown.
   */
  private void batch(Trader t, Random r) {
    List<SignedOrder> orders = new ArrayList<>();
    int n = 2 + r.nextInt(5);
    for (int i = 0; i < n; i++) {
      Order o =
          i == n - 1 && t.role != Role.MICROGRID && r.nextInt(4) == 0
              ? overdraft(t, r)
              : order(t, r);
      orders.add(SignedOrder.sign(domain, o, t.key));
    }
    Map<String, Object> body =
        Map.of("orders", orders.stream().map(RecordCodec::signedOrder).toList());
    Reply reply = post(t, "/v1/orders/batch", body);
    List<Object> results = reply.ok() ? reply.body().list("results") : List.of();
    for (int i = 0; i < orders.size(); i++) {
      SignedOrder so = orders.get(i);
      Reply each = reply;
      if (reply.ok()) {
        Fields result = Fields.of(results.get(i), "result");
        if (result.has("problem")) {
          Fields problem = result.object("problem");
          each =
              Reply.refused(
                  MarketClientException.ofProblem((int) problem.longValue("status"), problem),
                  reply.atNanos());
        }
      }
      history.add(new OrderSent(so.id(domain), so, each.outcome(), each.heard(cycle)));
    }
    if (reply.status() == 0) {
      sleep(20);
    }
  }

  /** Another order under the nonce of an acknowledged one: refused as a replay. */
  private void replayNonce(Trader t, Random r) {
    List<OrderSent> acked = history.ackedOrdersOf(t.address());
    if (acked.isEmpty()) {
      return;
    }
    Order o = acked.get(r.nextInt(acked.size())).signed().order();
    submit(
        t,
        new Order(
            o.kind(),
            o.trader(),
            Math.max(o.slot(), nextSlot.get()),
            o.zone(),
            o.quantity() + 1,
            o.priceMicros(),
            o.source(),
            o.greenBps(),
            o.carbonMgPerKwh(),
            o.latencyMs(),
            o.nonce(),
            o.expiry()));
  }

  private void submit(Trader t, Order o) {
    SignedOrder so = SignedOrder.sign(domain, o, t.key);
    Reply reply = post(t, "/v1/orders", RecordCodec.signedOrder(so));
    history.add(new OrderSent(so.id(domain), so, reply.outcome(), reply.heard(cycle)));
    if (reply.status() == 0) {
      sleep(20); // the engine is gone: do not spin until the test stops this thread
    }
  }

  /** A trader's POST, signed in; counted as one request. */
  private Reply post(Trader t, String path, Map<String, Object> body) {
    Reply reply = Reply.of(() -> signedIn(t).post(path, body));
    if (reply.status() == 401) {
      // The token did not survive a restart (its signing key is the engine's): sign in again.
      signedIn.remove(t.address());
      reply = Reply.of(() -> signedIn(t).post(path, body));
    }
    requests.incrementAndGet();
    return reply;
  }

  private MarketClient signedIn(Trader t) throws MarketClientException {
    MarketClient c = signedIn.get(t.address());
    if (c == null) {
      c = MarketClient.connect(baseUrl, CALL_TIMEOUT);
      c.login(t.key);
      signedIn.put(t.address(), c);
    }
    return c;
  }

  // ---- the operator's round closes ----

  private void operatorLoop(Random r) {
    while (!stop) {
      sleep(150 + r.nextInt(600));
      if (stop) {
        return;
      }
      long slot = nextSlot.get();
      boolean settle = r.nextInt(10) < 7;
      roundClosesSent.incrementAndGet();
      Reply reply =
          Reply.of(() -> operator.post("/v1/rounds", Map.of("slot", slot, "settle", settle)));
      requests.incrementAndGet();
      if (reply.ok()) {
        history.add(
            new RoundClosed(
                slot,
                Outcome.ACKED,
                reply.body().longValue("round"),
                reply.body().string("batchId"),
                reply.body().longValue("trades"),
                reply.heard(cycle)));
        nextSlot.compareAndSet(slot, slot + 1);
      } else {
        history.add(new RoundClosed(slot, reply.outcome(), -1, null, -1, reply.heard(cycle)));
        if (reply.outcome() == Outcome.UNKNOWN) {
          return; // the engine is gone (or failing): the checks after the restart tell which
        }
      }
      if (r.nextInt(8) == 0) {
        Reply.of(() -> operator.post("/v1/settlement/run", Map.of()));
        requests.incrementAndGet();
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
