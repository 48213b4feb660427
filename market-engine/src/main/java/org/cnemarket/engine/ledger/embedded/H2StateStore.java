package org.cnemarket.engine.ledger.embedded;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cnemarket.chaincode.embedded.StateStore;
import org.cnemarket.chaincode.embedded.Write;
import org.cnemarket.engine.store.Db;
import org.cnemarket.engine.store.StoreException;

/**
 * World state and key history in the ledger's H2 database. Keys are stored as their UTF-8 bytes,
 * whose unsigned order is the code-point order Fabric's state database uses. {@link #commit} writes
 * inside the caller's JDBC transaction: {@link BlockChain} commits it together with the block that
 * records it.
 */
final class H2StateStore implements StateStore {
  private final Connection c;

  H2StateStore(Connection c) throws SQLException {
    this.c = c;
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS world_state(k VARBINARY PRIMARY KEY, v VARBINARY NOT NULL)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS key_history(seq BIGINT AUTO_INCREMENT PRIMARY KEY, k VARBINARY NOT NULL,"
              + " tx_id VARCHAR(80) NOT NULL, ts BIGINT NOT NULL, v VARBINARY)");
      s.execute("CREATE INDEX IF NOT EXISTS key_history_k ON key_history(k, seq)");
      // H2 commits an identity sequence on its own each time its cache runs out (32 values by
      // default): a large cache keeps that off the write path. Values stay increasing; a crash
      // only leaves a gap.
      s.execute("ALTER TABLE key_history ALTER COLUMN seq SET CACHE 65536");
    }
    Db.commit(c);
  }

  @Override
  public byte[] get(String key) {
    try (PreparedStatement p = c.prepareStatement("SELECT v FROM world_state WHERE k = ?")) {
      p.setBytes(1, utf8(key));
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? r.getBytes(1) : null;
      }
    } catch (SQLException e) {
      throw new StoreException("ledger state read: " + e.getMessage(), e);
    }
  }

  @Override
  public List<Entry> range(String startInclusive, String endExclusive) {
    boolean open = endExclusive == null || endExclusive.isEmpty();
    String sql =
        "SELECT k, v FROM world_state WHERE k >= ?" + (open ? "" : " AND k < ?") + " ORDER BY k";
    try (PreparedStatement p = c.prepareStatement(sql)) {
      p.setBytes(1, utf8(startInclusive == null ? "" : startInclusive));
      if (!open) {
        p.setBytes(2, utf8(endExclusive));
      }
      List<Entry> out = new ArrayList<>();
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(new Entry(new String(r.getBytes(1), StandardCharsets.UTF_8), r.getBytes(2)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("ledger range read: " + e.getMessage(), e);
    }
  }

  @Override
  public List<HistoryEntry> history(String key) {
    try (PreparedStatement p =
        c.prepareStatement("SELECT tx_id, ts, v FROM key_history WHERE k = ? ORDER BY seq")) {
      p.setBytes(1, utf8(key));
      List<HistoryEntry> out = new ArrayList<>();
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(new HistoryEntry(r.getString(1), r.getLong(2), r.getBytes(3)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("ledger history read: " + e.getMessage(), e);
    }
  }

  /** Applies the writes in the current JDBC transaction; the caller commits or rolls back. */
  @Override
  public void commit(String txId, Instant timestamp, List<Write> writes) {
    try (PreparedStatement put =
            c.prepareStatement("MERGE INTO world_state(k, v) KEY(k) VALUES(?, ?)");
        PreparedStatement del = c.prepareStatement("DELETE FROM world_state WHERE k = ?");
        PreparedStatement hist =
            c.prepareStatement("INSERT INTO key_history(k, tx_id, ts, v) VALUES(?,?,?,?)")) {
      for (Write w : writes) {
        byte[] k = utf8(w.key());
        if (w.isDelete()) {
          del.setBytes(1, k);
          del.executeUpdate();
        } else {
          put.setBytes(1, k);
          put.setBytes(2, w.value());
          put.executeUpdate();
        }
        hist.setBytes(1, k);
        hist.setString(2, txId);
        hist.setLong(3, timestamp.toEpochMilli());
        hist.setBytes(4, w.value());
        hist.executeUpdate();
      }
    } catch (SQLException e) {
      throw new StoreException("ledger state write: " + e.getMessage(), e);
    }
  }

  /** Every committed entry, in key order (for audits). */
  List<Entry> all() {
    return range("", "");
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
