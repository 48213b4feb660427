package org.cnemarket.engine.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cnemarket.engine.MarketFixture.key;
import static org.cnemarket.engine.MarketFixture.order;
import static org.cnemarket.engine.MarketFixture.registration;
import static org.cnemarket.engine.MarketFixture.signed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Role;
import org.cnemarket.engine.MarketFixture;
import org.cnemarket.engine.ledger.embedded.Checkpoint;
import org.cnemarket.engine.ledger.embedded.LedgerAudit;
import org.cnemarket.engine.store.Db;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audit verify} accepts an untouched ledger and names the first block an edit breaks. */
class LedgerAuditTest {
  static final Secp256k1.KeyPair GRID = key("audit-grid");
  static final Secp256k1.KeyPair DC = key("audit-dc");

  @TempDir Path dir;

  @BeforeEach
  void tradeTwoRounds() throws Exception {
    try (MarketFixture f = new MarketFixture(dir)) {
      f.market.register(registration(GRID, Role.MICROGRID, "grid"));
      f.market.register(registration(DC, Role.PROVIDER, "dc"));
      f.market.deposit("d1", DC.address(), 50_000_000);
      for (long slot = 10; slot < 12; slot++) {
        f.market.submitOrder(
            signed(order(OrderKind.ENERGY_OFFER, GRID, slot, 60_000, 70_000, slot), GRID));
        f.market.submitOrder(
            signed(order(OrderKind.ENERGY_BID, DC, slot, 50_000, 150_000, slot), DC));
        f.market.closeRound(slot);
        f.outbox.settlePending();
      }
    }
  }

