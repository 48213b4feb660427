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
   * Every webhook, read once and again after each change through this store (its only writer):
   * every event asks for its audience's webhooks, a round's fills by the hundred thousand.
   */
  private List<Webhook> all;

  /**
   * Over the engine database's {@code webhook} table, which the store's schema creates; the handle
   * is shared with the other stores of the database.
   */
  public WebhookStore(Database db) {
    this.db = db;
  }

  public synchronized void insert(Webhook w) {
    try {
      insertRow(w);
    } finally {
      all = null;
    }
  }

  private void insertRow(Webhook w) {
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
  public synchronized List<Webhook> list(String owner) {
    if (all == null) {
      all = readAll();
    }
    return owner == null ? all : all.stream().filter(w -> w.owner().equals(owner)).toList();
  }

  private List<Webhook> readAll() {
    return run(
        c -> {
          try (PreparedStatement p =
              c.prepareStatement("SELECT * FROM webhook ORDER BY created_at, webhook_id")) {
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
            return List.copyOf(out);
          }
        });
  }

  public Optional<Webhook> get(String webhookId) {
    return list(null).stream().filter(w -> w.webhookId().equals(webhookId)).findFirst();
  }

  /** Deletes {@code owner}'s webhook; false when it has none by that id. */
  public synchronized boolean delete(String webhookId, String owner) {
    try {
      return deleteRow(webhookId, owner);
    } finally {
      all = null;
    }
  }

  private boolean deleteRow(String webhookId, String owner) {
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
