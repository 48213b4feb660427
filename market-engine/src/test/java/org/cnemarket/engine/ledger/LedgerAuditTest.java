package org.cnemarket.engine.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cnemarket.engine.MarketFixture.key;
import static org.cnemarket.engine.MarketFixture.order;
import static org.cnemarket.engine.MarketFixture.registration;
import static org.cnemarket.engine.MarketFixture.signed;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Role;
import org.cnemarket.engine.MarketFixture;
import org.cnemarket.engine.ledger.embedded.LedgerAudit;
import org.cnemarket.engine.store.Db;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audit verify} accepts an untouched ledger and names the first block an edit breaks. */
class LedgerAuditTest {
  static final Secp256k1.KeyPair GRID = key("audit-grid");
  static final Secp256k1.KeyPair DC = key("audit-dc");

  @TempDir
  Path dir;

  @BeforeEach
  void tradeTwoRounds() throws Exception {
    try (MarketFixture f = new MarketFixture(dir)) {
      f.market.register(registration(GRID, Role.MICROGRID, "grid"));
      f.market.register(registration(DC, Role.PROVIDER, "dc"));
      f.market.deposit("d1", DC.address(), 50_000_000);
      for (long slot = 10; slot < 12; slot++) {
        f.market.submitOrder(signed(order(OrderKind.ENERGY_OFFER, GRID, slot, 60_000, 70_000, slot), GRID));
        f.market.submitOrder(signed(order(OrderKind.ENERGY_BID, DC, slot, 50_000, 150_000, slot), DC));
        f.market.closeRound(slot);
        f.outbox.settlePending();
      }
    }
  }

  void sql(String statement) throws Exception {
    try (Connection c = Db.openFile(dir, "ledger"); Statement s = c.createStatement()) {
      assertThat(s.executeUpdate(statement)).isPositive();
      c.commit();
    }
  }

  @Test
  void anUntouchedLedgerVerifies() throws Exception {
    LedgerAudit.Report r = LedgerAudit.verify(dir);
    assertThat(r.problem()).isNull();
    assertThat(r.verified()).isTrue();
    assertThat(r.batches()).isEqualTo(2);
    assertThat(r.trades()).isEqualTo(2);
    assertThat(r.transactions()).isEqualTo(r.blocks() - 1);
  }

  @Test
  void anEditedBlockBodyIsNamed() throws Exception {
    sql("UPDATE blocks SET body = REPLACE(body, '\"timestampMillis\"', '\"timestampMillis\" ') WHERE number = 4");
    assertThat(LedgerAudit.verify(dir).problem()).startsWith("block 4:");
  }

  @Test
  void aReSignedButAlteredTransactionFailsOnReplay() throws Exception {
    // Changing a deposit's amount and fixing nothing else breaks the hash first.
    sql("UPDATE blocks SET body = REPLACE(body, '50000000', '60000000') WHERE body LIKE '%escrow:Deposit%'");
    LedgerAudit.Report r = LedgerAudit.verify(dir);
    assertThat(r.verified()).isFalse();
    assertThat(r.problem()).contains("does not match its hash");
  }

  @Test
  void anEditedWorldStateRowIsFound() throws Exception {
    sql("UPDATE world_state SET v = CAST('{}' AS VARBINARY) WHERE k = (SELECT MAX(k) FROM world_state)");
    LedgerAudit.Report r = LedgerAudit.verify(dir);
    assertThat(r.verified()).isFalse();
    assertThat(r.problem()).contains("differs from the replay");
  }

  @Test
  void aDeletedBlockBreaksTheChain() throws Exception {
    sql("DELETE FROM blocks WHERE number = 3");
    assertThat(LedgerAudit.verify(dir).problem()).startsWith("block 3:");
  }

  @Test
  void aForgedSignatureIsFound() throws Exception {
    sql("UPDATE blocks SET signature = CONCAT(SUBSTRING(signature, 1, 10), 'ff', SUBSTRING(signature, 13)) WHERE number = 2");
    assertThat(LedgerAudit.verify(dir).problem()).startsWith("block 2:");
  }
}