  void sql(String statement) throws Exception {
    try (Connection c = Db.openFile(dir, "ledger");
        Statement s = c.createStatement()) {
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
    sql(
        "UPDATE blocks SET body = REPLACE(body, '\"timestampMillis\"', '\"timestampMillis\" ') WHERE number = 4");
    assertThat(LedgerAudit.verify(dir).problem()).startsWith("block 4:");
  }

  @Test
  void aReSignedButAlteredTransactionFailsOnReplay() throws Exception {
    // Changing a deposit's amount and fixing nothing else breaks the hash first.
    sql(
        "UPDATE blocks SET body = REPLACE(body, '50000000', '60000000') WHERE body LIKE '%escrow:Deposit%'");
    LedgerAudit.Report r = LedgerAudit.verify(dir);
    assertThat(r.verified()).isFalse();
    assertThat(r.problem()).contains("does not match its hash");
  }

  @Test
  void anEditedWorldStateRowIsFound() throws Exception {
    sql(
        "UPDATE world_state SET v = CAST('{}' AS VARBINARY) WHERE k = (SELECT MAX(k) FROM world_state)");
    LedgerAudit.Report r = LedgerAudit.verify(dir);
    assertThat(r.verified()).isFalse();
    assertThat(r.problem()).contains("differs from the replay");
  }

  @Test
  void anEditedKeyHistoryRowIsFound() throws Exception {
    // Blocks keep the hash of their write set; the writes themselves live in the key history.
    sql(
        "UPDATE key_history SET v = CAST('{}' AS VARBINARY) WHERE seq = (SELECT MAX(seq) FROM key_history)");
    LedgerAudit.Report r = LedgerAudit.verify(dir);
    assertThat(r.verified()).isFalse();
    assertThat(r.problem()).contains("the key history differs from its writes on replay");
  }

  @Test
  void aKeyHistoryRowNoBlockRecordsIsFound() throws Exception {
    sql(
        "INSERT INTO key_history(k, tx_id, ts, v) SELECT k, tx_id, ts, v FROM key_history"
            + " WHERE seq = (SELECT MAX(seq) FROM key_history)");
    LedgerAudit.Report r = LedgerAudit.verify(dir);
    assertThat(r.verified()).isFalse();
    assertThat(r.problem()).contains("that no block records");
  }

  @Test
  void anEditedEventLogRowIsFound() throws Exception {
    // Blocks keep the hash of their event; the payload the engine's feed reads is the event log's.
    sql(
        "UPDATE ledger_events SET payload = REPLACE(payload, '0', '1')"
            + " WHERE block = (SELECT MAX(block) FROM ledger_events)");
    LedgerAudit.Report r = LedgerAudit.verify(dir);
    assertThat(r.verified()).isFalse();
    assertThat(r.problem()).contains("the event log differs from its event on replay");
  }

  @Test
  void anEventLogRowNoBlockRecordsIsFound() throws Exception {
    sql(
        "INSERT INTO ledger_events(block, tx_id, name, payload) SELECT block + 1000, tx_id, name,"
            + " payload FROM ledger_events WHERE block = (SELECT MAX(block) FROM ledger_events)");
    LedgerAudit.Report r = LedgerAudit.verify(dir);
    assertThat(r.verified()).isFalse();
    assertThat(r.problem())
        .contains("the event log holds an event")
        .contains("that no block records");
  }

  @Test
  void blocksHoldTheHashesOfResultWritesAndEventNotTheirCopies() throws Exception {
    try (Connection c = Db.openFile(dir, "ledger");
        Statement s = c.createStatement();
        var r = s.executeQuery("SELECT body FROM blocks WHERE number > 0")) {
      while (r.next()) {
        assertThat(r.getString(1))
            .contains("\"writesHash\"")
            .contains("\"resultHash\"")
            .doesNotContain("\"writes\"")
            .doesNotContain("\"result\"");
      }
    }
  }

  @Test
  void aDeletedBlockBreaksTheChain() throws Exception {
    sql("DELETE FROM blocks WHERE number = 3");
    assertThat(LedgerAudit.verify(dir).problem()).startsWith("block 3:");
  }

  @Test
  void aCopyTruncatedAndRolledBackToAnEarlierStateFailsAgainstACheckpointNamingTheBlock()
      throws Exception {
    // The state after two rounds, kept aside: a genuine, self-consistent ledger that is shorter.
    Path before = dir.resolveSibling(dir.getFileName() + "-before");
    Files.createDirectories(before);
    Files.copy(dir.resolve("ledger.mv.db"), before.resolve("ledger.mv.db"));
    try (MarketFixture f = new MarketFixture(dir)) {
      f.market.submitOrder(
          signed(order(OrderKind.ENERGY_OFFER, GRID, 12, 60_000, 70_000, 12), GRID));
      f.market.submitOrder(signed(order(OrderKind.ENERGY_BID, DC, 12, 50_000, 150_000, 12), DC));
      f.market.closeRound(12);
      f.outbox.settlePending();
    }
    Checkpoint cp = LedgerAudit.checkpoint(dir, 1_000);
    assertThat(cp.signed()).isTrue();
    Path file = dir.resolveSibling("checkpoint.json");
    cp.write(file);
    assertThat(Checkpoint.read(file)).isEqualTo(cp);
    assertThat(LedgerAudit.verify(dir, Checkpoint.read(file)).verified()).isTrue();

    // The newest blocks deleted and their writes rolled back: verifies on its own ...
    Files.copy(
        before.resolve("ledger.mv.db"),
        dir.resolve("ledger.mv.db"),
        StandardCopyOption.REPLACE_EXISTING);
    assertThat(LedgerAudit.verify(dir).verified()).isTrue();
    // ... but not against the checkpoint, and the failure names the checkpoint's block.
    LedgerAudit.Report r = LedgerAudit.verify(dir, cp);
    assertThat(r.verified()).isFalse();
    assertThat(r.problem()).startsWith("block " + cp.number() + ": missing").contains("truncated");
  }

  @Test
  void aCheckpointOfAnotherNodeKeyOrAForgedOneIsRefused() throws Exception {
    Checkpoint cp = LedgerAudit.checkpoint(dir, 1_000);
    Secp256k1.KeyPair other = key("another-node");
    Checkpoint foreign =
        new Checkpoint(
            cp.number(),
            cp.hash(),
            other.address(),
            other.sign(Hex.decode(cp.hash(), 32)).toHex(),
            1_000);
    assertThat(LedgerAudit.verify(dir, foreign).problem())
        .startsWith("key: ")
        .contains(other.address());
    Path file = dir.resolveSibling("forged.json");
    new Checkpoint(cp.number(), cp.hash(), other.address(), cp.signature(), 1_000).write(file);
    assertThatThrownBy(() -> Checkpoint.read(file)).hasMessageContaining("block " + cp.number());
  }

  @Test
  void theNodeKeyIsKeptOutsideTheLedgerDatabaseInAnEncryptedKeystore() throws Exception {
    try (Connection c = Db.openFile(dir, "ledger");
        Statement s = c.createStatement();
        var r = s.executeQuery("SELECT COUNT(*) FROM ledger_meta WHERE k LIKE 'node%'")) {
      r.next();
      assertThat(r.getLong(1)).isZero();
    }
    String keystore = Files.readString(dir.resolve("node-key.json"));
    String node = LedgerAudit.verify(dir).nodeAddress();
    assertThat(keystore)
        .contains("\"address\":\"" + node.substring(2) + "\"")
        .contains("\"ciphertext\"");
  }

  @Test
  void aDeletedHeadBlockIsNamed() throws Exception {
    long head;
    try (Connection c = Db.openFile(dir, "ledger");
        Statement s = c.createStatement();
        var r = s.executeQuery("SELECT MAX(number) FROM blocks")) {
      r.next();
      head = r.getLong(1);
    }
    sql("DELETE FROM blocks WHERE number = " + head);
    assertThat(LedgerAudit.verify(dir).problem()).startsWith("block " + (head - 1) + " (head):");
  }

  @Test
  void aForgedSignatureIsFound() throws Exception {
    // Two hex digits changed to something else (the node key is new each run: they may be ff).
    sql(
        "UPDATE blocks SET signature = CONCAT(SUBSTRING(signature, 1, 10),"
            + " CASE WHEN SUBSTRING(signature, 11, 2) = 'ff' THEN '00' ELSE 'ff' END,"
            + " SUBSTRING(signature, 13)) WHERE number = 2");
    assertThat(LedgerAudit.verify(dir).problem()).startsWith("block 2:");
  }
}
