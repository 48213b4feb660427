package org.cnemarket.engine.notify;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cnemarket.engine.store.Database;

/** Registered webhooks, in the engine database (the engine keeps no state outside it). */
public final class WebhookStore {
  /** A participant's endpoint; {@code secret} keys the HMAC of every delivery. */
  public record Webhook(
      String webhookId, String owner, String url, String secret, long createdAtMillis) {}

  private final Database db;

  /** Creates its table if missing; the handle is shared with the other stores of the database. */
  public WebhookStore(Database db) {
    this.db = db;
    run(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute(
                "CREATE TABLE IF NOT EXISTS webhook(webhook_id VARCHAR(40) PRIMARY KEY, owner VARCHAR(42) NOT NULL,"
                    + " url VARCHAR(2000) NOT NULL, secret VARCHAR(64) NOT NULL, created_at BIGINT NOT NULL)");
            s.execute("CREATE INDEX IF NOT EXISTS webhook_owner ON webhook(owner)");
          }
          return null;
        });
  }

  public void insert(Webhook w) {
    run(
        c -> {
          try (PreparedStatement p =
              c.prepareStatement("INSERT INTO webhook VALUES (?, ?, ?, ?, ?)")) {
            p.setString(1, w.webhookId());
            p.setString(2, w.owner());
            p.setString(3, w.url());
            p.setString(4, w.secret());
            p.setLong(5, w.createdAtMillis());
            p.executeUpdate();
          }
          return null;
        });
  }

  /** The webhooks of {@code owner}, or every webhook when {@code owner} is null. */
  public List<Webhook> list(String owner) {
    return run(
        c -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  owner == null
                      ? "SELECT * FROM webhook ORDER BY created_at, webhook_id"
                      : "SELECT * FROM webhook WHERE owner = ? ORDER BY created_at, webhook_id")) {
            if (owner != null) {
              p.setString(1, owner);
            }
            List<Webhook> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new Webhook(
                        rs.getString("webhook_id"),
                        rs.getString("owner"),
                        rs.getString("url"),
                        rs.getString("secret"),
                        rs.getLong("created_at")));
              }
            }
            return out;
          }
        });
  }

  public Optional<Webhook> get(String webhookId) {
    return list(null).stream().filter(w -> w.webhookId().equals(webhookId)).findFirst();
  }

  /** Deletes {@code owner}'s webhook; false when it has none by that id. */
  public boolean delete(String webhookId, String owner) {
    return run(
        c -> {
          try (PreparedStatement p =
              c.prepareStatement("DELETE FROM webhook WHERE webhook_id = ? AND owner = ?")) {
            p.setString(1, webhookId);
            p.setString(2, owner);
            return p.executeUpdate() == 1;
          }
        });
  }

  // Stores of the database share its handle and serialise on it.
  private <T> T run(Database.Work<T> work) {
    return db.inTransaction("webhook store", work);
  }
}
