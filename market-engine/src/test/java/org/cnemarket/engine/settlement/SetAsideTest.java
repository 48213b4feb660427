package org.cnemarket.engine.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cnemarket.engine.MarketFixture.key;
import static org.cnemarket.engine.MarketFixture.order;
import static org.cnemarket.engine.MarketFixture.registration;
import static org.cnemarket.engine.MarketFixture.signed;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Role;
import org.cnemarket.engine.MarketFixture;
import org.cnemarket.engine.audit.AccountAudit;
import org.cnemarket.engine.market.Refusal;
import org.cnemarket.engine.store.Db;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine records first and the ledger follows; when the ledger lost an order a batch fills, the
 * outbox takes it onto the ledger again and settles; when the ledger still refuses, the settlement
 * line does not stop, the batch is set aside and the audit names the account.
 */
class SetAsideTest {
  static final Secp256k1.KeyPair GRID = key("sa-grid");
  static final Secp256k1.KeyPair DC = key("sa-dc");

  private static void market(MarketFixture f) {
    f.market.register(registration(GRID, Role.MICROGRID, "grid"));
    f.market.register(registration(DC, Role.PROVIDER, "dc"));
    f.market.deposit("d1", DC.address(), 10_000_000);
  }

  /**
   * Marks an order as on the ledger although the ledger never got it (a ledger that lost a write).
   */
  private static void loseOnLedger(Path dir, String orderId) throws Exception {
    try (Connection c = Db.openFile(dir, "engine");
        PreparedStatement s =
            c.prepareStatement("UPDATE orders SET ledger_state = 'DONE' WHERE order_id = ?")) {
      s.setString(1, orderId);
      assertThat(s.executeUpdate()).isEqualTo(1);
      c.commit();
    }
  }

  /** A funded market, an offer and a bid that cross at slot 100, the bid lost on the ledger. */
  private static String crossingOrdersWithTheBidLost(MarketFixture f, Path dir) throws Exception {
    market(f);
    f.market.submitOrder(signed(order(OrderKind.ENERGY_OFFER, GRID, 100, 50_000, 80_000, 1), GRID));
    String lost =
        f.market.submitOrder(signed(order(OrderKind.ENERGY_BID, DC, 100, 40_000, 120_000, 1), DC));
    loseOnLedger(dir, lost);
    return lost;
  }

  @Test
  void aBatchFillingAnOrderTheLedgerLostIsRepairedAndSettledInTheSamePass(@TempDir Path dir)
      throws Exception {
    try (MarketFixture f = new MarketFixture(dir)) {
      String lost = crossingOrdersWithTheBidLost(f, dir);
      var round1 = f.market.closeRound(100);
      assertThat(f.ledger.orderAccepted(lost)).isFalse();

      var pass = f.outbox.settlePending();

      assertThat(pass.settled()).isEqualTo(1);
      assertThat(pass.setAside()).isZero();
      assertThat(f.ledger.orderAccepted(lost)).isTrue();
      assertThat(f.ledger.batch(round1.batch().batchId())).isPresent();
      assertThat(f.market.conservation().conserved()).isTrue();
    }
  }

