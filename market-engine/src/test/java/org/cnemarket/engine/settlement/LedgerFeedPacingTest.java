package org.cnemarket.engine.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cnemarket.engine.MarketFixture.DOMAIN;
import static org.cnemarket.engine.MarketFixture.key;
import static org.cnemarket.engine.MarketFixture.order;
import static org.cnemarket.engine.MarketFixture.registration;
import static org.cnemarket.engine.MarketFixture.signed;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Role;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.embedded.EmbeddedLedger;
import org.cnemarket.engine.market.MarketService;
import org.cnemarket.engine.market.ParticipantQueries;
import org.cnemarket.engine.round.PricingRoundClearing;
import org.cnemarket.engine.round.RoundParameters;
import org.cnemarket.engine.store.Db;
import org.cnemarket.engine.store.MarketStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger feed leaves the cores to the intake while orders keep arriving, and takes them onto
 * the ledger once the intake pauses or the lag bound is reached; settlement never waits for it.
 */
class LedgerFeedPacingTest {
  static final Secp256k1.KeyPair GRID = key("pace-grid");

  interface Body {
    void run(MarketService market, MarketStore store, AtomicBoolean busy) throws Exception;
  }

  static void withMarket(Path dir, Body body) throws Exception {
    withMarket(dir, 20_000, body);
  }

  /** A market on the embedded ledger, whose feed takes {@code ordersPerPass} orders a pass. */
  static void withMarket(Path dir, int ordersPerPass, Body body) throws Exception {
    Clock clock = Clock.systemUTC();
    try (MarketStore store = new MarketStore(Db.openFile(dir, "engine"));
        EmbeddedLedger embedded = EmbeddedLedger.open(dir, DOMAIN, clock)) {
      Ledger ledger =
          (Ledger)
              Proxy.newProxyInstance(
                  Ledger.class.getClassLoader(),
                  new Class<?>[] {Ledger.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("ordersPerFeedPass")) {
                      return ordersPerPass;
                    }
                    try {
                      return method.invoke(embedded, args);
                    } catch (InvocationTargetException e) {
                      throw e.getCause();
                    }
                  });
      MarketService market =
          new MarketService(
              store, ledger, DOMAIN, new PricingRoundClearing(), RoundParameters.DEFAULT, clock);
      try {
        market.register(registration(GRID, Role.MICROGRID, "grid"));
        market.feed().flush();
        AtomicBoolean busy = new AtomicBoolean();
        market.feed().deferWhile(busy::get);
        body.run(market, store, busy);
      } finally {
        market.feed().stop();
        market.close();
      }
    }
  }

  /**
   * Starts the feed with {@code maxLagMillis} while the intake says it is busy, and has three
   * orders acknowledged; returns when it started.
   */
  static long busyIntake(MarketService market, AtomicBoolean busy, long maxLagMillis) {
    busy.set(true);
    long start = System.nanoTime();
    market.feed().start(60_000, maxLagMillis);
    submitThree(market);
    return start;
  }

  /** Three orders acknowledged now: each group commit wakes the feed. */
  static void submitThree(MarketService market) {
    for (int nonce = 1; nonce <= 3; nonce++) {
      market.submitOrder(
          signed(order(OrderKind.ENERGY_OFFER, GRID, 100, 50_000, 80_000, nonce), GRID));
    }
  }

  static long millisUntilTaken(MarketStore store, long startNanos) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (store.orders().pendingCount() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(store.orders().pendingCount()).isZero();
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  @Test
  void whileTheIntakeIsBusyTheFeedWaitsUpToTheLag(@TempDir Path dir) throws Exception {
    withMarket(
        dir,
        (market, store, busy) -> {
          long start = busyIntake(market, busy, 1_500);
          Thread.sleep(500);
          assertThat(store.orders().pendingCount()).isEqualTo(3);
          assertThat(millisUntilTaken(store, start)).isGreaterThanOrEqualTo(1_500);
        });
  }

  @Test
  void onceTheIntakePausesTheFeedTakesTheOrders(@TempDir Path dir) throws Exception {
    withMarket(
        dir,
        (market, store, busy) -> {
          long start = busyIntake(market, busy, 60_000);
          Thread.sleep(300);
          assertThat(store.orders().pendingCount()).isEqualTo(3);
          busy.set(false);
          // Far inside the 60 s lag bound: the pause is what started the flush.
          assertThat(millisUntilTaken(store, start)).isLessThan(20_000);
        });
  }

  @Test
  void aWholePassWaitingIsTakenWithoutWaitingForTheLag(@TempDir Path dir) throws Exception {
    withMarket(
        dir,
        3,
        (market, store, busy) -> {
          long start = busyIntake(market, busy, 60_000);
          assertThat(millisUntilTaken(store, start)).isLessThan(20_000);
        });
  }

  @Test
  void aBalanceReadShowsEveryOrderAcknowledgedBeforeIt(@TempDir Path dir) throws Exception {
    withMarket(
        dir,
        (market, store, busy) -> {
          Secp256k1.KeyPair dc = key("pace-dc");
          market.register(registration(dc, Role.PROVIDER, "dc"));
          market.deposit("pace-d1", dc.address(), 10_000_000);
          busyIntake(market, busy, 60_000);
          market.submitOrder(signed(order(OrderKind.ENERGY_BID, dc, 100, 40_000, 120_000, 1), dc));
          // 40,000 Wh at 120,000 micro-credits per kWh, locked by the bid.
          assertThat(new ParticipantQueries(market).balance(dc.address()).escrowMicros())
              .isEqualTo(4_800_000);
          assertThat(store.orders().pendingCount()).isZero();
        });
  }

  @Test
  void withNoLagTheFeedDoesNotWaitForTheIntake(@TempDir Path dir) throws Exception {
    withMarket(
        dir,
        (market, store, busy) -> {
          busyIntake(market, busy, 0);
          millisUntilTaken(store, System.nanoTime());
        });
  }

  @Test
  void settlementAndTheAuditFlushAtOnce(@TempDir Path dir) throws Exception {
    withMarket(
        dir,
        (market, store, busy) -> {
          busyIntake(market, busy, 60_000);
          assertThat(market.conservation().conserved()).isTrue();
          assertThat(store.orders().pendingCount()).isZero();
        });
  }
}
