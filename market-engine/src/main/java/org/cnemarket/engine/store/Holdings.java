package org.cnemarket.engine.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/** What the engine holds that the ledger must hold too (or is on its way there), by id. */
public record Holdings(
    Set<String> orders,
    Set<String> ordersOnLedger,
    long ordersPending,
    Set<String> deposits,
    long depositsPending,
    Set<String> batches,
    Set<String> settledBatches,
    Set<String> trades,
    Set<String> meterReadings) {
  /** Reads the holdings, in the caller's transaction. */
  static Holdings read(Connection c) throws SQLException {
    Set<String> all = new HashSet<>();
    Set<String> orders = new HashSet<>();
    Set<String> deposits = new HashSet<>();
    Set<String> batches = new HashSet<>();
    Set<String> settled = new HashSet<>();
    Set<String> trades = new HashSet<>();
    Set<String> readings = new HashSet<>();
    long ordersPending = 0;
    long depositsPending = 0;
    try (Statement s = c.createStatement()) {
      long doneSeq = Orders.doneSeq(c);
      try (ResultSet r = s.executeQuery("SELECT order_id, ledger_state, seq FROM orders")) {
        while (r.next()) {
          all.add(r.getString(1));
          String state = r.getString(2);
          boolean fed = LedgerState.PENDING.name().equals(state) && r.getLong(3) <= doneSeq;
          if (LedgerState.DONE.name().equals(state) || fed) {
            orders.add(r.getString(1));
          } else if (LedgerState.PENDING.name().equals(state)) {
            ordersPending++;
          }
        }
      }
      try (ResultSet r = s.executeQuery("SELECT deposit_id, ledger_state FROM deposits")) {
        while (r.next()) {
          if (LedgerState.DONE.name().equals(r.getString(2))) {
            deposits.add(r.getString(1));
          } else {
            depositsPending++;
          }
        }
      }
      try (ResultSet r = s.executeQuery("SELECT batch_id, status FROM outbox")) {
        while (r.next()) {
          batches.add(r.getString(1));
          if (BatchStatus.SETTLED.name().equals(r.getString(2))) {
            settled.add(r.getString(1));
          }
        }
      }
      Trades.forEach(c, t -> trades.add(t.tradeId()));
      try (ResultSet r = s.executeQuery("SELECT trade_id FROM meter_reading")) {
        while (r.next()) {
          readings.add(r.getString(1));
        }
      }
    }
    return new Holdings(
        all, orders, ordersPending, deposits, depositsPending, batches, settled, trades, readings);
  }
}
