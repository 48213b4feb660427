package org.cnemarket.engine.store;

import java.sql.PreparedStatement;

/** Sign-in (EIP-4361) nonces: issued to one address, used once, expiring. */
public final class SignInNonces {
  private final Database db;

  SignInNonces(Database db) {
    this.db = db;
  }

  public void putNonce(String nonce, String address, long expiresAtMillis) {
    tx(
        c -> {
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
  public boolean consumeNonce(String nonce, String address, long nowMillis) {
    return tx(
        c -> {
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

  // Stores of the database share its handle and serialise on it.
  private <T> T tx(Database.Work<T> work) {
    return db.inTransaction("SignInNonces", work);
  }
}
