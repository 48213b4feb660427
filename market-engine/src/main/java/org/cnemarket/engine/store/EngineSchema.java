package org.cnemarket.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.PackedOrders;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.engine.round.PowerProfile;
import org.cnemarket.engine.store.IncentiveContracts.TakenContract;

/**
 * The engine database's tables, created or brought up to date in one transaction when it opens.
 * Columns added over time are added with {@code IF NOT EXISTS}; moves of data between tables are
 * numbered by the {@code schema.version} settings row.
 */
final class EngineSchema {
  /**
   * The version this code writes: 2 moved power models and incentive contracts to tables, 3 moved
   * orders' signed content to {@code order_bodies} and their fill, status and escrow to {@code
   * order_state}.
   */
  static final long VERSION = 3;

  static final String VERSION_KEY = "schema.version";

  /**
   * A record's way to the ledger; rows from before the column were on the ledger already. A column
   * default cannot be a parameter, so the enum's name goes into the text.
   */
  private static final String LEDGER_STATE_COLUMN =
      "ledger_state VARCHAR(10) DEFAULT '" + LedgerState.DONE.name() + "' NOT NULL";

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
                    + " accepted_at BIGINT NOT NULL,"
                    + " CONSTRAINT order_nonce UNIQUE(trader, nonce))");
            // Orders laid out as before order_state (a new table starts so, and moves at once).
            boolean stateInRow = hasColumn(c, "ORDERS", "STATUS");
            if (stateInRow) {
              s.execute(
                  "CREATE INDEX IF NOT EXISTS orders_slot ON orders(status, slot, last_slot)");
            }
            // A trader's orders are found by the order_nonce index, which starts with the trader.
            s.execute("DROP INDEX IF EXISTS orders_trader");
            s.execute(
                "CREATE TABLE IF NOT EXISTS deposits(deposit_id VARCHAR(100) PRIMARY KEY,"
                    + " account VARCHAR(42) NOT NULL, amount_micros BIGINT NOT NULL, created_at BIGINT NOT NULL)");
            s.execute(
                "CREATE TABLE IF NOT EXISTS rounds(round BIGINT PRIMARY KEY, slot BIGINT NOT NULL UNIQUE,"
                    + " batch_id VARCHAR(66) NOT NULL, trade_count INT NOT NULL, summary_json CLOB NOT NULL,"
                    + " inputs_json CLOB NOT NULL, outputs_json CLOB NOT NULL, inputs_hash VARCHAR(66) NOT NULL,"
                    + " outputs_hash VARCHAR(66) NOT NULL, closed_at BIGINT NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS " + TRADES_TABLE);
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
            s.execute("ALTER TABLE participants ADD COLUMN IF NOT EXISTS " + LEDGER_STATE_COLUMN);
            s.execute(
                "ALTER TABLE participants ADD COLUMN IF NOT EXISTS registration_json VARCHAR(4000)");
            s.execute("ALTER TABLE deposits ADD COLUMN IF NOT EXISTS " + LEDGER_STATE_COLUMN);
            s.execute("ALTER TABLE orders ADD COLUMN IF NOT EXISTS " + LEDGER_STATE_COLUMN);
            s.execute("ALTER TABLE orders ADD COLUMN IF NOT EXISTS ledger_error VARCHAR(2000)");
            s.execute(
                "ALTER TABLE orders ADD COLUMN IF NOT EXISTS locked_micros BIGINT DEFAULT 0 NOT NULL");
            if (stateInRow) {
              s.execute(
                  "ALTER TABLE orders ADD COLUMN IF NOT EXISTS spent_micros BIGINT DEFAULT 0 NOT NULL");
              s.execute(
                  "ALTER TABLE orders ADD COLUMN IF NOT EXISTS escrow_open BOOLEAN DEFAULT FALSE NOT NULL");
            }
            s.execute("ALTER TABLE orders ADD COLUMN IF NOT EXISTS seq BIGINT AUTO_INCREMENT");
            // H2 commits an identity sequence on its own each time its cache (32 by default) runs
            // out; a large cache keeps that off the intake. Values stay increasing; a crash only
            // leaves a gap.
            s.execute("ALTER TABLE orders ALTER COLUMN seq SET CACHE 65536");
            // The feed reads the orders above its mark by sequence number (orders_by_seq): every
            // order there is on its way to the ledger, so an index of ledger states is not needed.
            s.execute("DROP INDEX IF EXISTS orders_ledger");
            // An order's signed content, packed, in its row (rounds and settlements change only
            // order_state, so the row is written once). Databases that kept it apart, or as JSON,
            // move it here once.
            if (!hasColumn(c, "ORDERS", "PACKED")) {
              s.execute(
                  "CREATE TABLE IF NOT EXISTS order_bodies(seq BIGINT PRIMARY KEY,"
                      + " signed_json VARCHAR(16000) NOT NULL)");
              moveOrderBodies(c);
              packOrderBodies(c);
              s.execute("ALTER TABLE orders ADD COLUMN packed VARBINARY(141)");
              s.execute(
                  "UPDATE orders o SET packed = (SELECT b.packed FROM order_bodies b WHERE b.seq ="
                      + " o.seq)");
              s.execute("ALTER TABLE orders ALTER COLUMN packed SET NOT NULL");
              s.execute("DROP TABLE order_bodies");
            }
            // What a round and a settlement change of an order (fill, status, escrow spent), keyed
            // by sequence number and apart from the order's row: H2 rewrites every index of a row
            // it updates, and an order's row has four (id, nonce, ledger state, sequence).
            s.execute(
                "CREATE TABLE IF NOT EXISTS order_state(seq BIGINT PRIMARY KEY,"
                    + " status VARCHAR(12) NOT NULL, slot BIGINT NOT NULL, last_slot BIGINT NOT NULL,"
                    + " filled BIGINT NOT NULL, spent_micros BIGINT NOT NULL,"
                    + " escrow_open BOOLEAN NOT NULL)");
            s.execute(
                "CREATE INDEX IF NOT EXISTS order_state_open ON order_state(status, slot, last_slot)");
            // Sequence numbers are unique by construction: a unique index would look each new
            // one up before inserting it (a fifth of the intake writer's time).
            s.execute("DROP INDEX IF EXISTS orders_seq");
            s.execute("CREATE INDEX IF NOT EXISTS orders_by_seq ON orders(seq)");
            keyOrdersById(c);
            if (stateInRow) {
              moveOrderState(c);
            }
            // The ledger feed takes orders in sequence: one mark says how far, instead of a row
            // rewritten per order (see Orders.doneSeq).
            s.execute(
                "CREATE TABLE IF NOT EXISTS order_feed(id INT PRIMARY KEY, done_seq BIGINT NOT NULL)");
            s.execute(
                "MERGE INTO order_feed(id, done_seq) KEY(id) SELECT 1, 0 WHERE NOT EXISTS"
                    + " (SELECT 1 FROM order_feed)");
            packTrades(c);
            // A trade is found by id through its key (Trades.BY_ID).
            s.execute("CREATE INDEX IF NOT EXISTS trades_key ON trades(trade_key)");
            // Trade pages, newest first, read in index order (Trades.listWhere).
            s.execute(
                "CREATE INDEX IF NOT EXISTS trades_slot ON trades(slot DESC, round DESC, seq)");
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
          tablesOfVersion2(c);
          surfaceTables(c);
          // Rounds closed before trees were stored get theirs on the first proof asked.
          RoundTrees.createTables(c);
          if (version(c) < 2) {
            moveSettingsToTables(c);
          }
          Sql.update(
              c,
              "MERGE INTO kv(k, v) KEY(k) VALUES(?, ?)",
              List.of(VERSION_KEY, Long.toString(VERSION)));
          return null;
        });
  }

  /**
   * Orders written before {@code order_bodies} kept their signed content in the row: it moves out,
   * once, keyed by the order's sequence number.
   */
  private static void moveOrderBodies(Connection c) throws SQLException {
    if (hasColumn(c, "ORDERS", "SIGNED_JSON")) {
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO order_bodies(seq, signed_json) SELECT seq, signed_json FROM orders");
        s.execute("ALTER TABLE orders DROP COLUMN signed_json");
      }
    }
  }

  /**
   * An order's signed content is kept packed ({@link PackedOrders}: 141 bytes, read without parsing
   * text) instead of as JSON (about 450 bytes): bodies written as JSON are packed, once.
   */
  private static void packOrderBodies(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("ALTER TABLE order_bodies ADD COLUMN IF NOT EXISTS packed VARBINARY(141)");
      if (!hasColumn(c, "ORDER_BODIES", "SIGNED_JSON")) {
        return;
      }
      updateEach(
          c,
          "SELECT seq, signed_json FROM order_bodies WHERE packed IS NULL",
          "UPDATE order_bodies SET packed = ? WHERE seq = ?",
          (u, r) ->
              u.setBytes(1, PackedOrders.packOne(RecordCodec.signedOrderFromJson(r.getString(2)))));
      s.execute("ALTER TABLE order_bodies DROP COLUMN signed_json");
    }
  }

  /**
   * Orders written before {@code order_state} kept their fill, status and escrow in the row: they
   * move out, once, keyed by the order's sequence number.
   */
  private static void moveOrderState(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO order_state(seq, status, slot, last_slot, filled, spent_micros, escrow_open)"
              + " SELECT seq, status, slot, last_slot, filled, spent_micros, escrow_open FROM orders");
      s.execute("DROP INDEX IF EXISTS orders_slot");
      for (String column : List.of("status", "filled", "spent_micros", "escrow_open")) {
        s.execute("ALTER TABLE orders DROP COLUMN " + column);
      }
    }
  }

  /**
   * Orders are found by id through a 64-bit key ({@link Orders#key}) instead of a primary key on
   * the 66-character id: ids are hashes, so each intake group inserts into leaves all over that
   * index, and a commit rewrites every leaf it touched; a key a fifth the size touches a fifth of
   * the pages. An id stays unique without the constraint: it is the hash of the signed order, whose
   * trader and nonce are unique ({@code order_nonce}).
   */
  private static void keyOrdersById(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("ALTER TABLE orders ADD COLUMN IF NOT EXISTS order_key BIGINT");
      updateEach(
          c,
          "SELECT seq, order_id FROM orders WHERE order_key IS NULL",
          "UPDATE orders SET order_key = ? WHERE seq = ?",
          (u, r) -> u.setLong(1, Orders.key(r.getString(2))));
      s.execute("CREATE INDEX IF NOT EXISTS orders_key ON orders(order_key)");
      boolean primaryKey =
          Sql.number(
                  c,
                  "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA ="
                      + " 'PUBLIC' AND TABLE_NAME = 'ORDERS' AND CONSTRAINT_TYPE = 'PRIMARY KEY'",
                  List.of())
              > 0;
      if (primaryKey) {
        s.execute("ALTER TABLE orders DROP PRIMARY KEY");
      }
    }
  }

  /**
   * Trades keyed by number ({@link Trades#number}), their content packed ({@link PackedTrades}): a
   * round's trades are one range of the table's own tree, and a trade row has two small indexes
   * (key, slot order) where one keyed by its 66-character id (a hash) had four more, two of them
   * strings no query read (buyer, seller: a participant's pages read the slot order).
   */
  private static final String TRADES_TABLE =
      "trades(trade_no BIGINT PRIMARY KEY, trade_key BIGINT NOT NULL, round BIGINT NOT NULL,"
          + " seq INT NOT NULL, slot BIGINT NOT NULL, market VARCHAR(10) NOT NULL,"
          + " buyer VARCHAR(42) NOT NULL, seller VARCHAR(42) NOT NULL,"
          + " body VARBINARY("
          + PackedTrades.BYTES
          + ") NOT NULL)";

  /**
   * Trades stored as JSON, keyed by id, move to the packed layout ({@link #TRADES_TABLE}), once, in
   * round and batch order.
   */
  private static void packTrades(Connection c) throws SQLException {
    if (!hasColumn(c, "TRADES", "TRADE_JSON")) {
      return;
    }
    try (Statement s = c.createStatement()) {
      s.execute("ALTER TABLE trades RENAME TO trades_json");
      s.execute("CREATE TABLE " + TRADES_TABLE);
      try (Statement q = c.createStatement();
          PreparedStatement u = c.prepareStatement(Trades.INSERT);
          ResultSet r =
              q.executeQuery("SELECT seq, trade_json FROM trades_json ORDER BY round, seq")) {
        int n = 0;
        while (r.next()) {
          Trades.bindInsert(u, RecordCodec.tradeFromJson(r.getString(2)), r.getLong(1));
          u.addBatch();
          if (++n % 10_000 == 0) {
            u.executeBatch();
          }
        }
        u.executeBatch();
      }
      s.execute("DROP TABLE trades_json");
    }
  }

  /** Sets parameter 1 of an update from a row of the select (whose first column is seq). */
  private interface RowValue {
    void set(PreparedStatement update, ResultSet row) throws SQLException;
  }

  /**
   * Runs {@code update} ({@code ... SET column = ? WHERE seq = ?}) for every row {@code select}
   * returns, in batches, the new value from {@code value}.
   */
  private static void updateEach(Connection c, String select, String update, RowValue value)
      throws SQLException {
    try (Statement s = c.createStatement();
        PreparedStatement u = c.prepareStatement(update);
        ResultSet r = s.executeQuery(select)) {
      int n = 0;
      while (r.next()) {
        value.set(u, r);
        u.setLong(2, r.getLong(1));
        u.addBatch();
        if (++n % 10_000 == 0) {
          u.executeBatch();
        }
      }
      u.executeBatch();
    }
  }

  private static boolean hasColumn(Connection c, String table, String column) throws SQLException {
    return Sql.number(
            c,
            "SELECT COUNT(*) FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'PUBLIC'"
                + " AND TABLE_NAME = ? AND COLUMN_NAME = ?",
            List.of(table, column))
        > 0;
  }

  /** The schema version of the database as it was opened (1 before versions were numbered). */
  static long version(Connection c) throws SQLException {
    return Sql.first(c, "SELECT v FROM kv WHERE k = ?", List.of(VERSION_KEY), r -> r.getString(1))
        .map(Long::parseLong)
        .orElse(1L);
  }

  private static void tablesOfVersion2(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS power_models(provider VARCHAR(42) PRIMARY KEY,"
              + " idle_w BIGINT NOT NULL, peak_w BIGINT NOT NULL, pue_bps BIGINT NOT NULL,"
              + " utilisation_bps BIGINT NOT NULL, network_bits_per_unit BIGINT NOT NULL,"
              + " network_picojoules_per_bit BIGINT NOT NULL)");
      // nonce holds the bits of the signed uint64 (negative above 2^63 - 1).
      s.execute(
          "CREATE TABLE IF NOT EXISTS incentive_contracts(epoch BIGINT NOT NULL,"
              + " provider VARCHAR(42) NOT NULL, contract_index BIGINT NOT NULL,"
              + " provider_type BIGINT NOT NULL, nonce BIGINT NOT NULL,"
              + " committed_milli_units BIGINT NOT NULL, reward_micros BIGINT NOT NULL,"
              + " PRIMARY KEY(epoch, provider))");
    }
  }

  /**
   * The web surfaces' tables: sign-in nonces, idempotent responses, meter readings and webhooks
   * ({@code notify.WebhookStore}). Each stands on its own; no data moves into them.
   */
  private static void surfaceTables(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS auth_nonce(nonce VARCHAR(64) PRIMARY KEY, address VARCHAR(42) NOT NULL,"
              + " expires_at BIGINT NOT NULL, used BOOLEAN NOT NULL)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS idempotency(scope VARCHAR(100) NOT NULL, idem_key VARCHAR(200) NOT NULL,"
              + " request_hash VARCHAR(64) NOT NULL, status INT NOT NULL, content_type VARCHAR(100), body CLOB,"
              + " created_at BIGINT NOT NULL, PRIMARY KEY(scope, idem_key))");
      s.execute(
          "CREATE TABLE IF NOT EXISTS meter_reading(trade_id VARCHAR(66) PRIMARY KEY, round BIGINT NOT NULL,"
              + " slot BIGINT NOT NULL, market VARCHAR(10) NOT NULL, buyer VARCHAR(42) NOT NULL, seller VARCHAR(42) NOT NULL,"
              + " buy_order_id VARCHAR(66) NOT NULL, sell_order_id VARCHAR(66) NOT NULL, contracted BIGINT NOT NULL,"
              + " delivered BIGINT NOT NULL, certified_wh BIGINT NOT NULL, reported_by VARCHAR(42) NOT NULL,"
              + " reported_at BIGINT NOT NULL)");
      s.execute("CREATE INDEX IF NOT EXISTS meter_reading_buyer ON meter_reading(buyer)");
      s.execute("CREATE INDEX IF NOT EXISTS meter_reading_seller ON meter_reading(seller)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS webhook(webhook_id VARCHAR(40) PRIMARY KEY, owner VARCHAR(42) NOT NULL,"
              + " url VARCHAR(2000) NOT NULL, secret VARCHAR(64) NOT NULL, created_at BIGINT NOT NULL)");
      s.execute("CREATE INDEX IF NOT EXISTS webhook_owner ON webhook(owner)");
    }
  }

  /**
   * Version 1 kept power models ({@code profile:<provider>}) and taken incentive contracts ({@code
   * contract:<epoch>:<provider>}) as JSON in settings rows: they move to their tables.
   */
  private static void moveSettingsToTables(Connection c) throws SQLException {
    List<String[]> rows =
        Sql.list(
            c,
            "SELECT k, v FROM kv WHERE k LIKE 'profile:%' OR k LIKE 'contract:%' ORDER BY k",
            List.of(),
            r -> new String[] {r.getString(1), r.getString(2)});
    for (String[] row : rows) {
      String[] key = row[0].split(":", -1);
      if (key[0].equals("profile") && key.length == 2) {
        PowerModels.put(c, key[1], PowerProfile.fromJson(Fields.of(Json.parse(row[1]), row[0])));
      } else if (key[0].equals("contract") && key.length == 3) {
        Fields f = Fields.of(Json.parse(row[1]), row[0]);
        IncentiveContracts.insert(
            c,
            new TakenContract(
                key[2],
                Long.parseLong(key[1]),
                f.longValue("index"),
                f.longValue("type"),
                f.uint64("nonce"),
                f.longValue("committedMilliUnits"),
                f.longValue("rewardMicros")));
      } else {
        continue;
      }
      Sql.update(c, "DELETE FROM kv WHERE k = ?", List.of(row[0]));
    }
  }
}
