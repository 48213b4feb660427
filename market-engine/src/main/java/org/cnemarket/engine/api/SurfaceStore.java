package org.cnemarket.engine.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cnemarket.engine.store.StoreException;
import org.cnemarket.engine.store.Transactions;

/**
 * The surfaces' tables in the engine database (its own connection, so the market store stays
 * untouched): sign-in nonces, idempotency records and meter readings. Kept in the database, not in
 * memory, so several engine instances can serve the API.
 */
public final class SurfaceStore implements AutoCloseable {
  private final Connection c;

  /** A stored response to an idempotent POST; {@code status == 0} while the first request runs. */
  public record IdempotentResponse(
      String requestHash, int status, String contentType, String body) {}

  /** A metered delivery of one trade. */
  public record MeterReading(
      String tradeId,
      long round,
      long slot,
      String market,
      String buyer,
      String seller,
      String buyOrderId,
      String sellOrderId,
      long contractedQuantity,
      long deliveredQuantity,
      long certifiedWh,
      String reportedBy,
      long reportedAtMillis) {}

  public SurfaceStore(Connection connection) {
    this.c = connection;
    tx(
        () -> {
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
          }
          return null;
        });
  }

  // ---- sign-in nonces ----

  public synchronized void putNonce(String nonce, String address, long expiresAtMillis) {
    tx(
        () -> {
          try (PreparedStatement p =
              c.prepareStatement("INSERT INTO auth_nonce VALUES(?, ?, ?, FALSE)")) {
            p.setString(1, nonce);
            p.setString(2, address);
            p.setLong(3, expiresAtMillis);
            p.executeUpdate();
          }
          // Expired nonces are worthless: drop them as new ones come.
          try (PreparedStatement p =
              c.prepareStatement("DELETE FROM auth_nonce WHERE expires_at < ?")) {
            p.setLong(1, expiresAtMillis - 24 * 3600_000L);
            p.executeUpdate();
          }
          return null;
        });
  }

  /**
   * Marks the nonce used if it was issued to {@code address}, is unused and unexpired; true if so.
   */
  public synchronized boolean consumeNonce(String nonce, String address, long nowMillis) {
    return tx(
        () -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "UPDATE auth_nonce SET used = TRUE WHERE nonce = ? AND address = ? AND used = FALSE AND expires_at >= ?")) {
            p.setString(1, nonce);
            p.setString(2, address);
            p.setLong(3, nowMillis);
            return p.executeUpdate() == 1;
          }
        });
  }

  // ---- idempotency ----

  /**
   * Claims {@code (scope, key)} for a request with {@code hash}: empty when this request is the
   * first (and now owns the key), otherwise what is stored.
   */
  public synchronized Optional<IdempotentResponse> claim(
      String scope, String key, String hash, long nowMillis) {
    return tx(
        () -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT request_hash, status, content_type, body FROM idempotency WHERE scope = ? AND idem_key = ?")) {
            p.setString(1, scope);
            p.setString(2, key);
            try (ResultSet r = p.executeQuery()) {
              if (r.next()) {
                return Optional.of(
                    new IdempotentResponse(
                        r.getString(1), r.getInt(2), r.getString(3), r.getString(4)));
              }
            }
          }
          try (PreparedStatement p =
              c.prepareStatement(
                  "INSERT INTO idempotency(scope, idem_key, request_hash, status, created_at) VALUES(?, ?, ?, 0, ?)")) {
            p.setString(1, scope);
            p.setString(2, key);
            p.setString(3, hash);
            p.setLong(4, nowMillis);
            p.executeUpdate();
          }
          return Optional.<IdempotentResponse>empty();
        });
  }

  public synchronized void complete(
      String scope, String key, int status, String contentType, String body) {
    tx(
        () -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "UPDATE idempotency SET status = ?, content_type = ?, body = ? WHERE scope = ? AND idem_key = ?")) {
            p.setInt(1, status);
            p.setString(2, contentType);
            p.setString(3, body);
            p.setString(4, scope);
            p.setString(5, key);
            p.executeUpdate();
          }
          return null;
        });
  }

  /** Forgets a claim whose request failed in a way worth retrying (5xx). */
  public synchronized void release(String scope, String key) {
    tx(
        () -> {
          try (PreparedStatement p =
              c.prepareStatement("DELETE FROM idempotency WHERE scope = ? AND idem_key = ?")) {
            p.setString(1, scope);
            p.setString(2, key);
            p.executeUpdate();
          }
          return null;
        });
  }

  // ---- meter readings ----

  /** Records a reading; false when the trade was reported already. */
  public synchronized boolean insertReading(MeterReading m) {
    return tx(
        () -> {
          try (PreparedStatement q =
              c.prepareStatement("SELECT 1 FROM meter_reading WHERE trade_id = ?")) {
            q.setString(1, m.tradeId());
            try (ResultSet r = q.executeQuery()) {
              if (r.next()) {
                return false;
              }
            }
          }
          try (PreparedStatement p =
              c.prepareStatement(
                  "INSERT INTO meter_reading VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, m.tradeId());
            p.setLong(2, m.round());
            p.setLong(3, m.slot());
            p.setString(4, m.market());
            p.setString(5, m.buyer());
            p.setString(6, m.seller());
            p.setString(7, m.buyOrderId());
            p.setString(8, m.sellOrderId());
            p.setLong(9, m.contractedQuantity());
            p.setLong(10, m.deliveredQuantity());
            p.setLong(11, m.certifiedWh());
            p.setString(12, m.reportedBy());
            p.setLong(13, m.reportedAtMillis());
            p.executeUpdate();
          }
          return true;
        });
  }

  public synchronized Optional<MeterReading> reading(String tradeId) {
    return tx(
        () -> {
          try (PreparedStatement p =
              c.prepareStatement("SELECT * FROM meter_reading WHERE trade_id = ?")) {
            p.setString(1, tradeId);
            try (ResultSet r = p.executeQuery()) {
              return r.next() ? Optional.of(reading(r)) : Optional.<MeterReading>empty();
            }
          }
        });
  }

  /**
   * Readings filtered by participant (buyer or seller; null = all), market (null = both) and slots.
   */
  public synchronized List<MeterReading> readings(
      String participant, String market, long fromSlot, long toSlot, int offset, int limit) {
    return tx(
        () -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT * FROM meter_reading WHERE (? IS NULL OR buyer = ? OR seller = ?)"
                      + " AND (? IS NULL OR market = ?) AND slot BETWEEN ? AND ? ORDER BY slot, trade_id LIMIT ? OFFSET ?")) {
            p.setString(1, participant);
            p.setString(2, participant);
            p.setString(3, participant);
            p.setString(4, market);
            p.setString(5, market);
            p.setLong(6, fromSlot);
            p.setLong(7, toSlot);
            p.setInt(8, limit);
            p.setInt(9, offset);
            List<MeterReading> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
              while (r.next()) {
                out.add(reading(r));
              }
            }
            return out;
          }
        });
  }

  /** True when the database answers a trivial query (readiness). */
  public synchronized boolean ping() {
    try {
      return tx(
          () -> {
            try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT 1")) {
              return r.next();
            }
          });
    } catch (StoreException e) {
      return false;
    }
  }

  private static MeterReading reading(ResultSet r) throws SQLException {
    return new MeterReading(
        r.getString("trade_id"),
        r.getLong("round"),
        r.getLong("slot"),
        r.getString("market"),
        r.getString("buyer"),
        r.getString("seller"),
        r.getString("buy_order_id"),
        r.getString("sell_order_id"),
        r.getLong("contracted"),
        r.getLong("delivered"),
        r.getLong("certified_wh"),
        r.getString("reported_by"),
        r.getLong("reported_at"));
  }

  private <T> T tx(Transactions.SqlWork<T> work) {
    return Transactions.run(c, "surface store", work);
  }

  @Override
  public synchronized void close() {
    try {
      c.close();
    } catch (SQLException e) {
      // closing at shutdown; nothing to recover
    }
  }
}