  @Test
  void aBatchTheLedgerStillRefusesIsSetAsideLaterRoundsSettleAndAReplanTriesAgain(@TempDir Path dir)
      throws Exception {
    try (MarketFixture f = new MarketFixture(dir)) {
      String lost = crossingOrdersWithTheBidLost(f, dir);
      // The ledger holds another order of the same trader under that nonce: it cannot take the
      // engine's order again, so no repair can settle round 1.
      f.ledger.acceptOrder(signed(order(OrderKind.ENERGY_BID, DC, 100, 1_000, 120_000, 1), DC));
      var round1 = f.market.closeRound(100);
      var pass = f.outbox.settlePending();
      assertThat(pass.settled()).isZero();
      assertThat(pass.setAside()).isEqualTo(1);
      assertThat(f.store.outbox().setAsideEntries())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.batchId()).isEqualTo(round1.batch().batchId());
                assertThat(e.lastError())
                    .startsWith("UNKNOWN_ORDER")
                    .contains("never accepted on the ledger")
                    .contains(lost)
                    .contains("(NONCE)");
              });

      // The line goes on: the next round settles although round 1 is set aside.
      f.market.submitOrder(
          signed(order(OrderKind.ENERGY_OFFER, GRID, 101, 10_000, 80_000, 2), GRID));
      f.market.submitOrder(signed(order(OrderKind.ENERGY_BID, DC, 101, 10_000, 120_000, 2), DC));
      var round2 = f.market.closeRound(101);
      assertThat(f.outbox.settlePending().settled()).isEqualTo(1);
      assertThat(f.ledger.batch(round2.batch().batchId())).isPresent();

      // The audit names the account the two stores disagree on.
      var before = f.market.conservation();
      assertThat(before.conserved()).isFalse();
      assertThat(before.mismatches())
          .extracting(AccountAudit.AccountCheck::account)
          .contains(DC.address());

      // A re-plan puts it back in the line; the ledger refuses it again, so it is set aside again.
      var replan = f.outbox.replan(round1.batch().batchId());
      assertThat(replan.ordersRetaken()).isZero();
      assertThat(replan.requeued()).isTrue();
      var again = f.outbox.settlePending();
      assertThat(again.settled()).isZero();
      assertThat(again.setAside()).isEqualTo(1);
      assertThat(f.ledger.batch(round1.batch().batchId())).isEmpty();
    }
  }

  @Test
  void aReplanOfABatchThatIsNotSetAsideIsRefused(@TempDir Path dir) throws Exception {
    try (MarketFixture f = new MarketFixture(dir)) {
      market(f);
      var r = f.market.closeRound(5);
      f.outbox.settlePending();
      assertThatThrownBy(() -> f.outbox.replan(r.batch().batchId()))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void ordersAreCheckedForFundsNonceAndSlotBeforeTheLedgerSeesThem(@TempDir Path dir)
      throws Exception {
    try (MarketFixture f = new MarketFixture(dir)) {
      market(f);
      long height = f.ledger.status().height();
      // 10,000,000 micro-credits cover 80 kWh at 0.12 (9,600,000), not 90 kWh.
      assertThatThrownBy(
              () ->
                  f.market.submitOrder(
                      signed(order(OrderKind.ENERGY_BID, DC, 7, 90_000, 120_000, 1), DC)))
          .isInstanceOfSatisfying(
              Refusal.class, p -> assertThat(p.type()).isEqualTo("insufficient-funds"));
      f.market.submitOrder(signed(order(OrderKind.ENERGY_BID, DC, 7, 80_000, 120_000, 1), DC));
      assertThatThrownBy(
              () ->
                  f.market.submitOrder(
                      signed(order(OrderKind.ENERGY_BID, DC, 7, 5_000, 120_000, 2), DC)))
          .isInstanceOfSatisfying(
              Refusal.class, p -> assertThat(p.type()).isEqualTo("insufficient-funds"));
      f.market.submitOrder(signed(order(OrderKind.ENERGY_OFFER, GRID, 7, 1_000, 1, 1), GRID));
      assertThatThrownBy(
              () ->
                  f.market.submitOrder(
                      signed(order(OrderKind.ENERGY_OFFER, GRID, 7, 1_000, 2, 1), GRID)))
          .isInstanceOfSatisfying(Refusal.class, p -> assertThat(p.type()).isEqualTo("nonce-used"));
      f.market.closeRound(7);
      assertThatThrownBy(
              () ->
                  f.market.submitOrder(
                      signed(order(OrderKind.ENERGY_OFFER, GRID, 7, 1_000, 1, 3), GRID)))
          .isInstanceOfSatisfying(
              Refusal.class, p -> assertThat(p.type()).isEqualTo("slot-closed"));
      assertThat(f.store.orders().count()).isEqualTo(2);
      // Both accepted orders went onto the ledger in one transaction.
      f.market.feed().flush();
      assertThat(f.ledger.status().height()).isEqualTo(height + 1);
      assertThat(f.market.conservation().conserved()).isTrue();
    }
  }

  @Test
  void concurrentIntakeRecordsEveryOrderOnceAndConservesPerAccount(@TempDir Path dir)
      throws Exception {
    int traders = 6;
    int perTrader = 60;
    try (MarketFixture f = new MarketFixture(dir)) {
      f.market.register(registration(GRID, Role.MICROGRID, "grid"));
      List<Secp256k1.KeyPair> keys = new ArrayList<>();
      for (int t = 0; t < traders; t++) {
        Secp256k1.KeyPair k = key("sa-dc-" + t);
        keys.add(k);
        f.market.register(registration(k, Role.PROVIDER, "dc" + t));
        // Enough for 50 of the 60 bids: the last ones must be refused for funds, whatever the
        // interleaving.
        f.market.deposit("d-" + t, k.address(), 50L * 1_200);
      }
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<Boolean>> answers = new ArrayList<>();
      for (int t = 0; t < traders; t++) {
        Secp256k1.KeyPair k = keys.get(t);
        for (int n = 1; n <= perTrader; n++) {
          long nonce = n;
          answers.add(
              pool.submit(
                  () -> {
                    try {
                      f.market.submitOrder(
                          signed(order(OrderKind.ENERGY_BID, k, 9, 10_000, 120, nonce), k));
                      return true;
                    } catch (Refusal p) {
                      assertThat(p.type()).isEqualTo("insufficient-funds");
                      return false;
                    }
                  }));
        }
      }
      long accepted = 0;
      for (Future<Boolean> a : answers) {
        accepted += a.get() ? 1 : 0;
      }
      pool.shutdown();
      assertThat(accepted).isEqualTo(traders * 50L);
      assertThat(f.store.orders().count()).isEqualTo(accepted);
      f.market.feed().flush();
      assertThat(f.store.orders().pendingCount()).isZero();
      var c = f.market.conservation();
      assertThat(c.mismatches()).isEmpty();
      assertThat(c.conserved()).isTrue();
      for (Secp256k1.KeyPair k : keys) {
        assertThat(f.ledger.balance(k.address()).availableMicros()).isZero();
        assertThat(f.ledger.balance(k.address()).escrowMicros()).isEqualTo(50L * 1_200);
      }
    }
  }
}
