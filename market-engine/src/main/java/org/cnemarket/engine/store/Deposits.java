package org.cnemarket.engine.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Deposits, each moving the account view in the transaction that records it, on their way to the
 * ledger.
 */
public final class Deposits {
  private final Database db;

  Deposits(Database db) {
    this.db = db;
  }

  /** Records a deposit; returns false when the id exists already (with the same data). */
  public boolean insert(String depositId, String account, long amountMicros, long nowMillis) {
    return db.inTransaction(
        c -> {
          Optional<Boolean> same =
              Sql.first(
                  c,
                  "SELECT account, amount_micros FROM deposits WHERE deposit_id = ?",
                  List.of(depositId),
                  r -> r.getString(1).equals(account) && r.getLong(2) == amountMicros);
          if (same.isPresent()) {
            if (!same.get()) {
              throw new IllegalStateException(
                  "deposit id " + depositId + " was used for another deposit");
            }
            return false;
          }
          Sql.update(
              c,
              "INSERT INTO deposits(deposit_id, account, amount_micros, created_at, ledger_state) VALUES(?,?,?,?,?)",
              List.of(depositId, account, amountMicros, nowMillis, LedgerState.PENDING.name()));
          AccountViews.move(c, account, amountMicros, 0);
          return true;
        });
  }

  public long totalMicros() {
    return db.inTransaction(
        c -> Sql.number(c, "SELECT COALESCE(SUM(amount_micros), 0) FROM deposits"));
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
                  "SELECT account, amount_micros FROM deposits WHERE deposit_id = ? AND ledger_state = ?")) {
            q.setString(1, depositId);
            q.setString(2, LedgerState.PENDING.name());
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
                "SELECT deposit_id, account, amount_micros FROM deposits WHERE ledger_state = ?"
                    + " ORDER BY created_at, deposit_id",
                List.of(LedgerState.PENDING.name()),
                r -> new PendingDeposit(r.getString(1), r.getString(2), r.getLong(3))));
  }

  /**
   * The deposits of {@code account} the ledger confirmed, oldest first: what a repair sends again
   * when the ledger lost them (a deposit is idempotent on its id, so one it holds is a no-op).
   */
  public List<PendingDeposit> onLedger(String account) {
    return db.inTransaction(
        c ->
            Sql.list(
                c,
                "SELECT deposit_id, account, amount_micros FROM deposits WHERE account = ?"
                    + " AND ledger_state = ? ORDER BY created_at, deposit_id",
                List.of(account.toLowerCase(Locale.ROOT), LedgerState.DONE.name()),
                r -> new PendingDeposit(r.getString(1), r.getString(2), r.getLong(3))));
  }
}
