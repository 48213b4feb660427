package org.cnemarket.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cnemarket.engine.MarketFixture.key;
import static org.cnemarket.engine.MarketFixture.order;
import static org.cnemarket.engine.MarketFixture.registration;
import static org.cnemarket.engine.MarketFixture.signed;

import java.nio.file.Path;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SettlementBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash between the outbox write and the ledger commit, or just after it, settles exactly once.
 */
class SettlementCrashTest {
  static final Secp256k1.KeyPair GRID = key("grid");
  static final Secp256k1.KeyPair DC = key("dc");

  private SettlementBatch tradeOneRound(MarketFixture f) {
    f.market.register(registration(GRID, Role.MICROGRID, "grid"));
    f.market.register(registration(DC, Role.PROVIDER, "dc"));
    f.market.deposit("d1", DC.address(), 10_000_000);
    f.market.submitOrder(signed(order(OrderKind.ENERGY_OFFER, GRID, 100, 50_000, 80_000, 1), GRID));
    f.market.submitOrder(signed(order(OrderKind.ENERGY_BID, DC, 100, 40_000, 120_000, 1), DC));
    return f.market.closeRound(100).batch();
  }

  @Test
  void aBatchCommittedToTheOutboxButNotTheLedgerIsSettledOnceAfterRestart(@TempDir Path dir)
      throws Exception {
    SettlementBatch batch;
    long heightBefore;
    try (MarketFixture f = new MarketFixture(dir)) {
      batch = tradeOneRound(f);
      f.market.feed().flush(); // the orders are on the ledger, the batch is not
      assertThat(f.store.outbox().pending()).hasSize(1);
      // The outbox hands its payload to the ledger to hash: it is the batch's canonical JSON.
      String payload = f.store.outbox().pending().get(0).payloadJson();
      assertThat(RecordCodec.toJson(RecordCodec.batchFromJson(payload))).isEqualTo(payload);
      assertThat(f.ledger.batch(batch.batchId())).isEmpty();
      heightBefore = f.ledger.status().height();
    } // the process "dies" here: the outbox holds the batch, the ledger does not

    try (MarketFixture f = new MarketFixture(dir)) {
      assertThat(f.outbox.settlePending().settled()).isEqualTo(1);
      assertThat(f.ledger.batch(batch.batchId()))
          .get()
          .extracting(b -> b.merkleRoot())
          .isEqualTo(batch.merkleRoot());
      assertThat(f.ledger.status().height()).isEqualTo(heightBefore + 1);
      assertThat(f.outbox.settlePending().settled()).isZero();
      assertPaidOnce(f, batch);
    }
  }

  @Test
  void aBatchOnTheLedgerButNotMarkedSettledIsNotAppliedTwice(@TempDir Path dir) throws Exception {
    SettlementBatch batch;
    long heightAfterCommit;
    try (MarketFixture f = new MarketFixture(dir)) {
      batch = tradeOneRound(f);
      // The ledger commits, then the process dies before the outbox row is marked.
      f.market.feed().flush();
      f.ledger.settle(batch);
      heightAfterCommit = f.ledger.status().height();
      assertThat(f.store.outbox().pending()).hasSize(1);
    }
    try (MarketFixture f = new MarketFixture(dir)) {
      var pass = f.outbox.settlePending();
      assertThat(pass.settled()).isEqualTo(1);
      assertThat(f.store.outbox().pending()).isEmpty();
      assertThat(f.ledger.status().height()).isEqualTo(heightAfterCommit);
      assertThat(f.ledger.settle(batch).alreadySettled()).isTrue();
      assertPaidOnce(f, batch);
    }
  }

  private static void assertPaidOnce(MarketFixture f, SettlementBatch batch) throws Exception {
    long paid = batch.trades().stream().mapToLong(t -> t.amountMicros()).sum();
    assertThat(paid).isPositive();
    assertThat(f.ledger.balance(GRID.address()).availableMicros()).isEqualTo(paid);
    var dc = f.ledger.balance(DC.address());
    assertThat(dc.availableMicros() + dc.escrowMicros()).isEqualTo(10_000_000 - paid);
    assertThat(dc.escrowMicros()).isZero();
    assertThat(f.market.conservation().conserved()).isTrue();
  }
}
