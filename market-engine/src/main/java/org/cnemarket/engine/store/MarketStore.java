package org.cnemarket.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.model.Participant;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Trade;

/**
 * The engine database. One connection, serialised by this object's monitor: the engine is a
 * single writer, and every multi-row change (a closed round with its trades, order fills and
 * outbox entry) commits in one transaction.
 */
public final class MarketStore implements AutoCloseable {

  /** An order as the engine tracks it: how much is filled and whether it is still open. */
  public record StoredOrder(String orderId, SignedOrder signed, long filled, String status, long acceptedAtMillis) {
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
                    + " signed_json CLOB NOT NULL, accepted_at BIGINT NOT NULL,"
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
                    + " trade_json CLOB NOT NULL, CONSTRAINT trade_seq UNIQUE(round, seq))");
            s.execute("CREATE INDEX IF NOT EXISTS trades_buyer ON trades(buyer)");
            s.execute("CREATE INDEX IF NOT EXISTS trades_seller ON trades(seller)");
            s.execute(
                "CREATE TABLE IF NOT EXISTS outbox(batch_id VARCHAR(66) PRIMARY KEY, round BIGINT NOT NULL,"
                    + " payload CLOB NOT NULL, status VARCHAR(12) NOT NULL, attempts INT NOT NULL,"
                    + " last_error VARCHAR(2000), tx_id VARCHAR(200), block_number BIGINT NOT NULL,"
                    + " created_at BIGINT NOT NULL, settled_at BIGINT)");
            s.execute(
                "CREATE TABLE IF NOT EXISTS kv(k VARCHAR(200) PRIMARY KEY, v CLOB NOT NULL)");
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
          try (PreparedStatement p = c.prepareStatement("MERGE INTO kv(k, v) KEY(k) VALUES(?, ?)")) {
            p.setString(1, key);
            p.setString(2, value);
            p.executeUpdate();
          }
          return null;
        });
  }

  // ---- participants ----

  public synchronized void insertParticipant(Participant p, long nowMillis) {
    tx(
        () -> {
          try (PreparedStatement s =
              c.prepareStatement("INSERT INTO participants(address, role, name, registered_at) VALUES(?,?,?,?)")) {
            s.setString(1, p.address());
            s.setString(2, p.role().name());
            s.setString(3, p.name());
            s.setLong(4, nowMillis);
            s.executeUpdate();
          }
          return null;
        });
  }

  // ---- auditors the operator admitted ----

  /** Admits {@code address} to register as an auditor; false when it was admitted already. */
  public synchronized boolean admitAuditor(String address, long nowMillis) {
    return tx(
        () -> {
          try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM admitted_auditors WHERE address = ?")) {
            q.setString(1, address);
            try (ResultSet r = q.executeQuery()) {
              if (r.next()) {
                return false;
              }
            }
          }
          try (PreparedStatement s =
              c.prepareStatement("INSERT INTO admitted_auditors(address, admitted_at) VALUES(?,?)")) {
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
              c.prepareStatement("SELECT address, admitted_at FROM admitted_auditors ORDER BY admitted_at, address")) {
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
          try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM admitted_auditors WHERE address = ?")) {
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
              c.prepareStatement("SELECT address, role, name FROM participants WHERE address = ?")) {
            s.setString(1, address);
            try (ResultSet r = s.executeQuery()) {
              return r.next()
                  ? Optional.of(new Participant(r.getString(1), Role.valueOf(r.getString(2)), r.getString(3)))
                  : Optional.<Participant>empty();
            }
          }
        });
  }

  public synchronized List<Participant> participants(Role role, int offset, int limit) {
    return tx(
        () -> {
          String sql = "SELECT address, role, name FROM participants"
              + (role == null ? "" : " WHERE role = ?") + " ORDER BY registered_at, address OFFSET ? ROWS FETCH NEXT ? ROWS ONLY";
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
                out.add(new Participant(r.getString(1), Role.valueOf(r.getString(2)), r.getString(3)));
              }
            }
            return out;
          }
        });
  }

  // ---- deposits ----

  /** True when {@code depositId} was recorded for another account or amount. */
  public synchronized boolean depositConflicts(String depositId, String account, long amountMicros) {
    return tx(
        () -> {
          try (PreparedStatement q =
              c.prepareStatement("SELECT account, amount_micros FROM deposits WHERE deposit_id = ?")) {
            q.setString(1, depositId);
            try (ResultSet r = q.executeQuery()) {
              return r.next() && (!r.getString(1).equals(account) || r.getLong(2) != amountMicros);
            }
          }
        });
  }

  /** Records a deposit; returns false when the id exists already (with the same data). */
  public synchronized boolean insertDeposit(String depositId, String account, long amountMicros, long nowMillis) {
    return tx(
        () -> {
          try (PreparedStatement q =
              c.prepareStatement("SELECT account, amount_micros FROM deposits WHERE deposit_id = ?")) {
            q.setString(1, depositId);
            try (ResultSet r = q.executeQuery()) {
              if (r.next()) {
                if (!r.getString(1).equals(account) || r.getLong(2) != amountMicros) {
                  throw new IllegalStateException("deposit id " + depositId + " was used for another deposit");
                }
                return false;
              }
            }
          }
          try (PreparedStatement s = c.prepareStatement(
              "INSERT INTO deposits(deposit_id, account, amount_micros, created_at) VALUES(?,?,?,?)")) {
            s.setString(1, depositId);
            s.setString(2, account);
            s.setLong(3, amountMicros);
            s.setLong(4, nowMillis);
            s.executeUpdate();
          }
          return true;
        });
  }

  public synchronized long totalDepositsMicros() {
    return tx(
        () -> {
          try (Statement s = c.createStatement();
              ResultSet r = s.executeQuery("SELECT COALESCE(SUM(amount_micros), 0) FROM deposits")) {
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
              ResultSet r = s.executeQuery("SELECT DISTINCT account FROM deposits ORDER BY account")) {
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
          try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM orders WHERE trader = ? AND nonce = ?")) {
            s.setString(1, trader);
            s.setLong(2, nonce);
            try (ResultSet r = s.executeQuery()) {
              return r.next();
            }
          }
        });
  }

  public synchronized void insertOrder(String orderId, SignedOrder so, long nowMillis) {
    tx(
        () -> {
          try (PreparedStatement s = c.prepareStatement(
              "INSERT INTO orders(order_id, trader, kind, slot, last_slot, nonce, quantity, price_micros, filled,"
                  + " status, signed_json, accepted_at) VALUES(?,?,?,?,?,?,?,?,0,?,?,?)")) {
            var o = so.order();
            s.setString(1, orderId);
            s.setString(2, o.trader());
            s.setString(3, o.kind().name());
            s.setLong(4, o.slot());
            s.setLong(5, o.lastSlot());
            s.setLong(6, o.nonce());
            s.setLong(7, o.quantity());
            s.setLong(8, o.priceMicros());
            s.setString(9, OPEN);
            s.setString(10, RecordCodec.toJson(so));
            s.setLong(11, nowMillis);
            s.executeUpdate();
          }
          return null;
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
    return tx(() -> queryOrders(
        "WHERE status = 'OPEN' AND slot <= ? AND last_slot >= ? ORDER BY accepted_at, order_id",
        List.of(slot, slot)));
  }

  /** Open orders whose last slot is before {@code slot}: they can never trade again. */
  public synchronized List<StoredOrder> staleOpenOrders(long slot) {
    return tx(() -> queryOrders("WHERE status = 'OPEN' AND last_slot < ? ORDER BY order_id", List.of(slot)));
  }

  public synchronized List<StoredOrder> ordersOf(String trader, int offset, int limit) {
    return ordersOf(trader, null, offset, limit);
  }

  /** A trader's orders, newest first, optionally of one kind only. */
  public synchronized List<StoredOrder> ordersOf(String trader, String kind, int offset, int limit) {
    return tx(() -> kind == null
        ? queryOrders("WHERE trader = ? ORDER BY accepted_at DESC, order_id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
            List.of(trader, offset, limit))
        : queryOrders("WHERE trader = ? AND kind = ? ORDER BY accepted_at DESC, order_id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
            List.of(trader, kind, offset, limit)));
  }

  public synchronized long orderCount() {
    return tx(() -> {
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM orders")) {
        r.next();
        return r.getLong(1);
      }
    });
  }

  private List<StoredOrder> queryOrders(String where, List<Object> args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT order_id, signed_json, filled, status, accepted_at FROM orders " + where)) {
      bind(s, args);
      List<StoredOrder> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(new StoredOrder(
              r.getString(1), RecordCodec.signedOrderFromJson(r.getString(2)), r.getLong(3), r.getString(4), r.getLong(5)));
        }
      }
      return out;
    }
  }

  // ---- rounds, trades and the outbox ----

  public synchronized long lastRound() {
    return tx(() -> {
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COALESCE(MAX(round), 0) FROM rounds")) {
        r.next();
        return r.getLong(1);
      }
    });
  }

  public synchronized Optional<Long> lastClosedSlot() {
    return tx(() -> {
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT MAX(slot) FROM rounds")) {
        r.next();
        long v = r.getLong(1);
        return r.wasNull() ? Optional.<Long>empty() : Optional.of(v);
      }
    });
  }

  /**
   * Commits a cleared round atomically: the round, its trades, the orders' fills and the
   * settlement batch in the outbox. Either all of it is stored or none.
   */
  public synchronized void commitRound(
      RoundRecord round, List<Trade> trades, List<OrderUpdate> updates, String batchJson, long nowMillis) {
    tx(() -> {
      try (PreparedStatement s = c.prepareStatement(
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
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO trades(trade_id, round, seq, batch_id, slot, market, buyer, seller, trade_json)"
              + " VALUES(?,?,?,?,?,?,?,?,?)")) {
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
          s.addBatch();
        }
        s.executeBatch();
      }
      try (PreparedStatement s = c.prepareStatement("UPDATE orders SET filled = ?, status = ? WHERE order_id = ?")) {
        for (OrderUpdate u : updates) {
          s.setLong(1, u.filled());
          s.setString(2, u.status());
          s.setString(3, u.orderId());
          s.addBatch();
        }
        s.executeBatch();
      }
      try (PreparedStatement s = c.prepareStatement(
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
    return tx(() -> {
      List<RoundRecord> l = queryRounds("WHERE round = ?", List.of(round));
      return l.isEmpty() ? Optional.<RoundRecord>empty() : Optional.of(l.get(0));
    });
  }

  public synchronized List<RoundRecord> rounds(int offset, int limit) {
    return tx(() -> queryRounds("ORDER BY round DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY", List.of(offset, limit)));
  }

  private List<RoundRecord> queryRounds(String where, List<Object> args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT round, slot, batch_id, trade_count, summary_json, inputs_json, outputs_json, inputs_hash,"
            + " outputs_hash, closed_at FROM rounds " + where)) {
      bind(s, args);
      List<RoundRecord> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(new RoundRecord(r.getLong(1), r.getLong(2), r.getString(3), r.getInt(4), r.getString(5),
              r.getString(6), r.getString(7), r.getString(8), r.getString(9), r.getLong(10)));
        }
      }
      return out;
    }
  }

  public synchronized Optional<Trade> trade(String tradeId) {
    return tx(() -> {
      List<Trade> l = queryTrades("WHERE trade_id = ?", List.of(tradeId));
      return l.isEmpty() ? Optional.<Trade>empty() : Optional.of(l.get(0));
    });
  }

  public synchronized List<Trade> tradesOfRound(long round) {
    return tx(() -> queryTrades("WHERE round = ? ORDER BY seq", List.of(round)));
  }

  /** Trades filtered by participant (buyer or seller, optional) and slot range, newest first. */
  public synchronized List<Trade> trades(String participant, long fromSlot, long toSlot, int offset, int limit) {
    return trades(participant, null, fromSlot, toSlot, offset, limit);
  }

  /** Trades filtered by participant (buyer or seller), market and slot range, all optional; newest first. */
  public synchronized List<Trade> trades(String participant, String market, long fromSlot, long toSlot, int offset,
      int limit) {
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
    return tx(() -> {
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM trades")) {
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

  public synchronized List<OutboxEntry> pendingBatches() {
    return tx(() -> queryOutbox("WHERE status = 'PENDING' ORDER BY round", List.of()));
  }

  public synchronized Optional<OutboxEntry> outboxEntry(String batchId) {
    return tx(() -> {
      List<OutboxEntry> l = queryOutbox("WHERE batch_id = ?", List.of(batchId));
      return l.isEmpty() ? Optional.<OutboxEntry>empty() : Optional.of(l.get(0));
    });
  }

  public synchronized List<OutboxEntry> batches(int offset, int limit) {
    return tx(() -> queryOutbox("ORDER BY round DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY", List.of(offset, limit)));
  }

  private List<OutboxEntry> queryOutbox(String where, List<Object> args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT batch_id, round, payload, status, attempts, last_error, tx_id, block_number FROM outbox " + where)) {
      bind(s, args);
      List<OutboxEntry> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(new OutboxEntry(r.getString(1), r.getLong(2), r.getString(3), r.getString(4), r.getInt(5),
              r.getString(6), r.getString(7), r.getLong(8)));
        }
      }
      return out;
    }
  }

  public synchronized void markSettled(String batchId, String txId, long blockNumber, long nowMillis) {
    tx(() -> {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE outbox SET status = 'SETTLED', tx_id = ?, block_number = ?, settled_at = ?, attempts = attempts + 1,"
              + " last_error = NULL WHERE batch_id = ?")) {
        s.setString(1, txId);
        s.setLong(2, blockNumber);
        s.setLong(3, nowMillis);
        s.setString(4, batchId);
        s.executeUpdate();
      }
      return null;
    });
  }

  public synchronized void recordAttemptFailure(String batchId, String error) {
    tx(() -> {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE batch_id = ?")) {
        s.setString(1, error.length() > 2000 ? error.substring(0, 2000) : error);
        s.setString(2, batchId);
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
