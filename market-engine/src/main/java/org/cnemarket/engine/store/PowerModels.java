package org.cnemarket.engine.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.cnemarket.engine.round.PowerProfile;

/** Providers' declared power models, one per provider (the operator may replace it). */
public final class PowerModels {
  private final Database db;

  PowerModels(Database db) {
    this.db = db;
  }

  /** Declares or replaces {@code provider}'s power model. */
  public void put(String provider, PowerProfile model) {
    db.inTransaction(c -> put(c, provider, model));
  }

  public Optional<PowerProfile> get(String provider) {
    return db.inTransaction(
        c ->
            Sql.first(
                c,
                "SELECT idle_w, peak_w, pue_bps, utilisation_bps, network_bits_per_unit,"
                    + " network_picojoules_per_bit FROM power_models WHERE provider = ?",
                List.of(provider),
                r ->
                    new PowerProfile(
                        r.getLong(1),
                        r.getLong(2),
                        r.getLong(3),
                        r.getLong(4),
                        r.getLong(5),
                        r.getLong(6))));
  }

  static int put(Connection c, String provider, PowerProfile m) throws SQLException {
    return Sql.update(
        c,
        "MERGE INTO power_models(provider, idle_w, peak_w, pue_bps, utilisation_bps,"
            + " network_bits_per_unit, network_picojoules_per_bit) KEY(provider)"
            + " VALUES(?, ?, ?, ?, ?, ?, ?)",
        List.of(
            provider,
            m.idleW(),
            m.peakW(),
            m.pueBps(),
            m.utilisationBps(),
            m.networkBitsPerUnit(),
            m.networkPicojoulesPerBit()));
  }
}
