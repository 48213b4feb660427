package org.cnemarket.engine.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Deposits, each moving the account view in the transaction that records it, on their way to the
 * ledger.
 */
public final class Deposits {
  private final Database db;

  Deposits(Database db) {
    this.db = db;
  }

  /** True when {@code depositId} was recorded for another account or amount. */
  public boolean conflicts(String depositId, String account, long amountMicros) {
    return db.inTransaction(
        c -> {
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
  public boolean insert(String depositId, String account, long amountMicros, long nowMillis) {
    return db.inTransaction(
        c -> {
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
            s.setString(5, LedgerState.PENDING.name());
            s.executeUpdate();
          }
          AccountViews.move(c, account, amountMicros, 0);
          return true;
        });
  }

  public long totalMicros() {
    return db.inTransaction(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet r =
                  s.executeQuery("SELECT COALESCE(SUM(amount_micros), 0) FROM deposits")) {
            r.next();
            return r.getLong(1);
          }
        });
  }

  public List<String> accounts() {
    return db.inTransaction(
        c -> {
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

  public void markOnLedger(String depositId) {
    db.inTransaction(
        c ->
            Sql.update(
                c,
                "UPDATE deposits SET ledger_state = ? WHERE deposit_id = ?",
                List.of(LedgerState.DONE.name(), depositId)));
  }

  /** Reverses a deposit the ledger refused: the credit leaves the engine's account view. */
  public void refuse(String depositId) {
    db.inTransaction(
        c -> {
          try (PreparedStatement q =
              c.prepareStatement(
                  "SELECT account, amount_micros FROM deposits WHERE deposit_id = ? AND ledger_state = 'PENDING'")) {
            q.setString(1, depositId);
            try (ResultSet r = q.executeQuery()) {
              if (r.next()) {
                AccountViews.move(c, r.getString(1), -r.getLong(2), 0);
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

  public List<PendingDeposit> pending() {
    return db.inTransaction(
        c ->
            Sql.list(
                c,
                "SELECT deposit_id, account, amount_micros FROM deposits WHERE ledger_state = 'PENDING'"
                    + " ORDER BY created_at, deposit_id",
                List.of(),
                r -> new PendingDeposit(r.getString(1), r.getString(2), r.getLong(3))));
  }
}
