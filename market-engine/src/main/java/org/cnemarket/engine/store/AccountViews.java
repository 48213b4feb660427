package org.cnemarket.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Units;

/**
 * The engine's view of every ledger account, moved in the same transaction as the record that moves
 * it: orders are checked for funds here, before the ledger sees them.
 */
public final class AccountViews {
  private final Database db;

  /** The settings row present once the view was built. */
  private static final String VIEW_SETTING = "accounts.view";

  AccountViews(Database db) {
    this.db = db;
  }

  /**
   * The engine's view of a ledger account: what it must hold once every intent is on the ledger.
   */
  public record AccountView(String address, long availableMicros, long escrowMicros) {}

  public Optional<AccountView> get(String address) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT address, available_micros, escrow_micros FROM accounts WHERE address = ?")) {
            s.setString(1, address);
            try (ResultSet r = s.executeQuery()) {
              return r.next()
                  ? Optional.of(new AccountView(r.getString(1), r.getLong(2), r.getLong(3)))
                  : Optional.<AccountView>empty();
            }
          }
        });
  }

  public List<AccountView> list() {
    return db.inTransaction(
        c ->
            Sql.list(
                c,
                "SELECT address, available_micros, escrow_micros FROM accounts ORDER BY address",
                List.of(),
                r -> new AccountView(r.getString(1), r.getLong(2), r.getLong(3))));
  }

  /** Per account: deposits, and escrow still held by its open buy orders (locked minus spent). */
  public record AccountBook(String address, long depositsMicros, long openEscrowMicros) {}

  public Map<String, AccountBook> books() {
    return db.inTransaction(
        c -> {
          Map<String, long[]> m = new TreeMap<>();
          try (Statement s = c.createStatement()) {
            try (ResultSet r =
                s.executeQuery(
                    "SELECT account, SUM(amount_micros) FROM deposits GROUP BY account")) {
              while (r.next()) {
                m.computeIfAbsent(r.getString(1), k -> new long[2])[0] = r.getLong(2);
              }
            }
            try (ResultSet r =
                s.executeQuery(
                    "SELECT o.trader, SUM(o.locked_micros - s.spent_micros) FROM orders o"
                        + " JOIN order_state s ON s.seq = o.seq WHERE s.escrow_open GROUP BY o.trader")) {
              while (r.next()) {
                m.computeIfAbsent(r.getString(1), k -> new long[2])[1] = r.getLong(2);
              }
            }
          }
          Map<String, AccountBook> out = new TreeMap<>();
          m.forEach((k, v) -> out.put(k, new AccountBook(k, v[0], v[1])));
          return out;
        });
  }

  /** True once the account view was built (new databases, or rebuilt from the ledger once). */
  public boolean viewReady() {
    return db.inTransaction(
        c ->
            Sql.first(c, "SELECT v FROM kv WHERE k = ?", List.of(VIEW_SETTING), r -> r.getString(1))
                .isPresent());
  }

  /** Sets the account view from balances read off the ledger (databases from before the view). */
  public void rebuildView(List<AccountView> fromLedger, Map<String, long[]> buyOrders) {
    db.inTransaction(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM accounts");
          }
          for (AccountView a : fromLedger) {
            put(c, a.address(), a.availableMicros(), a.escrowMicros());
          }
          try (PreparedStatement u =
                  c.prepareStatement(
                      "UPDATE orders SET locked_micros = ? WHERE order_key = ? AND order_id = ?");
              PreparedStatement st =
                  c.prepareStatement(
                      "UPDATE order_state SET spent_micros = ?, escrow_open = ?"
                          + " WHERE seq = (SELECT seq FROM orders o "
                          + Orders.BY_ID
                          + ")")) {
            for (var e : buyOrders.entrySet()) {
              u.setLong(1, e.getValue()[0]);
              u.setLong(2, Orders.key(e.getKey()));
              u.setString(3, e.getKey());
              u.addBatch();
              st.setLong(1, e.getValue()[1]);
              st.setBoolean(2, e.getValue()[2] != 0);
              st.setLong(3, Orders.key(e.getKey()));
              st.setString(4, e.getKey());
              st.addBatch();
            }
            u.executeBatch();
            st.executeBatch();
          }
          try (PreparedStatement p =
              c.prepareStatement(
                  "MERGE INTO kv(k, v) KEY(k) VALUES('" + VIEW_SETTING + "', '1')")) {
            p.executeUpdate();
          }
          return null;
        });
  }

  /**
   * For databases from before the account view: every buy order's {locked, spent, escrow open} from
   * its limit, its trades and its status.
   */
  public Map<String, long[]> legacyBuyOrderBooks() {
    return db.inTransaction(
        c -> {
          Map<String, long[]> out = new HashMap<>();
          try (Statement s = c.createStatement();
              ResultSet r =
                  s.executeQuery(
                      "SELECT o.order_id, o.kind, o.quantity, o.price_micros, s.status FROM orders o"
                          + " JOIN order_state s ON s.seq = o.seq")) {
            while (r.next()) {
              var kind = OrderKind.valueOf(r.getString(2));
              if (kind.side() == OrderKind.Side.BUY) {
                out.put(
                    r.getString(1),
                    new long[] {
                      Units.maxCostMicros(r.getLong(3), r.getLong(4)),
                      0,
                      OrderStatus.OPEN.name().equals(r.getString(5)) ? 1 : 0
                    });
              }
            }
          }
          Trades.forEach(
              c,
              t -> {
                long[] o = out.get(t.buyOrderId());
                if (o != null) {
                  o[1] += t.amountMicros();
                }
              });
          return out;
        });
  }

  /** Moves an account by deltas, in the caller's transaction. */
  static void move(Connection c, String address, long availableDelta, long escrowDelta)
      throws SQLException {
    long available = 0;
    long escrow = 0;
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT available_micros, escrow_micros FROM accounts WHERE address = ?")) {
      q.setString(1, address);
      try (ResultSet r = q.executeQuery()) {
        if (r.next()) {
          available = r.getLong(1);
          escrow = r.getLong(2);
        }
      }
    }
    put(c, address, Math.addExact(available, availableDelta), Math.addExact(escrow, escrowDelta));
  }

  /** Sets an account, in the caller's transaction. */
  static void put(Connection c, String address, long available, long escrow) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "MERGE INTO accounts(address, available_micros, escrow_micros) KEY(address) VALUES(?,?,?)")) {
      p.setString(1, address);
      p.setLong(2, available);
      p.setLong(3, escrow);
      p.executeUpdate();
    }
  }
}
