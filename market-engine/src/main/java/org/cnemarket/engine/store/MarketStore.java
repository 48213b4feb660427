package org.cnemarket.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Participant;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Trade;
import org.cnemarket.core.model.Units;

/**
 * The engine database. One connection, serialised by this object's monitor: the engine is a single
 * writer, and every multi-row change (a closed round with its trades, order fills and outbox entry)
 * commits in one transaction.
 */
public final class MarketStore implements AutoCloseable {

  /** An order as the engine tracks it: how much is filled and whether it is still open. */
  public record StoredOrder(
      String orderId, SignedOrder signed, long filled, String status, long acceptedAtMillis) {
    public long remaining() {
      return signed.order().quantity() - filled;
    }
  }

  /** A closed round. {@code summaryJson} holds prices, volumes and mechanism results. */
  public record RoundRecord(
      long round,
      long slot,
      String batchId,
      int tradeCount,
      String summaryJson,
      String inputsJson,
      String outputsJson,
      String inputsHash,
      String outputsHash,
      long closedAtMillis) {}

  /** A settlement batch waiting for (or past) its ledger commit. */
  public record OutboxEntry(
      String batchId,
      long round,
      String payloadJson,
      String status,
      int attempts,
      String lastError,
      String txId,
      long blockNumber) {}

  /** Fill and status change of one order, applied with its round. */
  public record OrderUpdate(String orderId, long filled, String status) {}

  public static final String OPEN = "OPEN";
  public static final String FILLED = "FILLED";
  public static final String CLOSED = "CLOSED";
  public static final String PENDING = "PENDING";
  public static final String SETTLED = "SETTLED";

  /** A batch the ledger refused: kept out of the line until an operator re-plans it. */
  public static final String SET_ASIDE = "SET_ASIDE";

  /** An order the ledger refused after the engine had accepted it (its escrow is released). */
  public static final String REJECTED = "REJECTED";

  /** Ledger states of an engine record. */
  public static final String LEDGER_PENDING = "PENDING";

  public static final String LEDGER_DONE = "DONE";
  public static final String LEDGER_REFUSED = "REFUSED";

  private final Connection c;

  public MarketStore(Connection connection) {
    this.c = connection;
    migrate();
  }

  private void migrate() {
    tx(
        () -> {
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
            // H2 commits an identity sequence on its own each time its cache (32 by default) runs
            // out; a large cache keeps that off the intake. Values stay increasing; a crash only
            // leaves a gap.
            s.execute("ALTER TABLE orders ALTER COLUMN seq SET CACHE 65536");
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

  // ---- key/value settings (the engine's own identity, ledger cursors) ----

  public synchronized Optional<String> setting(String key) {
    return tx(
        () -> {
          try (PreparedStatement p = c.prepareStatement("SELECT v FROM kv WHERE k = ?")) {
            p.setString(1, key);
            try (ResultSet r = p.executeQuery()) {
              return r.next() ? Optional.of(r.getString(1)) : Optional.<String>empty();
            }
          }
        });
  }

  public synchronized void putSetting(String key, String value) {
    tx(
        () -> {
          try (PreparedStatement p =
              c.prepareStatement("MERGE INTO kv(k, v) KEY(k) VALUES(?, ?)")) {
            p.setString(1, key);
            p.setString(2, value);
            p.executeUpdate();
          }
          return null;
        });
  }

  // ---- participants ----

  /**
   * Records a participant whose registration is not yet on the ledger (see {@link
   * #markParticipantOnLedger}).
   */
  public synchronized void insertParticipant(
      Participant p, String registrationJson, long nowMillis) {
    tx(
        () -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO participants(address, role, name, registered_at, ledger_state, registration_json)"
                      + " VALUES(?,?,?,?,?,?)")) {
            s.setString(1, p.address());
            s.setString(2, p.role().name());
            s.setString(3, p.name());
            s.setLong(4, nowMillis);
            s.setString(5, registrationJson == null ? LEDGER_DONE : LEDGER_PENDING);
            s.setString(6, registrationJson);
            s.executeUpdate();
          }
          return null;
        });
  }

  public synchronized void insertParticipant(Participant p, long nowMillis) {
    insertParticipant(p, null, nowMillis);
  }

  public synchronized void markParticipantOnLedger(String address) {
    setLedgerState("participants", "address", address, LEDGER_DONE);
  }

