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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Role;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.embedded.EmbeddedLedger;
import org.cnemarket.engine.market.MarketService;
import org.cnemarket.engine.round.PricingRoundClearing;
import org.cnemarket.engine.round.RoundParameters;
import org.cnemarket.engine.store.Db;
import org.cnemarket.engine.store.MarketStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine stops while its ledger feed waits on a slow ledger (a Fabric network behind a burst of
 * orders): the ledger call under way completes and is recorded, and the engine database stays
 * usable for the rest of the shutdown (the outbox drain, closing the store).
 */
class LedgerFeedStopTest {
  static final Secp256k1.KeyPair GRID = key("stop-grid");
  static final Secp256k1.KeyPair DC = key("stop-dc");

  @Test
  void stoppingDuringALedgerCallRecordsItAndLeavesTheDatabaseUsable(@TempDir Path dir)
      throws Exception {
    Clock clock = Clock.systemUTC();
    try (MarketStore store = new MarketStore(Db.openFile(dir, "engine"));
        EmbeddedLedger embedded = EmbeddedLedger.open(dir, DOMAIN, clock)) {
      CountDownLatch entered = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      MarketService market =
          new MarketService(
              store,
              slowAcceptance(embedded, entered, release),
              DOMAIN,
              new PricingRoundClearing(),
              RoundParameters.DEFAULT,
              clock);
      try {
        market.register(registration(GRID, Role.MICROGRID, "grid"));
        market.register(registration(DC, Role.PROVIDER, "dc"));
        market.deposit("d1", DC.address(), 10_000_000);
        market.feed().flush();
        String offer =
            market.submitOrder(
                signed(order(OrderKind.ENERGY_OFFER, GRID, 100, 50_000, 80_000, 1), GRID));

        market.feed().start(60_000, 0);
        market.feed().wake();
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(market.feed()::stop);
        Thread.sleep(200); // the stop reaches the feed while its ledger call is under way
        release.countDown();
        stopped.get(40, TimeUnit.SECONDS);

        assertThat(embedded.orderAccepted(offer)).isTrue();
        assertThat(store.orders().pendingCount()).isZero();
        assertThat(market.conservation().conserved()).isTrue();
      } finally {
        market.close();
      }
    }
  }

  /**
   * {@code delegate}, whose order acceptance waits for {@code release} the way a blocking RPC does:
   * an interrupt does not end the wait, and the thread's interrupt status is set again afterwards.
   */
  private static Ledger slowAcceptance(
      Ledger delegate, CountDownLatch entered, CountDownLatch release) {
    return (Ledger)
        Proxy.newProxyInstance(
            Ledger.class.getClassLoader(),
            new Class<?>[] {Ledger.class},
            (proxy, method, args) -> {
              boolean interrupted = false;
              if (method.getName().equals("acceptOrders")) {
                entered.countDown();
                while (true) {
                  try {
                    if (!release.await(30, TimeUnit.SECONDS)) {
                      throw new IllegalStateException("never released");
                    }
                    break;
                  } catch (InterruptedException e) {
                    interrupted = true;
                  }
                }
              }
              try {
                return method.invoke(delegate, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              } finally {
                if (interrupted) {
                  Thread.currentThread().interrupt();
                }
              }
            });
  }
}
