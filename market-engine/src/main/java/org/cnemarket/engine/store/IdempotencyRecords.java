package org.cnemarket.engine.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * Responses to idempotent POSTs by (scope, Idempotency-Key), kept in the database so several engine
 * instances can serve the API.
 */
public final class IdempotencyRecords {
  private final Database db;

  /** A stored response to an idempotent POST; {@code status == 0} while the first request runs. */
  public record IdempotentResponse(
      String requestHash, int status, String contentType, String body) {}

  IdempotencyRecords(Database db) {
    this.db = db;
  }

  /**
   * Claims {@code (scope, key)} for a request with {@code hash}: empty when this request is the
   * first (and now owns the key), otherwise what is stored.
   */
  public Optional<IdempotentResponse> claim(String scope, String key, String hash, long nowMillis) {
    return tx(
        c -> {
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

  public void complete(String scope, String key, int status, String contentType, String body) {
    tx(
        c -> {
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
  public void release(String scope, String key) {
    tx(
        c -> {
          try (PreparedStatement p =
              c.prepareStatement("DELETE FROM idempotency WHERE scope = ? AND idem_key = ?")) {
            p.setString(1, scope);
            p.setString(2, key);
            p.executeUpdate();
          }
          return null;
        });
  }

  // Stores of the database share its handle and serialise on it.
  private <T> T tx(Database.Work<T> work) {
    return db.inTransaction("IdempotencyRecords", work);
  }
}
