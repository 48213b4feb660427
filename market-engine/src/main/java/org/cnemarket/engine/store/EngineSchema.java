package org.cnemarket.engine.store;

import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The engine database's tables, created or brought up to date in one transaction when it opens.
 * Columns added over time are added with {@code IF NOT EXISTS}.
 */
final class EngineSchema {
  private EngineSchema() {}

  static void migrate(Database db) {
    db.inTransaction(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute(
                "CREATE TABLE IF NOT EXISTS participants(address VARCHAR(42) PRIMARY KEY,"
                    + " role VARCHAR(16) NOT NULL, name VARCHAR(200) NOT NULL, registered_at BIGINT NOT NULL)");
            s.execute(
                "CREATE TABLE IF NOT EXISTS admitted_auditors(address VARCHAR(42) PRIMARY KEY,"
                    + " admitted_at BIGINT NOT NULL)");
            s.execute(
                "CREATE TABLE IF NOT EXISTS orders(order_id VARCHAR(66) PRIMARY KEY,"
                    + " trader VARCHAR(42) NOT NULL, kind VARCHAR(20) NOT NULL, slot BIGINT NOT NULL,"
                    + " last_slot BIGINT NOT NULL, nonce BIGINT NOT NULL, quantity BIGINT NOT NULL,"
                    + " price_micros BIGINT NOT NULL, filled BIGINT NOT NULL, status VARCHAR(12) NOT NULL,"
                    + " signed_json VARCHAR(16000) NOT NULL, accepted_at BIGINT NOT NULL,"
                    + " CONSTRAINT order_nonce UNIQUE(trader, nonce))");
            s.execute("CREATE INDEX IF NOT EXISTS orders_slot ON orders(status, slot, last_slot)");
            s.execute("CREATE INDEX IF NOT EXISTS orders_trader ON orders(trader)");
            s.execute(
                "CREATE TABLE IF NOT EXISTS deposits(deposit_id VARCHAR(100) PRIMARY KEY,"
                    + " account VARCHAR(42) NOT NULL, amount_micros BIGINT NOT NULL, created_at BIGINT NOT NULL)");
            s.execute(
                "CREATE TABLE IF NOT EXISTS rounds(round BIGINT PRIMARY KEY, slot BIGINT NOT NULL UNIQUE,"
                    + " batch_id VARCHAR(66) NOT NULL, trade_count INT NOT NULL, summary_json CLOB NOT NULL,"
                    + " inputs_json CLOB NOT NULL, outputs_json CLOB NOT NULL, inputs_hash VARCHAR(66) NOT NULL,"
                    + " outputs_hash VARCHAR(66) NOT NULL, closed_at BIGINT NOT NULL)");
            s.execute(
                "CREATE TABLE IF NOT EXISTS trades(trade_id VARCHAR(66) PRIMARY KEY, round BIGINT NOT NULL,"
                    + " seq INT NOT NULL, batch_id VARCHAR(66) NOT NULL, slot BIGINT NOT NULL,"
                    + " market VARCHAR(10) NOT NULL, buyer VARCHAR(42) NOT NULL, seller VARCHAR(42) NOT NULL,"
                    + " trade_json VARCHAR(16000) NOT NULL, CONSTRAINT trade_seq UNIQUE(round, seq))");
            s.execute("CREATE INDEX IF NOT EXISTS trades_buyer ON trades(buyer)");
            s.execute("CREATE INDEX IF NOT EXISTS trades_seller ON trades(seller)");
            s.execute(
                "CREATE TABLE IF NOT EXISTS outbox(batch_id VARCHAR(66) PRIMARY KEY, round BIGINT NOT NULL,"
                    + " payload CLOB NOT NULL, status VARCHAR(12) NOT NULL, attempts INT NOT NULL,"
                    + " last_error VARCHAR(2000), tx_id VARCHAR(200), block_number BIGINT NOT NULL,"
                    + " created_at BIGINT NOT NULL, settled_at BIGINT)");
            s.execute("CREATE TABLE IF NOT EXISTS kv(k VARCHAR(200) PRIMARY KEY, v CLOB NOT NULL)");
            // Every change of the mechanism parameters, with the first round it applies to: the
            // last row is what the next round clears with (each round's inputs record their own).
            s.execute(
                "CREATE TABLE IF NOT EXISTS mechanism_changes(seq BIGINT AUTO_INCREMENT PRIMARY KEY,"
                    + " from_round BIGINT NOT NULL, parameters_json VARCHAR(2000) NOT NULL,"
                    + " set_by VARCHAR(100) NOT NULL, set_at BIGINT NOT NULL)");
            // Small JSON documents as CLOBs go to H2's LOB store: 5-10x slower to write and read.
            for (String[] col :
                new String[][] {{"ORDERS", "SIGNED_JSON"}, {"TRADES", "TRADE_JSON"}}) {
              try (ResultSet r =
                  s.executeQuery(
                      "SELECT DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = '"
                          + col[0]
                          + "' AND COLUMN_NAME = '"
                          + col[1]
                          + "'")) {
                if (r.next() && r.getString(1).contains("LARGE OBJECT")) {
                  s.execute(
                      "ALTER TABLE "
                          + col[0]
                          + " ALTER COLUMN "
                          + col[1]
                          + " SET DATA TYPE VARCHAR(16000)");
                }
              }
            }
            // Ledger intents: the engine records first and takes each record onto the ledger
            // afterwards (DONE), so a crash in between is finished on start-up, never lost.
            s.execute(
                "ALTER TABLE participants ADD COLUMN IF NOT EXISTS ledger_state VARCHAR(10) DEFAULT 'DONE' NOT NULL");
            s.execute(
                "ALTER TABLE participants ADD COLUMN IF NOT EXISTS registration_json VARCHAR(4000)");
            s.execute(
                "ALTER TABLE deposits ADD COLUMN IF NOT EXISTS ledger_state VARCHAR(10) DEFAULT 'DONE' NOT NULL");
            s.execute(
                "ALTER TABLE orders ADD COLUMN IF NOT EXISTS ledger_state VARCHAR(10) DEFAULT 'DONE' NOT NULL");
            s.execute("ALTER TABLE orders ADD COLUMN IF NOT EXISTS ledger_error VARCHAR(2000)");
            s.execute(
                "ALTER TABLE orders ADD COLUMN IF NOT EXISTS locked_micros BIGINT DEFAULT 0 NOT NULL");
            s.execute(
                "ALTER TABLE orders ADD COLUMN IF NOT EXISTS spent_micros BIGINT DEFAULT 0 NOT NULL");
            s.execute(
                "ALTER TABLE orders ADD COLUMN IF NOT EXISTS escrow_open BOOLEAN DEFAULT FALSE NOT NULL");
            s.execute("ALTER TABLE orders ADD COLUMN IF NOT EXISTS seq BIGINT AUTO_INCREMENT");
            s.execute("CREATE INDEX IF NOT EXISTS orders_ledger ON orders(ledger_state, seq)");
            s.execute("CREATE INDEX IF NOT EXISTS trades_round ON trades(round, seq)");
            // Each trade's Merkle leaf, so a round's tree is rebuilt from 32-byte values, not JSON.
            s.execute("ALTER TABLE trades ADD COLUMN IF NOT EXISTS leaf VARBINARY(32)");
            s.execute(
                "ALTER TABLE outbox ADD COLUMN IF NOT EXISTS next_attempt_at BIGINT DEFAULT 0 NOT NULL");
            s.execute("ALTER TABLE outbox ADD COLUMN IF NOT EXISTS set_aside_at BIGINT");
            // The engine's view of every ledger account, moved in the same transaction as the
            // record that moves it: orders are checked for funds here, before the ledger sees them.
            s.execute(
                "CREATE TABLE IF NOT EXISTS accounts(address VARCHAR(42) PRIMARY KEY,"
                    + " available_micros BIGINT NOT NULL, escrow_micros BIGINT NOT NULL)");
            // A database without participants starts with an (empty) account view of its own;
            // one written before the view existed gets it from the ledger once (Reconciliation).
            s.execute(
                "MERGE INTO kv(k, v) KEY(k) SELECT 'accounts.view', '1' FROM DUAL"
                    + " WHERE NOT EXISTS(SELECT 1 FROM participants)");
          }
          return null;
        });
  }
}
