package org.cnemarket.engine.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every change of the mechanism parameters, with the first round it applies to: the last is what
 * the next round clears with (each round's inputs record their own).
 */
public final class MechanismChanges {
  private final Database db;

  MechanismChanges(Database db) {
    this.db = db;
  }

  /** One change of the mechanism parameters: from which round, what, by whom and when. */
  public record MechanismChange(
      long seq, long fromRound, String parametersJson, String setBy, long setAtMillis) {}

  /** Records a change of the mechanism parameters (committed before it returns). */
  public MechanismChange record(
      long fromRound, String parametersJson, String setBy, long nowMillis) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "INSERT INTO mechanism_changes(from_round, parameters_json, set_by, set_at)"
                      + " VALUES(?, ?, ?, ?)",
                  Statement.RETURN_GENERATED_KEYS)) {
            p.setLong(1, fromRound);
            p.setString(2, parametersJson);
            p.setString(3, setBy);
            p.setLong(4, nowMillis);
            p.executeUpdate();
            try (ResultSet r = p.getGeneratedKeys()) {
              r.next();
              return new MechanismChange(r.getLong(1), fromRound, parametersJson, setBy, nowMillis);
            }
          }
        });
  }

  /** The latest change: the parameters the next round clears with (empty before any). */
  public Optional<MechanismChange> current() {
    List<MechanismChange> last = changes(0, 1);
    return last.isEmpty() ? Optional.empty() : Optional.of(last.get(0));
  }

  /** The changes, newest first. */
  public List<MechanismChange> changes(int offset, int limit) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT seq, from_round, parameters_json, set_by, set_at FROM mechanism_changes"
                      + " ORDER BY seq DESC LIMIT ? OFFSET ?")) {
            p.setInt(1, limit);
            p.setInt(2, offset);
            List<MechanismChange> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
              while (r.next()) {
                out.add(
                    new MechanismChange(
                        r.getLong(1), r.getLong(2), r.getString(3), r.getString(4), r.getLong(5)));
              }
            }
            return out;
          }
        });
  }
}