  /** Forgets a registration the ledger refused; nothing can refer to it yet but refused orders. */
  public synchronized void removeRefusedParticipant(String address) {
    tx(
        () -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "DELETE FROM participants WHERE address = ? AND ledger_state = ?")) {
            s.setString(1, address);
            s.setString(2, LEDGER_PENDING);
            s.executeUpdate();
          }
          return null;
        });
  }

  /**
   * Signed registrations recorded by the engine and not yet confirmed by the ledger, oldest first.
   */
  public synchronized List<String> pendingRegistrations() {
    return tx(
        () ->
            strings(
                "SELECT registration_json FROM participants WHERE ledger_state = 'PENDING' ORDER BY registered_at, address",
                List.of()));
  }

  // ---- auditors the operator admitted ----

  /** Admits {@code address} to register as an auditor; false when it was admitted already. */
  public synchronized boolean admitAuditor(String address, long nowMillis) {
    return tx(
        () -> {
          try (PreparedStatement q =
              c.prepareStatement("SELECT 1 FROM admitted_auditors WHERE address = ?")) {
            q.setString(1, address);
            try (ResultSet r = q.executeQuery()) {
              if (r.next()) {
                return false;
              }
            }
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO admitted_auditors(address, admitted_at) VALUES(?,?)")) {
            s.setString(1, address);
            s.setLong(2, nowMillis);
            s.executeUpdate();
          }
          return true;
        });
  }

  /** Admitted auditor addresses and when, oldest first. */
  public synchronized List<Map.Entry<String, Long>> admittedAuditors() {
    return tx(
        () -> {
          List<Map.Entry<String, Long>> out = new ArrayList<>();
          try (PreparedStatement q =
              c.prepareStatement(
                  "SELECT address, admitted_at FROM admitted_auditors ORDER BY admitted_at, address")) {
            try (ResultSet r = q.executeQuery()) {
              while (r.next()) {
                out.add(Map.entry(r.getString(1), r.getLong(2)));
              }
            }
          }
          return out;
        });
  }

  public synchronized boolean auditorAdmitted(String address) {
    return tx(
        () -> {
          try (PreparedStatement q =
              c.prepareStatement("SELECT 1 FROM admitted_auditors WHERE address = ?")) {
            q.setString(1, address);
            try (ResultSet r = q.executeQuery()) {
              return r.next();
            }
          }
        });
  }

  public synchronized Optional<Participant> participant(String address) {
    return tx(
        () -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT address, role, name FROM participants WHERE address = ?")) {
            s.setString(1, address);
            try (ResultSet r = s.executeQuery()) {
              return r.next()
                  ? Optional.of(
                      new Participant(r.getString(1), Role.valueOf(r.getString(2)), r.getString(3)))
                  : Optional.<Participant>empty();
            }
          }
        });
  }

  public synchronized List<Participant> participants(Role role, int offset, int limit) {
    return tx(
        () -> {
          String sql =
              "SELECT address, role, name FROM participants"
                  + (role == null ? "" : " WHERE role = ?")
                  + " ORDER BY registered_at, address OFFSET ? ROWS FETCH NEXT ? ROWS ONLY";
          try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            if (role != null) {
              s.setString(i++, role.name());
            }
            s.setInt(i++, offset);
            s.setInt(i, limit);
            List<Participant> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                out.add(
                    new Participant(r.getString(1), Role.valueOf(r.getString(2)), r.getString(3)));
              }
            }
            return out;
          }
        });
  }

  // ---- deposits ----

  /** True when {@code depositId} was recorded for another account or amount. */
  public synchronized boolean depositConflicts(
      String depositId, String account, long amountMicros) {
    return tx(
        () -> {
          try (PreparedStatement q =
              c.prepareStatement(
                  "SELECT account, amount_micros FROM deposits WHERE deposit_id = ?")) {
            q.setString(1, depositId);
            try (ResultSet r = q.executeQuery()) {
              return r.next() && (!r.getString(1).equals(account) || r.getLong(2) != amountMicros);
            }
          }
        });
  }

  /** Records a deposit; returns false when the id exists already (with the same data). */
  public synchronized boolean insertDeposit(
      String depositId, String account, long amountMicros, long nowMillis) {
    return tx(
        () -> {
          try (PreparedStatement q =
              c.prepareStatement(
                  "SELECT account, amount_micros FROM deposits WHERE deposit_id = ?")) {
            q.setString(1, depositId);
            try (ResultSet r = q.executeQuery()) {
              if (r.next()) {
                if (!r.getString(1).equals(account) || r.getLong(2) != amountMicros) {
                  throw new IllegalStateException(
                      "deposit id " + depositId + " was used for another deposit");
                }
                return false;
              }
            }
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO deposits(deposit_id, account, amount_micros, created_at, ledger_state) VALUES(?,?,?,?,?)")) {
            s.setString(1, depositId);
            s.setString(2, account);
            s.setLong(3, amountMicros);
            s.setLong(4, nowMillis);
            s.setString(5, LEDGER_PENDING);
            s.executeUpdate();
          }
          moveAccount(account, amountMicros, 0);
          return true;
        });
  }

  public synchronized long totalDepositsMicros() {
    return tx(
        () -> {
          try (Statement s = c.createStatement();
              ResultSet r =
                  s.executeQuery("SELECT COALESCE(SUM(amount_micros), 0) FROM deposits")) {
            r.next();
            return r.getLong(1);
          }
        });
  }

  public synchronized List<String> depositAccounts() {
    return tx(
        () -> {
          List<String> out = new ArrayList<>();
          try (Statement s = c.createStatement();
              ResultSet r =
                  s.executeQuery("SELECT DISTINCT account FROM deposits ORDER BY account")) {
            while (r.next()) {
              out.add(r.getString(1));
            }
          }
          return out;
        });
  }

  // ---- orders ----

  public synchronized boolean nonceUsed(String trader, long nonce) {
    return tx(
        () -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT 1 FROM orders WHERE trader = ? AND nonce = ?")) {
            s.setString(1, trader);
            s.setLong(2, nonce);
            try (ResultSet r = s.executeQuery()) {
              return r.next();
            }
          }
        });
  }

  // ---- ledger intents: deposits and orders on their way to the ledger ----

  public synchronized void markDepositOnLedger(String depositId) {
    setLedgerState("deposits", "deposit_id", depositId, LEDGER_DONE);
  }

  /** Reverses a deposit the ledger refused: the credit leaves the engine's account view. */
  public synchronized void refuseDeposit(String depositId) {
    tx(
        () -> {
          try (PreparedStatement q =
              c.prepareStatement(
                  "SELECT account, amount_micros FROM deposits WHERE deposit_id = ? AND ledger_state = 'PENDING'")) {
            q.setString(1, depositId);
            try (ResultSet r = q.executeQuery()) {
              if (r.next()) {
                moveAccount(r.getString(1), -r.getLong(2), 0);
              }
            }
          }
          try (PreparedStatement s =
              c.prepareStatement("DELETE FROM deposits WHERE deposit_id = ?")) {
            s.setString(1, depositId);
            s.executeUpdate();
          }
          return null;
        });
  }

  /** A deposit recorded by the engine and not yet confirmed by the ledger. */
  public record PendingDeposit(String depositId, String account, long amountMicros) {}

  public synchronized List<PendingDeposit> pendingDeposits() {
    return list(
        "SELECT deposit_id, account, amount_micros FROM deposits WHERE ledger_state = 'PENDING'"
            + " ORDER BY created_at, deposit_id",
        r -> new PendingDeposit(r.getString(1), r.getString(2), r.getLong(3)));
  }

  /**
   * The deposits of {@code account} the ledger confirmed, oldest first: what a repair sends again
   * when the ledger lost them (a deposit is idempotent on its id, so one it holds is a no-op).
   */
  public synchronized List<PendingDeposit> depositsOnLedger(String account) {
    return tx(
        () -> {
          List<PendingDeposit> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT deposit_id, account, amount_micros FROM deposits WHERE account = ?"
                      + " AND ledger_state = 'DONE' ORDER BY created_at, deposit_id")) {
            s.setString(1, account.toLowerCase(Locale.ROOT));
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                out.add(new PendingDeposit(r.getString(1), r.getString(2), r.getLong(3)));
              }
            }
          }
          return out;
        });
  }

  /**
   * The participant's own signed registration as the engine recorded it (JSON), if it has one: a
   * repair registers it again on a ledger that lost it.
   */
  public synchronized Optional<String> registrationJson(String address) {
    return tx(
        () -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT registration_json FROM participants WHERE address = ?"
                      + " AND registration_json IS NOT NULL")) {
            s.setString(1, address.toLowerCase(Locale.ROOT));
            try (ResultSet r = s.executeQuery()) {
              return r.next() ? Optional.of(r.getString(1)) : Optional.<String>empty();
            }
          }
        });
  }

  /** One row of a result, read into a value. */
  @FunctionalInterface
  private interface Row<T> {
    T read(ResultSet r) throws SQLException;
  }

  /** Every row of a query without parameters, in its own transaction. */
  private <T> List<T> list(String sql, Row<T> row) {
    return tx(
        () -> {
          List<T> out = new ArrayList<>();
          try (Statement s = c.createStatement();
              ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
              out.add(row.read(r));
            }
          }
          return out;
        });
  }

  /** An order for the intake: its id, signed content and the escrow a buy order locks. */
  public record IntakeOrder(String orderId, SignedOrder signed, long lockMicros, boolean buy) {}

  /** Why the intake refused an order that passed its stateless checks. */
  public enum IntakeRefusal {
    NONCE_USED,
    SLOT_CLOSED,
    INSUFFICIENT_FUNDS
  }

  /**
   * Records a group of orders in one transaction (group commit): each is checked against the orders
   * before it (nonce unused, slot still open, funds for a buy order's escrow), then inserted with
   * its escrow moved in the account view. Returns null for an accepted order and the refusal
   * otherwise, index for index. Nothing of a refused order is written.
   */
  public synchronized List<IntakeRefusal> acceptOrders(List<IntakeOrder> group, long nowMillis) {
    return tx(
        () -> {
          long closedSlot = -1;
          try (Statement s = c.createStatement();
              ResultSet r = s.executeQuery("SELECT MAX(slot) FROM rounds")) {
            r.next();
            long v = r.getLong(1);
            closedSlot = r.wasNull() ? -1 : v;
          }
          List<IntakeRefusal> out = new ArrayList<>(group.size());
          Set<String> noncesInGroup = new HashSet<>();
          Map<String, long[]> accounts = new HashMap<>();
          try (PreparedStatement nonce =
                  c.prepareStatement("SELECT 1 FROM orders WHERE trader = ? AND nonce = ?");
              PreparedStatement acct =
                  c.prepareStatement(
                      "SELECT available_micros, escrow_micros FROM accounts WHERE address = ?");
              PreparedStatement ins =
                  c.prepareStatement(
                      "INSERT INTO orders(order_id, trader, kind, slot, last_slot, nonce, quantity, price_micros, filled,"
                          + " status, signed_json, accepted_at, ledger_state, locked_micros, spent_micros, escrow_open)"
                          + " VALUES(?,?,?,?,?,?,?,?,0,'OPEN',?,?,'PENDING',?,0,?)")) {
            for (IntakeOrder io : group) {
              var o = io.signed().order();
              if (o.lastSlot() <= closedSlot) {
                out.add(IntakeRefusal.SLOT_CLOSED);
                continue;
              }
              String nonceKey = o.trader() + "/" + o.nonce();
              nonce.setString(1, o.trader());
              nonce.setLong(2, o.nonce());
              boolean used;
              try (ResultSet r = nonce.executeQuery()) {
                used = r.next();
              }
              if (used || !noncesInGroup.add(nonceKey)) {
                out.add(IntakeRefusal.NONCE_USED);
                continue;
              }
              if (io.buy()) {
                long[] a = accounts.get(o.trader());
                if (a == null) {
                  acct.setString(1, o.trader());
                  try (ResultSet r = acct.executeQuery()) {
                    a = r.next() ? new long[] {r.getLong(1), r.getLong(2)} : new long[] {0, 0};
                  }
                  accounts.put(o.trader(), a);
                }
                if (a[0] < io.lockMicros()) {
                  noncesInGroup.remove(nonceKey);
                  out.add(IntakeRefusal.INSUFFICIENT_FUNDS);
                  continue;
                }
                a[0] -= io.lockMicros();
                a[1] = Math.addExact(a[1], io.lockMicros());
              }
              ins.setString(1, io.orderId());
              ins.setString(2, o.trader());
              ins.setString(3, o.kind().name());
              ins.setLong(4, o.slot());
              ins.setLong(5, o.lastSlot());
              ins.setLong(6, o.nonce());
              ins.setLong(7, o.quantity());
              ins.setLong(8, o.priceMicros());
              ins.setString(9, RecordCodec.toJson(io.signed()));
              ins.setLong(10, nowMillis);
              ins.setLong(11, io.lockMicros());
              ins.setBoolean(12, io.buy());
              ins.addBatch();
              out.add(null);
            }
            ins.executeBatch();
          }
          for (var e : accounts.entrySet()) {
            putAccount(e.getKey(), e.getValue()[0], e.getValue()[1]);
          }
          return out;
        });
  }

  /** An order recorded by the engine and not yet confirmed by the ledger. */
  public record PendingOrder(String orderId, SignedOrder signed) {}

  /** The sequence number of the newest recorded order (0 when there is none). */
  public synchronized long lastOrderSeq() {
    return count("SELECT COALESCE(MAX(seq), 0) FROM orders");
  }

  /**
   * Up to {@code limit} orders not yet on the ledger, recorded at or before sequence number {@code
   * upToSeq}, in the order the engine accepted them.
   */
  public synchronized List<PendingOrder> pendingOrders(long upToSeq, int limit) {
    return tx(
        () -> {
          List<PendingOrder> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT order_id, signed_json FROM orders WHERE ledger_state = 'PENDING' AND seq <= ? ORDER BY seq"
                      + " FETCH FIRST ? ROWS ONLY")) {
            s.setLong(1, upToSeq);
            s.setInt(2, limit);
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                out.add(
                    new PendingOrder(
                        r.getString(1), RecordCodec.signedOrderFromJson(r.getString(2))));
              }
            }
          }
          return out;
        });
  }

  public synchronized long pendingOrderCount() {
    return count("SELECT COUNT(*) FROM orders WHERE ledger_state = 'PENDING'");
  }

  /**
   * Marks orders as on the ledger, and refuses the ones the ledger refused (releasing their
   * escrow).
   */
  public synchronized void recordOrdersOnLedger(
      List<String> onLedger, Map<String, String> refused) {
    tx(
        () -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE orders SET ledger_state = 'DONE' WHERE order_id = ? AND ledger_state = 'PENDING'")) {
            for (String id : onLedger) {
              s.setString(1, id);
              s.addBatch();
            }
            s.executeBatch();
          }
          for (var e : refused.entrySet()) {
            String trader = null;
            long lock = 0;
            boolean open = false;
            try (PreparedStatement q =
                c.prepareStatement(
                    "SELECT trader, locked_micros, escrow_open FROM orders WHERE order_id = ? AND ledger_state = 'PENDING'")) {
              q.setString(1, e.getKey());
              try (ResultSet r = q.executeQuery()) {
                if (r.next()) {
                  trader = r.getString(1);
                  lock = r.getLong(2);
                  open = r.getBoolean(3);
                }
              }
            }
            if (trader == null) {
              continue;
            }
            if (open) {
              moveAccount(trader, lock, -lock);
            }
            try (PreparedStatement u =
                c.prepareStatement(
                    "UPDATE orders SET ledger_state = 'REFUSED', status = 'REJECTED', escrow_open = FALSE,"
                        + " ledger_error = ? WHERE order_id = ?")) {
              String msg = e.getValue();
              u.setString(1, msg.length() > 2000 ? msg.substring(0, 2000) : msg);
              u.setString(2, e.getKey());
              u.executeUpdate();
            }
          }
          return null;
        });
  }

  // ---- the account view ----

  /**
   * The engine's view of a ledger account: what it must hold once every intent is on the ledger.
   */
  public record AccountView(String address, long availableMicros, long escrowMicros) {}

  public synchronized Optional<AccountView> account(String address) {
    return tx(
        () -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT address, available_micros, escrow_micros FROM accounts WHERE address = ?")) {
            s.setString(1, address);
            try (ResultSet r = s.executeQuery()) {
              return r.next()
                  ? Optional.of(new AccountView(r.getString(1), r.getLong(2), r.getLong(3)))
                  : Optional.<AccountView>empty();
            }
          }
        });
  }

  public synchronized List<AccountView> accounts() {
    return list(
        "SELECT address, available_micros, escrow_micros FROM accounts ORDER BY address",
        r -> new AccountView(r.getString(1), r.getLong(2), r.getLong(3)));
  }

  /** Per account: deposits, and escrow still held by its open buy orders (locked minus spent). */
  public record AccountBook(String address, long depositsMicros, long openEscrowMicros) {}

  public synchronized Map<String, AccountBook> accountBooks() {
    return tx(
        () -> {
          Map<String, long[]> m = new TreeMap<>();
          try (Statement s = c.createStatement()) {
            try (ResultSet r =
                s.executeQuery(
                    "SELECT account, SUM(amount_micros) FROM deposits GROUP BY account")) {
              while (r.next()) {
                m.computeIfAbsent(r.getString(1), k -> new long[2])[0] = r.getLong(2);
              }
            }
            try (ResultSet r =
                s.executeQuery(
                    "SELECT trader, SUM(locked_micros - spent_micros) FROM orders WHERE escrow_open GROUP BY trader")) {
              while (r.next()) {
                m.computeIfAbsent(r.getString(1), k -> new long[2])[1] = r.getLong(2);
              }
            }
          }
          Map<String, AccountBook> out = new TreeMap<>();
          m.forEach((k, v) -> out.put(k, new AccountBook(k, v[0], v[1])));
          return out;
        });
  }

  /** True once the account view was built (new databases, or rebuilt from the ledger once). */
  public synchronized boolean accountViewReady() {
    return setting("accounts.view").isPresent();
  }

  /** Sets the account view from balances read off the ledger (databases from before the view). */
  public synchronized void rebuildAccountView(
      List<AccountView> fromLedger, Map<String, long[]> buyOrders) {
    tx(
        () -> {
          try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM accounts");
          }
          for (AccountView a : fromLedger) {
            putAccount(a.address(), a.availableMicros(), a.escrowMicros());
          }
          try (PreparedStatement u =
              c.prepareStatement(
                  "UPDATE orders SET locked_micros = ?, spent_micros = ?, escrow_open = ? WHERE order_id = ?")) {
            for (var e : buyOrders.entrySet()) {
              u.setLong(1, e.getValue()[0]);
              u.setLong(2, e.getValue()[1]);
              u.setBoolean(3, e.getValue()[2] != 0);
              u.setString(4, e.getKey());
              u.addBatch();
            }
            u.executeBatch();
          }
          try (PreparedStatement p =
              c.prepareStatement("MERGE INTO kv(k, v) KEY(k) VALUES('accounts.view', '1')")) {
            p.executeUpdate();
          }
          return null;
        });
  }

  /**
   * For databases from before the account view: every buy order's {locked, spent, escrow open} from
   * its limit, its trades and its status.
   */
  public synchronized Map<String, long[]> legacyBuyOrderBooks() {
    return tx(
        () -> {
          Map<String, long[]> out = new HashMap<>();
          try (Statement s = c.createStatement();
              ResultSet r =
                  s.executeQuery(
                      "SELECT order_id, kind, quantity, price_micros, status FROM orders")) {
            while (r.next()) {
              var kind = OrderKind.valueOf(r.getString(2));
              if (kind.side() == OrderKind.Side.BUY) {
                out.put(
                    r.getString(1),
                    new long[] {
                      Units.maxCostMicros(r.getLong(3), r.getLong(4)),
                      0,
                      OPEN.equals(r.getString(5)) ? 1 : 0
                    });
              }
            }
          }
          try (Statement s = c.createStatement();
              ResultSet r = s.executeQuery("SELECT trade_json FROM trades")) {
            while (r.next()) {
              Trade t = RecordCodec.tradeFromJson(r.getString(1));
              long[] o = out.get(t.buyOrderId());
              if (o != null) {
                o[1] += t.amountMicros();
              }
            }
          }
          return out;
        });
  }

  /** What the engine holds that the ledger must hold too (or is on its way there), by id. */
  public record Holdings(
      Set<String> orders,
      Set<String> ordersOnLedger,
      long ordersPending,
      Set<String> deposits,
      long depositsPending,
      Set<String> batches,
      Set<String> settledBatches,
      Set<String> trades,
      Set<String> meterReadings) {}

  public synchronized Holdings holdings() {
    return tx(
        () -> {
          Set<String> all = new HashSet<>();
          Set<String> orders = new HashSet<>();
          Set<String> deposits = new HashSet<>();
          Set<String> batches = new HashSet<>();
          Set<String> settled = new HashSet<>();
          Set<String> trades = new HashSet<>();
          Set<String> readings = new HashSet<>();
          long ordersPending = 0;
          long depositsPending = 0;
          try (Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT order_id, ledger_state FROM orders")) {
              while (r.next()) {
                all.add(r.getString(1));
                if (LEDGER_DONE.equals(r.getString(2))) {
                  orders.add(r.getString(1));
                } else if (LEDGER_PENDING.equals(r.getString(2))) {
                  ordersPending++;
                }
              }
            }
            try (ResultSet r = s.executeQuery("SELECT deposit_id, ledger_state FROM deposits")) {
              while (r.next()) {
                if (LEDGER_DONE.equals(r.getString(2))) {
                  deposits.add(r.getString(1));
                } else {
                  depositsPending++;
                }
              }
            }
            try (ResultSet r = s.executeQuery("SELECT batch_id, status FROM outbox")) {
              while (r.next()) {
                batches.add(r.getString(1));
                if (SETTLED.equals(r.getString(2))) {
                  settled.add(r.getString(1));
                }
              }
            }
            try (ResultSet r = s.executeQuery("SELECT trade_id FROM trades")) {
              while (r.next()) {
                trades.add(r.getString(1));
              }
            }
            try (ResultSet r =
                s.executeQuery(
                    "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'METER_READING'")) {
              r.next();
              if (r.getLong(1) > 0) {
                try (ResultSet m = s.executeQuery("SELECT trade_id FROM meter_reading")) {
                  while (m.next()) {
                    readings.add(m.getString(1));
                  }
                }
              }
            }
          }
          return new Holdings(
              all,
              orders,
              ordersPending,
              deposits,
              depositsPending,
              batches,
              settled,
              trades,
              readings);
        });
  }

  private void moveAccount(String address, long availableDelta, long escrowDelta)
      throws SQLException {
    long available = 0;
    long escrow = 0;
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT available_micros, escrow_micros FROM accounts WHERE address = ?")) {
      q.setString(1, address);
      try (ResultSet r = q.executeQuery()) {
        if (r.next()) {
          available = r.getLong(1);
          escrow = r.getLong(2);
        }
      }
    }
    putAccount(
        address, Math.addExact(available, availableDelta), Math.addExact(escrow, escrowDelta));
  }

  private void putAccount(String address, long available, long escrow) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "MERGE INTO accounts(address, available_micros, escrow_micros) KEY(address) VALUES(?,?,?)")) {
      p.setString(1, address);
      p.setLong(2, available);
      p.setLong(3, escrow);
      p.executeUpdate();
    }
  }

  private void setLedgerState(String table, String keyColumn, String key, String state) {
    tx(
        () -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE " + table + " SET ledger_state = ? WHERE " + keyColumn + " = ?")) {
            s.setString(1, state);
            s.setString(2, key);
            s.executeUpdate();
          }
          return null;
        });
  }

  private List<String> strings(String sql, List<Object> args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      List<String> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(r.getString(1));
        }
      }
      return out;
    }
  }

  private long count(String sql) {
    return tx(
        () -> {
          try (Statement s = c.createStatement();
              ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
          }
        });
  }

  public synchronized Optional<StoredOrder> order(String orderId) {
    return tx(
        () -> {
          List<StoredOrder> l = queryOrders("WHERE order_id = ?", List.of(orderId));
          return l.isEmpty() ? Optional.<StoredOrder>empty() : Optional.of(l.get(0));
        });
  }

  /** Open orders that may trade in {@code slot}, oldest first. */
  public synchronized List<StoredOrder> openOrdersFor(long slot) {
    return tx(
        () ->
            queryOrders(
                "WHERE status = 'OPEN' AND slot <= ? AND last_slot >= ? ORDER BY accepted_at, order_id",
                List.of(slot, slot)));
  }

  /** Open orders whose last slot is before {@code slot}: they can never trade again. */
  public synchronized List<StoredOrder> staleOpenOrders(long slot) {
    return tx(
        () ->
            queryOrders(
                "WHERE status = 'OPEN' AND last_slot < ? ORDER BY order_id", List.of(slot)));
  }

  public synchronized List<StoredOrder> ordersOf(String trader, int offset, int limit) {
    return ordersOf(trader, null, offset, limit);
  }

  /** A trader's orders, newest first, optionally of one kind only. */
  public synchronized List<StoredOrder> ordersOf(
      String trader, String kind, int offset, int limit) {
    return tx(
        () ->
            kind == null
                ? queryOrders(
                    "WHERE trader = ? ORDER BY accepted_at DESC, order_id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                    List.of(trader, offset, limit))
                : queryOrders(
                    "WHERE trader = ? AND kind = ? ORDER BY accepted_at DESC, order_id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                    List.of(trader, kind, offset, limit)));
  }

  public synchronized long orderCount() {
    return tx(
        () -> {
          try (Statement s = c.createStatement();
              ResultSet r = s.executeQuery("SELECT COUNT(*) FROM orders")) {
            r.next();
            return r.getLong(1);
          }
        });
  }

  private List<StoredOrder> queryOrders(String where, List<Object> args) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT order_id, signed_json, filled, status, accepted_at FROM orders " + where)) {
      bind(s, args);
      List<StoredOrder> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(
              new StoredOrder(
                  r.getString(1),
                  RecordCodec.signedOrderFromJson(r.getString(2)),
                  r.getLong(3),
                  r.getString(4),
                  r.getLong(5)));
        }
      }
      return out;
    }
  }

  // ---- rounds, trades and the outbox ----

  public synchronized long lastRound() {
    return tx(
        () -> {
          try (Statement s = c.createStatement();
              ResultSet r = s.executeQuery("SELECT COALESCE(MAX(round), 0) FROM rounds")) {
            r.next();
            return r.getLong(1);
          }
        });
  }

  public synchronized Optional<Long> lastClosedSlot() {
    return tx(
        () -> {
          try (Statement s = c.createStatement();
              ResultSet r = s.executeQuery("SELECT MAX(slot) FROM rounds")) {
            r.next();
            long v = r.getLong(1);
            return r.wasNull() ? Optional.<Long>empty() : Optional.of(v);
          }
        });
  }

  /**
   * Commits a cleared round atomically: the round, its trades, the orders' fills and the settlement
   * batch in the outbox. Either all of it is stored or none.
   */
  public synchronized void commitRound(
      RoundRecord round,
      List<Trade> trades,
      List<OrderUpdate> updates,
      String batchJson,
      long nowMillis) {
    tx(
        () -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO rounds(round, slot, batch_id, trade_count, summary_json, inputs_json, outputs_json,"
                      + " inputs_hash, outputs_hash, closed_at) VALUES(?,?,?,?,?,?,?,?,?,?)")) {
            s.setLong(1, round.round());
            s.setLong(2, round.slot());
            s.setString(3, round.batchId());
            s.setInt(4, round.tradeCount());
            s.setString(5, round.summaryJson());
            s.setString(6, round.inputsJson());
            s.setString(7, round.outputsJson());
            s.setString(8, round.inputsHash());
            s.setString(9, round.outputsHash());
            s.setLong(10, round.closedAtMillis());
            s.executeUpdate();
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO trades(trade_id, round, seq, batch_id, slot, market, buyer, seller, trade_json, leaf)"
                      + " VALUES(?,?,?,?,?,?,?,?,?,?)")) {
            int seq = 0;
            for (Trade t : trades) {
              s.setString(1, t.tradeId());
              s.setLong(2, t.round());
              s.setInt(3, seq++);
              s.setString(4, round.batchId());
              s.setLong(5, t.slot());
              s.setString(6, t.market().name());
              s.setString(7, t.buyer());
              s.setString(8, t.seller());
              s.setString(9, RecordCodec.toJson(t));
              s.setBytes(10, t.leaf());
              s.addBatch();
            }
            s.executeBatch();
          }
          try (PreparedStatement s =
              c.prepareStatement("UPDATE orders SET filled = ?, status = ? WHERE order_id = ?")) {
            for (OrderUpdate u : updates) {
              s.setLong(1, u.filled());
              s.setString(2, u.status());
              s.setString(3, u.orderId());
              s.addBatch();
            }
            s.executeBatch();
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO outbox(batch_id, round, payload, status, attempts, block_number, created_at)"
                      + " VALUES(?,?,?,'PENDING',0,0,?)")) {
            s.setString(1, round.batchId());
            s.setLong(2, round.round());
            s.setString(3, batchJson);
            s.setLong(4, nowMillis);
            s.executeUpdate();
          }
          return null;
        });
  }

  public synchronized Optional<RoundRecord> round(long round) {
    return tx(
        () -> {
          List<RoundRecord> l = queryRounds("WHERE round = ?", List.of(round));
          return l.isEmpty() ? Optional.<RoundRecord>empty() : Optional.of(l.get(0));
        });
  }

  public synchronized List<RoundRecord> rounds(int offset, int limit) {
    return tx(
        () ->
            queryRounds(
                "ORDER BY round DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                List.of(offset, limit)));
  }

  private List<RoundRecord> queryRounds(String where, List<Object> args) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT round, slot, batch_id, trade_count, summary_json, inputs_json, outputs_json, inputs_hash,"
                + " outputs_hash, closed_at FROM rounds "
                + where)) {
      bind(s, args);
      List<RoundRecord> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(
              new RoundRecord(
                  r.getLong(1),
                  r.getLong(2),
                  r.getString(3),
                  r.getInt(4),
                  r.getString(5),
                  r.getString(6),
                  r.getString(7),
                  r.getString(8),
                  r.getString(9),
                  r.getLong(10)));
        }
      }
      return out;
    }
  }

  public synchronized Optional<Trade> trade(String tradeId) {
    return tx(
        () -> {
          List<Trade> l = queryTrades("WHERE trade_id = ?", List.of(tradeId));
          return l.isEmpty() ? Optional.<Trade>empty() : Optional.of(l.get(0));
        });
  }

  /** The Merkle leaves of a round's trades, in batch order. */
  public synchronized List<byte[]> leavesOfRound(long round) {
    return tx(
        () -> {
          List<byte[]> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT leaf, trade_json FROM trades WHERE round = ? ORDER BY seq")) {
            s.setLong(1, round);
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                byte[] leaf = r.getBytes(1);
                out.add(leaf != null ? leaf : RecordCodec.tradeFromJson(r.getString(2)).leaf());
              }
            }
          }
          return out;
        });
  }

  /** A trade's position in its round's batch: {round, index}. */
  public synchronized Optional<long[]> tradePosition(String tradeId) {
    return tx(
        () -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT round, seq FROM trades WHERE trade_id = ?")) {
            s.setString(1, tradeId);
            try (ResultSet r = s.executeQuery()) {
              return r.next()
                  ? Optional.of(new long[] {r.getLong(1), r.getLong(2)})
                  : Optional.<long[]>empty();
            }
          }
        });
  }

  public synchronized List<Trade> tradesOfRound(long round) {
    return tx(() -> queryTrades("WHERE round = ? ORDER BY seq", List.of(round)));
  }

  /** Trades filtered by participant (buyer or seller, optional) and slot range, newest first. */
  public synchronized List<Trade> trades(
      String participant, long fromSlot, long toSlot, int offset, int limit) {
    return trades(participant, null, fromSlot, toSlot, offset, limit);
  }

  /**
   * Trades filtered by participant (buyer or seller), market and slot range, all optional; newest
   * first.
   */
  public synchronized List<Trade> trades(
      String participant, String market, long fromSlot, long toSlot, int offset, int limit) {
    StringBuilder where = new StringBuilder("WHERE slot BETWEEN ? AND ?");
    List<Object> args = new ArrayList<>(List.of(fromSlot, toSlot));
    if (participant != null) {
      where.append(" AND (buyer = ? OR seller = ?)");
      args.add(participant);
      args.add(participant);
    }
    if (market != null) {
      where.append(" AND market = ?");
      args.add(market);
    }
    where.append(" ORDER BY round DESC, seq OFFSET ? ROWS FETCH NEXT ? ROWS ONLY");
    args.add(offset);
    args.add(limit);
    return tx(() -> queryTrades(where.toString(), args));
  }

  public synchronized long tradeCount() {
    return tx(
        () -> {
          try (Statement s = c.createStatement();
              ResultSet r = s.executeQuery("SELECT COUNT(*) FROM trades")) {
            r.next();
            return r.getLong(1);
          }
        });
  }

  private List<Trade> queryTrades(String where, List<Object> args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT trade_json FROM trades " + where)) {
      bind(s, args);
      List<Trade> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(RecordCodec.tradeFromJson(r.getString(1)));
        }
      }
      return out;
    }
  }

  /** How many batches wait for the ledger (counted, not loaded: payloads can be large). */
  public synchronized long pendingBatchCount() {
    return count("SELECT COUNT(*) FROM outbox WHERE status = 'PENDING'");
  }

  public synchronized List<OutboxEntry> pendingBatches() {
    return tx(() -> queryOutbox("WHERE status = 'PENDING' ORDER BY round", List.of()));
  }

  public synchronized Optional<OutboxEntry> outboxEntry(String batchId) {
    return tx(
        () -> {
          List<OutboxEntry> l = queryOutbox("WHERE batch_id = ?", List.of(batchId));
          return l.isEmpty() ? Optional.<OutboxEntry>empty() : Optional.of(l.get(0));
        });
  }

  public synchronized List<OutboxEntry> batches(int offset, int limit) {
    return tx(
        () ->
            queryOutbox(
                "ORDER BY round DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                List.of(offset, limit)));
  }

  private List<OutboxEntry> queryOutbox(String where, List<Object> args) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT batch_id, round, payload, status, attempts, last_error, tx_id, block_number FROM outbox "
                + where)) {
      bind(s, args);
      List<OutboxEntry> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(
              new OutboxEntry(
                  r.getString(1),
                  r.getLong(2),
                  r.getString(3),
                  r.getString(4),
                  r.getInt(5),
                  r.getString(6),
                  r.getString(7),
                  r.getLong(8)));
        }
      }
      return out;
    }
  }

  /**
   * Marks a batch settled and applies its credit movements to the account view in the same
   * transaction, exactly as the ledger applied them: buyers' escrow pays sellers and fees, closed
   * buy orders release what they did not spend. A batch already marked settled changes nothing.
   */
  public synchronized void markSettled(
      SettlementBatch batch, String txId, long blockNumber, long nowMillis) {
    tx(
        () -> {
          int changed;
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE outbox SET status = 'SETTLED', tx_id = ?, block_number = ?, settled_at = ?, attempts = attempts + 1,"
                      + " last_error = NULL, set_aside_at = NULL WHERE batch_id = ? AND status <> 'SETTLED'")) {
            s.setString(1, txId);
            s.setLong(2, blockNumber);
            s.setLong(3, nowMillis);
            s.setString(4, batch.batchId());
            changed = s.executeUpdate();
          }
          if (changed == 1) {
            applySettlement(batch);
          }
          return null;
        });
  }

  private void applySettlement(SettlementBatch b) throws SQLException {
    Map<String, long[]> deltas = new TreeMap<>(); // address -> {available, escrow}
    Map<String, Long> spent = new TreeMap<>();
    for (Trade t : b.trades()) {
      spent.merge(t.buyOrderId(), t.amountMicros(), Math::addExact);
      deltas.computeIfAbsent(t.buyer(), k -> new long[2])[1] -= t.amountMicros();
      deltas.computeIfAbsent(t.seller(), k -> new long[2])[0] += t.amountMicros();
    }
    for (SettlementBatch.Fee f : b.fees()) {
      spent.merge(f.buyOrderId(), f.amountMicros(), Math::addExact);
      deltas.computeIfAbsent(f.payer(), k -> new long[2])[1] -= f.amountMicros();
      deltas.computeIfAbsent(Units.PLATFORM_ACCOUNT, k -> new long[2])[0] += f.amountMicros();
    }
    try (PreparedStatement u =
        c.prepareStatement(
            "UPDATE orders SET spent_micros = spent_micros + ? WHERE order_id = ?")) {
      for (var e : spent.entrySet()) {
        u.setLong(1, e.getValue());
        u.setString(2, e.getKey());
        u.addBatch();
      }
      u.executeBatch();
    }
    try (PreparedStatement q =
            c.prepareStatement(
                "SELECT trader, locked_micros - spent_micros FROM orders WHERE order_id = ? AND escrow_open");
        PreparedStatement u =
            c.prepareStatement("UPDATE orders SET escrow_open = FALSE WHERE order_id = ?")) {
      for (String id : new LinkedHashSet<>(b.closedOrderIds())) {
        String orderId = id.toLowerCase(Locale.ROOT);
        q.setString(1, orderId);
        try (ResultSet r = q.executeQuery()) {
          if (r.next()) {
            long[] d = deltas.computeIfAbsent(r.getString(1), k -> new long[2]);
            d[0] += r.getLong(2);
            d[1] -= r.getLong(2);
            u.setString(1, orderId);
            u.executeUpdate();
          }
        }
      }
    }
    for (var e : deltas.entrySet()) {
      moveAccount(e.getKey(), e.getValue()[0], e.getValue()[1]);
    }
  }

  /** Batches waiting for the ledger whose next attempt is due, oldest round first. */
  public synchronized List<OutboxEntry> dueBatches(long nowMillis) {
    return tx(
        () ->
            queryOutbox(
                "WHERE status = 'PENDING' AND next_attempt_at <= ? ORDER BY round",
                List.of(nowMillis)));
  }

  /** Batches the ledger refused, set aside until an operator re-plans them. */
  public synchronized List<OutboxEntry> setAsideBatches() {
    return tx(() -> queryOutbox("WHERE status = 'SET_ASIDE' ORDER BY round", List.of()));
  }

  public synchronized long setAsideCount() {
    return count("SELECT COUNT(*) FROM outbox WHERE status = 'SET_ASIDE'");
  }

  /** When an entry was set aside (epoch ms), or 0. */
  public synchronized long setAsideAt(String batchId) {
    return tx(
        () -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT set_aside_at FROM outbox WHERE batch_id = ?")) {
            s.setString(1, batchId);
            try (ResultSet r = s.executeQuery()) {
              return r.next() ? r.getLong(1) : 0L;
            }
          }
        });
  }

  /** Takes a batch out of the line with the ledger's reason; later batches go on settling. */
  public synchronized void setAside(String batchId, String reason, long nowMillis) {
    tx(
        () -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE outbox SET status = 'SET_ASIDE', attempts = attempts + 1, last_error = ?, set_aside_at = ?"
                      + " WHERE batch_id = ? AND status = 'PENDING'")) {
            s.setString(1, reason.length() > 2000 ? reason.substring(0, 2000) : reason);
            s.setLong(2, nowMillis);
            s.setString(3, batchId);
            s.executeUpdate();
          }
          return null;
        });
  }

  /** Puts a set-aside batch back in the line, with its (possibly re-planned) payload. */
  public synchronized boolean requeue(String batchId, String payloadJson) {
    return tx(
        () -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE outbox SET status = 'PENDING', payload = ?, next_attempt_at = 0, set_aside_at = NULL"
                      + " WHERE batch_id = ? AND status = 'SET_ASIDE'")) {
            s.setString(1, payloadJson);
            s.setString(2, batchId);
            return s.executeUpdate() == 1;
          }
        });
  }

  /** Records a failed attempt; the next one is due at {@code nextAttemptAtMillis} (backoff). */
  public synchronized void recordAttemptFailure(
      String batchId, String error, long nextAttemptAtMillis) {
    tx(
        () -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE batch_id = ?")) {
            s.setString(1, error.length() > 2000 ? error.substring(0, 2000) : error);
            s.setLong(2, nextAttemptAtMillis);
            s.setString(3, batchId);
            s.executeUpdate();
          }
          return null;
        });
  }

  private static void bind(PreparedStatement s, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      s.setObject(i + 1, args.get(i));
    }
  }

  // ---- mechanism parameters ----

  /** One change of the mechanism parameters: from which round, what, by whom and when. */
  public record MechanismChange(
      long seq, long fromRound, String parametersJson, String setBy, long setAtMillis) {}

  /** Records a change of the mechanism parameters (committed before it returns). */
  public synchronized MechanismChange recordMechanismChange(
      long fromRound, String parametersJson, String setBy, long nowMillis) {
    return tx(
        () -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "INSERT INTO mechanism_changes(from_round, parameters_json, set_by, set_at)"
                      + " VALUES(?, ?, ?, ?)",
                  Statement.RETURN_GENERATED_KEYS)) {
            p.setLong(1, fromRound);
            p.setString(2, parametersJson);
            p.setString(3, setBy);
            p.setLong(4, nowMillis);
            p.executeUpdate();
            try (ResultSet r = p.getGeneratedKeys()) {
              r.next();
              return new MechanismChange(r.getLong(1), fromRound, parametersJson, setBy, nowMillis);
            }
          }
        });
  }

  /** The latest change: the parameters the next round clears with (empty before any). */
  public synchronized Optional<MechanismChange> currentMechanism() {
    List<MechanismChange> last = mechanismChanges(0, 1);
    return last.isEmpty() ? Optional.empty() : Optional.of(last.get(0));
  }

  /** The changes, newest first. */
  public synchronized List<MechanismChange> mechanismChanges(int offset, int limit) {
    return tx(
        () -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT seq, from_round, parameters_json, set_by, set_at FROM mechanism_changes"
                      + " ORDER BY seq DESC LIMIT ? OFFSET ?")) {
            p.setInt(1, limit);
            p.setInt(2, offset);
            List<MechanismChange> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
              while (r.next()) {
                out.add(
                    new MechanismChange(
                        r.getLong(1), r.getLong(2), r.getString(3), r.getString(4), r.getLong(5)));
              }
            }
            return out;
          }
        });
  }

  private <T> T tx(Transactions.SqlWork<T> work) {
    synchronized (this) {
      return Transactions.run(c, "engine database", work);
    }
  }

  @Override
  public synchronized void close() {
    try {
      c.close();
    } catch (SQLException e) {
      throw new StoreException("closing the engine database: " + e.getMessage(), e);
    }
  }
}
