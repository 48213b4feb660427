package org.cnemarket.engine.notify;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

  /**
   * Over the engine database's {@code webhook} table, which the store's schema creates; the handle
   * is shared with the other stores of the database.
   */
  public WebhookStore(Database db) {
    this.db = db;
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
