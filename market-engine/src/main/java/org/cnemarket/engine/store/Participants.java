package org.cnemarket.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.cnemarket.core.model.Participant;
import org.cnemarket.core.model.Role;

/**
 * Registered participants (their registrations on the way to the ledger) and the auditors the
 * operator admitted.
 */
public final class Participants {
  private final Database db;

  Participants(Database db) {
    this.db = db;
  }

  /**
   * Records a participant whose registration is not yet on the ledger (see {@link #markOnLedger}).
   */
  public void insert(Participant p, String registrationJson, long nowMillis) {
    db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO participants(address, role, name, registered_at, ledger_state, registration_json)"
                      + " VALUES(?,?,?,?,?,?)")) {
            s.setString(1, p.address());
            s.setString(2, p.role().name());
            s.setString(3, p.name());
            s.setLong(4, nowMillis);
            s.setString(
                5, (registrationJson == null ? LedgerState.DONE : LedgerState.PENDING).name());
            s.setString(6, registrationJson);
            s.executeUpdate();
          }
          return null;
        });
  }

  public void insert(Participant p, long nowMillis) {
    insert(p, null, nowMillis);
  }

  public void markOnLedger(String address) {
    db.inTransaction(
        c ->
            Sql.update(
                c,
                "UPDATE participants SET ledger_state = ? WHERE address = ?",
                List.of(LedgerState.DONE.name(), address)));
  }

  /** Forgets a registration the ledger refused; nothing can refer to it yet but refused orders. */
  public void removeRefused(String address) {
    db.inTransaction(
        c ->
            Sql.update(
                c,
                "DELETE FROM participants WHERE address = ? AND ledger_state = ?",
                List.of(address, LedgerState.PENDING.name())));
  }

  /**
   * Signed registrations recorded by the engine and not yet confirmed by the ledger, oldest first.
   */
  public List<String> pendingRegistrations() {
    return db.inTransaction(
        c ->
            Sql.list(
                c,
                "SELECT registration_json FROM participants WHERE ledger_state = ? ORDER BY registered_at, address",
                List.of(LedgerState.PENDING.name()),
                r -> r.getString(1)));
  }

  /**
   * The participant's own signed registration as the engine recorded it (JSON), if it has one: a
   * repair registers it again on a ledger that lost it.
   */
  public Optional<String> registrationJson(String address) {
    return db.inTransaction(
        c ->
            Sql.first(
                c,
                "SELECT registration_json FROM participants WHERE address = ?"
                    + " AND registration_json IS NOT NULL",
                List.of(address.toLowerCase(Locale.ROOT)),
                r -> r.getString(1)));
  }

  /** Admits {@code address} to register as an auditor; false when it was admitted already. */
  public boolean admitAuditor(String address, long nowMillis) {
    return db.inTransaction(
        c -> {
          if (admitted(c, address)) {
            return false;
          }
          Sql.update(
              c,
              "INSERT INTO admitted_auditors(address, admitted_at) VALUES(?,?)",
              List.of(address, nowMillis));
          return true;
        });
  }

  /** Admitted auditor addresses and when, oldest first. */
  public List<Map.Entry<String, Long>> admittedAuditors() {
    return db.inTransaction(
        c ->
            Sql.list(
                c,
                "SELECT address, admitted_at FROM admitted_auditors ORDER BY admitted_at, address",
                List.of(),
                r -> Map.entry(r.getString(1), r.getLong(2))));
  }

  public boolean auditorAdmitted(String address) {
    return db.inTransaction(c -> admitted(c, address));
  }

  private static boolean admitted(Connection c, String address) throws SQLException {
    return Sql.exists(c, "SELECT 1 FROM admitted_auditors WHERE address = ?", List.of(address));
  }

  public Optional<Participant> get(String address) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT address, role, name FROM participants WHERE address = ?")) {
            s.setString(1, address);
            try (ResultSet r = s.executeQuery()) {
              return r.next()
                  ? Optional.of(
                      new Participant(r.getString(1), Role.valueOf(r.getString(2)), r.getString(3)))
                  : Optional.<Participant>empty();
            }
          }
        });
  }

  public List<Participant> list(Role role, int offset, int limit) {
    return db.inTransaction(
        c -> {
          String sql =
              "SELECT address, role, name FROM participants"
                  + (role == null ? "" : " WHERE role = ?")
                  + " ORDER BY registered_at, address OFFSET ? ROWS FETCH NEXT ? ROWS ONLY";
          try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            if (role != null) {
              s.setString(i++, role.name());
            }
            s.setInt(i++, offset);
            s.setInt(i, limit);
            List<Participant> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                out.add(
                    new Participant(r.getString(1), Role.valueOf(r.getString(2)), r.getString(3)));
              }
            }
            return out;
          }
        });
  }
}
