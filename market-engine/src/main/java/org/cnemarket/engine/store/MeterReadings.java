package org.cnemarket.engine.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Metered deliveries, one per trade, and the database's readiness. */
public final class MeterReadings {
  private final Database db;

  /** A metered delivery of one trade. */
  public record MeterReading(
      String tradeId,
      long round,
      long slot,
      String market,
      String buyer,
      String seller,
      String buyOrderId,
      String sellOrderId,
      long contractedQuantity,
      long deliveredQuantity,
      long certifiedWh,
      String reportedBy,
      long reportedAtMillis) {}

  MeterReadings(Database db) {
    this.db = db;
  }

  /** Records a reading; false when the trade was reported already. */
  public boolean insertReading(MeterReading m) {
    return tx(
        c -> {
          try (PreparedStatement q =
              c.prepareStatement("SELECT 1 FROM meter_reading WHERE trade_id = ?")) {
            q.setString(1, m.tradeId());
            try (ResultSet r = q.executeQuery()) {
              if (r.next()) {
                return false;
              }
            }
          }
          try (PreparedStatement p =
              c.prepareStatement(
                  "INSERT INTO meter_reading VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, m.tradeId());
            p.setLong(2, m.round());
            p.setLong(3, m.slot());
            p.setString(4, m.market());
            p.setString(5, m.buyer());
            p.setString(6, m.seller());
            p.setString(7, m.buyOrderId());
            p.setString(8, m.sellOrderId());
            p.setLong(9, m.contractedQuantity());
            p.setLong(10, m.deliveredQuantity());
            p.setLong(11, m.certifiedWh());
            p.setString(12, m.reportedBy());
            p.setLong(13, m.reportedAtMillis());
            p.executeUpdate();
          }
          return true;
        });
  }

  public Optional<MeterReading> reading(String tradeId) {
    return tx(
        c -> {
          try (PreparedStatement p =
              c.prepareStatement("SELECT * FROM meter_reading WHERE trade_id = ?")) {
            p.setString(1, tradeId);
            try (ResultSet r = p.executeQuery()) {
              return r.next() ? Optional.of(reading(r)) : Optional.<MeterReading>empty();
            }
          }
        });
  }

  /**
   * Readings filtered by participant (buyer or seller; null = all), market (null = both) and slots.
   */
  public List<MeterReading> readings(
      String participant, String market, long fromSlot, long toSlot, int offset, int limit) {
    return tx(
        c -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT * FROM meter_reading WHERE (? IS NULL OR buyer = ? OR seller = ?)"
                      + " AND (? IS NULL OR market = ?) AND slot BETWEEN ? AND ? ORDER BY slot, trade_id LIMIT ? OFFSET ?")) {
            p.setString(1, participant);
            p.setString(2, participant);
            p.setString(3, participant);
            p.setString(4, market);
            p.setString(5, market);
            p.setLong(6, fromSlot);
            p.setLong(7, toSlot);
            p.setInt(8, limit);
            p.setInt(9, offset);
            List<MeterReading> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
              while (r.next()) {
                out.add(reading(r));
              }
            }
            return out;
          }
        });
  }

  /** True when the database answers a trivial query (readiness). */
  public boolean ping() {
    try {
      return tx(
          c -> {
            try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT 1")) {
              return r.next();
            }
          });
    } catch (StoreException e) {
      return false;
    }
  }

  private static MeterReading reading(ResultSet r) throws SQLException {
    return new MeterReading(
        r.getString("trade_id"),
        r.getLong("round"),
        r.getLong("slot"),
        r.getString("market"),
        r.getString("buyer"),
        r.getString("seller"),
        r.getString("buy_order_id"),
        r.getString("sell_order_id"),
        r.getLong("contracted"),
        r.getLong("delivered"),
        r.getLong("certified_wh"),
        r.getString("reported_by"),
        r.getLong("reported_at"));
  }

  // Stores of the database share its handle and serialise on it.
  private <T> T tx(Database.Work<T> work) {
    return db.inTransaction("MeterReadings", work);
  }
}
