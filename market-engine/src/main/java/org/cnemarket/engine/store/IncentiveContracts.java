package org.cnemarket.engine.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Incentive contracts providers took: at most one per provider and epoch. */
public final class IncentiveContracts {
  /**
   * A provider's signed choice of contract {@code index} from the menu of {@code epoch}, for its
   * type; {@code nonce} is the signed uint64 (its bits, in a long).
   */
  public record TakenContract(
      String provider,
      long epoch,
      long index,
      long type,
      long nonce,
      long committedMilliUnits,
      long rewardMicros) {}

  private final Database db;

  IncentiveContracts(Database db) {
    this.db = db;
  }

  /** The contract {@code provider} took in {@code epoch}, if any. */
  public Optional<TakenContract> get(long epoch, String provider) {
    return db.inTransaction(
        c ->
            Sql.first(
                c,
                "SELECT provider, epoch, contract_index, provider_type, nonce, committed_milli_units,"
                    + " reward_micros FROM incentive_contracts WHERE epoch = ? AND provider = ?",
                List.of(epoch, provider),
                r ->
                    new TakenContract(
                        r.getString(1),
                        r.getLong(2),
                        r.getLong(3),
                        r.getLong(4),
                        r.getLong(5),
                        r.getLong(6),
                        r.getLong(7))));
  }

  /** Records a taken contract (the caller checked that none was taken for the epoch). */
  public void insert(TakenContract t) {
    db.inTransaction(c -> insert(c, t));
  }

  static int insert(Connection c, TakenContract t) throws SQLException {
    return Sql.update(
        c,
        "INSERT INTO incentive_contracts(provider, epoch, contract_index, provider_type, nonce,"
            + " committed_milli_units, reward_micros) VALUES(?, ?, ?, ?, ?, ?, ?)",
        List.of(
            t.provider(),
            t.epoch(),
            t.index(),
            t.type(),
            t.nonce(),
            t.committedMilliUnits(),
            t.rewardMicros()));
  }
}
