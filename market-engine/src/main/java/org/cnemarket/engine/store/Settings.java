package org.cnemarket.engine.store;

import java.sql.PreparedStatement;
import java.util.List;
import java.util.Optional;

/**
 * What is truly a setting of the engine, by key (the {@code kv} table): the EVM market address, the
 * token signing key, whether the account view was built, the schema version.
 */
public final class Settings {
  private final Database db;

  Settings(Database db) {
    this.db = db;
  }

  public Optional<String> get(String key) {
    return db.inTransaction(
        c -> Sql.first(c, "SELECT v FROM kv WHERE k = ?", List.of(key), r -> r.getString(1)));
  }

  public void put(String key, String value) {
    db.inTransaction(
        c -> {
          try (PreparedStatement p =
              c.prepareStatement("MERGE INTO kv(k, v) KEY(k) VALUES(?, ?)")) {
            p.setString(1, key);
            p.setString(2, value);
            p.executeUpdate();
          }
          return null;
        });
  }
}
