package org.cnemarket.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cnemarket.core.codec.PackedOrders;
import org.cnemarket.core.model.SignedOrder;

/**
 * Orders: the group-committed intake (with the escrow it takes in the account view), fills, and
 * their way to the ledger.
 */
public final class Orders {
  private final Database db;

  Orders(Database db) {
    this.db = db;
  }

  /**
   * An order for the intake: its id, signed content (and that content packed, on the caller's
   * thread, so that the one intake writer only inserts) and the escrow a buy order locks.
   */
  public record IntakeOrder(
      String orderId, SignedOrder signed, long lockMicros, boolean buy, byte[] packed) {
    public IntakeOrder(String orderId, SignedOrder signed, long lockMicros, boolean buy) {
      this(orderId, signed, lockMicros, buy, PackedOrders.packOne(signed));
    }
  }

  /** Why the intake refused an order that passed its stateless checks. */
  public enum IntakeRefusal {
    NONCE_USED,
    SLOT_CLOSED,
    INSUFFICIENT_FUNDS
  }

  /**
   * Records a group of orders in one transaction (group commit): each is checked against the orders
   * before it (nonce unused, slot still open, funds for a buy order's escrow), then inserted with
   * its escrow moved in the account view. Returns null for an accepted order and the refusal
   * otherwise, index for index. Nothing of a refused order is written.
   */
  public List<IntakeRefusal> accept(List<IntakeOrder> group, long nowMillis) {
    return db.inTransaction(
        c -> {
          long closedSlot = -1;
          try (Statement s = c.createStatement();
              ResultSet r = s.executeQuery("SELECT MAX(slot) FROM rounds")) {
            r.next();
            long v = r.getLong(1);
            closedSlot = r.wasNull() ? -1 : v;
          }
          List<IntakeRefusal> out = new ArrayList<>(group.size());
          Set<String> noncesInGroup = new HashSet<>();
          Map<String, long[]> accounts = new HashMap<>();
          try (PreparedStatement nonce =
                  c.prepareStatement("SELECT 1 FROM orders WHERE trader = ? AND nonce = ?");
              PreparedStatement acct =
                  c.prepareStatement(
                      "SELECT available_micros, escrow_micros FROM accounts WHERE address = ?");
              PreparedStatement ins =
                  c.prepareStatement(
                      "INSERT INTO orders(order_id, trader, kind, slot, last_slot, nonce, quantity, price_micros,"
                          + " accepted_at, ledger_state, locked_micros, order_key, packed)"
                          + " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
                      new String[] {"SEQ"});
              PreparedStatement state =
                  c.prepareStatement(
                      "INSERT INTO order_state(seq, status, slot, last_slot, filled, spent_micros,"
                          + " escrow_open) VALUES(?,?,?,?,0,0,?)")) {
            List<IntakeOrder> inserted = new ArrayList<>(group.size());
            for (IntakeOrder io : group) {
              var o = io.signed().order();
              if (o.lastSlot() <= closedSlot) {
                out.add(IntakeRefusal.SLOT_CLOSED);
                continue;
              }
              String nonceKey = o.trader() + "/" + o.nonce();
              nonce.setString(1, o.trader());
              nonce.setLong(2, o.nonce());
              boolean used;
              try (ResultSet r = nonce.executeQuery()) {
                used = r.next();
              }
              if (used || !noncesInGroup.add(nonceKey)) {
                out.add(IntakeRefusal.NONCE_USED);
                continue;
              }
              if (io.buy()) {
                long[] a = accounts.get(o.trader());
                if (a == null) {
                  acct.setString(1, o.trader());
                  try (ResultSet r = acct.executeQuery()) {
                    a = r.next() ? new long[] {r.getLong(1), r.getLong(2)} : new long[] {0, 0};
                  }
                  accounts.put(o.trader(), a);
                }
                if (a[0] < io.lockMicros()) {
                  noncesInGroup.remove(nonceKey);
                  out.add(IntakeRefusal.INSUFFICIENT_FUNDS);
                  continue;
                }
                a[0] -= io.lockMicros();
                a[1] = Math.addExact(a[1], io.lockMicros());
              }
              ins.setString(1, io.orderId());
              ins.setString(2, o.trader());
              ins.setString(3, o.kind().name());
              ins.setLong(4, o.slot());
              ins.setLong(5, o.lastSlot());
              ins.setLong(6, o.nonce());
              ins.setLong(7, o.quantity());
              ins.setLong(8, o.priceMicros());
              ins.setLong(9, nowMillis);
              ins.setString(10, LedgerState.PENDING.name());
              ins.setLong(11, io.lockMicros());
              ins.setLong(12, key(io.orderId()));
              ins.setBytes(13, io.packed());
              ins.addBatch();
              inserted.add(io);
              out.add(null);
            }
            ins.executeBatch();
            // Each inserted row's sequence number, in insertion order, keys its state.
            int k = 0;
            try (ResultSet keys = ins.getGeneratedKeys()) {
              while (keys.next()) {
                IntakeOrder io = inserted.get(k++);
                long seq = keys.getLong(1);
                state.setLong(1, seq);
                state.setString(2, OrderStatus.OPEN.name());
                state.setLong(3, io.signed().order().slot());
                state.setLong(4, io.signed().order().lastSlot());
                state.setBoolean(5, io.buy());
                state.addBatch();
              }
            }
            if (k != inserted.size()) {
              throw new SQLException(
                  "intake: " + k + " sequence numbers for " + inserted.size() + " orders");
            }
            state.executeBatch();
          }
          for (var e : accounts.entrySet()) {
            AccountViews.put(c, e.getKey(), e.getValue()[0], e.getValue()[1]);
          }
          return out;
        });
  }

  /**
   * Orders reach the ledger in sequence: an order recorded PENDING is on the ledger once the feed's
   * mark ({@code order_feed.done_seq}) has passed its sequence number. The feed moves that one mark
   * per pass instead of rewriting every order's row (and its index entry); orders recorded before
   * the mark existed carry DONE, and the ledger's refusals REFUSED. This reads the mark, in the
   * caller's transaction.
   */
  static long doneSeq(Connection c) throws SQLException {
    return Sql.number(c, "SELECT done_seq FROM order_feed WHERE id = 1");
  }

  /** An order's signed content, packed, in its row. */
  static final String BODY = "o.packed";

  /**
   * The ledger feed's queries, run on every flush and by {@code /ready}: served by the range of
   * {@code orders_by_seq} above the mark (read first: H2 does not bound an index range by a
   * subquery), the orders still on their way to the ledger.
   */
  static final String LAST_PENDING_SEQ_QUERY =
      "SELECT COALESCE(MAX(seq), 0) FROM orders WHERE ledger_state = ? AND seq > ?";

  static final String PENDING_QUERY =
      "SELECT o.order_id, "
          + BODY
          + ", o.seq FROM orders o"
          + " WHERE o.ledger_state = ? AND o.seq > ? AND o.seq <= ? ORDER BY o.seq"
          + " FETCH FIRST ? ROWS ONLY";

  static final String PENDING_COUNT_QUERY =
      "SELECT COUNT(*) FROM orders WHERE ledger_state = ? AND seq > ?";

  /** An order recorded by the engine and not yet confirmed by the ledger. */
  public record PendingOrder(String orderId, SignedOrder signed, long seq) {}

  /**
   * The sequence number of the newest order not yet on the ledger (0 when there is none). Read
   * through the ledger-state index: the pending orders are few, however many the table holds.
   */
  public long lastPendingSeq() {
    return db.inTransaction(
        c ->
            Sql.number(c, LAST_PENDING_SEQ_QUERY, List.of(LedgerState.PENDING.name(), doneSeq(c))));
  }

  /**
   * Up to {@code limit} orders not yet on the ledger, recorded at or before sequence number {@code
   * upToSeq}, in the order the engine accepted them.
   */
  public List<PendingOrder> pending(long upToSeq, int limit) {
    return db.inTransaction(
        c -> {
          List<PendingOrder> out = new ArrayList<>();
          try (PreparedStatement s = c.prepareStatement(PENDING_QUERY)) {
            s.setString(1, LedgerState.PENDING.name());
            s.setLong(2, doneSeq(c));
            s.setLong(3, upToSeq);
            s.setInt(4, limit);
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                out.add(
                    new PendingOrder(
                        r.getString(1), PackedOrders.unpackOne(r.getBytes(2)), r.getLong(3)));
              }
            }
          }
          return out;
        });
  }

  public long pendingCount() {
    return db.inTransaction(
        c -> Sql.number(c, PENDING_COUNT_QUERY, List.of(LedgerState.PENDING.name(), doneSeq(c))));
  }

  /**
   * Records a pass of the ledger feed: every order up to sequence number {@code throughSeq} is on
   * the ledger except {@code refused}, which the ledger refused (their escrow is released).
   */
  public void recordOnLedger(long throughSeq, Map<String, String> refused) {
    db.inTransaction(
        c -> {
          for (var e : refused.entrySet()) {
            String trader = null;
            long lock = 0;
            boolean open = false;
            long seq = 0;
            try (PreparedStatement q =
                c.prepareStatement(
                    "SELECT o.trader, o.locked_micros, s.escrow_open, o.seq FROM orders o"
                        + " JOIN order_state s ON s.seq = o.seq"
                        + " WHERE o.order_key = ? AND o.order_id = ? AND o.ledger_state = ?")) {
              q.setLong(1, key(e.getKey()));
              q.setString(2, e.getKey());
              q.setString(3, LedgerState.PENDING.name());
              try (ResultSet r = q.executeQuery()) {
                if (r.next()) {
                  trader = r.getString(1);
                  lock = r.getLong(2);
                  open = r.getBoolean(3);
                  seq = r.getLong(4);
                }
              }
            }
            if (trader == null) {
              continue;
            }
            if (open) {
              AccountViews.move(c, trader, lock, -lock);
            }
            try (PreparedStatement u =
                    c.prepareStatement(
                        "UPDATE orders SET ledger_state = ?, ledger_error = ? WHERE seq = ?");
                PreparedStatement st =
                    c.prepareStatement(
                        "UPDATE order_state SET status = ?, escrow_open = FALSE WHERE seq = ?")) {
              u.setString(1, LedgerState.REFUSED.name());
              u.setString(2, Sql.clip(e.getValue()));
              u.setLong(3, seq);
              u.executeUpdate();
              st.setString(1, OrderStatus.REJECTED.name());
              st.setLong(2, seq);
              st.executeUpdate();
            }
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE order_feed SET done_seq = GREATEST(done_seq, ?) WHERE id = 1")) {
            s.setLong(1, throughSeq);
            s.executeUpdate();
          }
          return null;
        });
  }

  public Optional<StoredOrder> get(String orderId) {
    return db.inTransaction(
        c -> Sql.first(c, SELECT_ORDERS + BY_ID, List.of(key(orderId), orderId), STORED));
  }

  /** An order found by id, through its key ({@code o} is the order's row). */
  static final String BY_ID = "WHERE o.order_key = ? AND o.order_id = ?";

  /**
   * The 64-bit key an order is found by: the first 16 hex digits of its id (a hash), or for any
   * other string its hash code. Keys may collide; a lookup compares the id too.
   */
  public static long key(String orderId) {
    if (orderId != null && orderId.length() >= 18 && orderId.startsWith("0x")) {
      try {
        return Long.parseUnsignedLong(orderId, 2, 18, 16);
      } catch (NumberFormatException e) {
        // not a hash: fall through
      }
    }
    return orderId == null ? 0 : orderId.hashCode();
  }

  /**
   * Orders with their signed content and state, joined by sequence number (o: the order, s: its
   * state); a filter follows.
   */
  static final String SELECT_ORDERS =
      "SELECT o.order_id, "
          + BODY
          + ", s.filled, s.status, o.accepted_at, o.seq FROM orders o"
          + " JOIN order_state s ON s.seq = o.seq ";

  static final String OPEN_FOR = "WHERE s.status = ? AND s.slot <= ? AND s.last_slot >= ?";

  /** Oldest first; among orders of the same millisecond, by id. */
  static final Comparator<StoredOrder> OLDEST_FIRST =
      Comparator.comparingLong(StoredOrder::acceptedAtMillis).thenComparing(StoredOrder::orderId);

  /**
   * Open orders that may trade in {@code slot}, oldest first. Streamed and sorted here: sorting in
   * H2 gathered a 10^5-order round's signed orders in a temporary file first.
   */
  public List<StoredOrder> openFor(long slot) {
    List<StoredOrder> open =
        db.inTransaction(
            c ->
                Sql.listStreamed(
                    c,
                    SELECT_ORDERS + OPEN_FOR,
                    List.of(OrderStatus.OPEN.name(), slot, slot),
                    STORED));
    open.sort(OLDEST_FIRST);
    return open;
  }

  /** Open orders whose last slot is before {@code slot}: they can never trade again. */
  public List<StoredOrder> staleOpen(long slot) {
    return db.inTransaction(
        c ->
            queryOrders(
                c,
                "WHERE s.status = ? AND s.last_slot < ? ORDER BY o.order_id",
                List.of(OrderStatus.OPEN.name(), slot)));
  }

  public List<StoredOrder> of(String trader, int offset, int limit) {
    return of(trader, null, offset, limit);
  }

  /** A trader's orders, newest first, optionally of one kind only. */
  public List<StoredOrder> of(String trader, String kind, int offset, int limit) {
    return db.inTransaction(
        c ->
            kind == null
                ? queryOrders(
                    c,
                    "WHERE o.trader = ? ORDER BY o.accepted_at DESC, o.order_id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                    List.of(trader, offset, limit))
                : queryOrders(
                    c,
                    "WHERE o.trader = ? AND o.kind = ? ORDER BY o.accepted_at DESC, o.order_id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                    List.of(trader, kind, offset, limit)));
  }

  public long count() {
    return db.inTransaction(c -> Sql.number(c, "SELECT COUNT(*) FROM orders"));
  }

  /**
   * Fill and status change of one order ({@code seq} from its {@link StoredOrder}), applied with
   * its round.
   */
  public record OrderUpdate(String orderId, long seq, long filled, OrderStatus status) {}

  /** Applies a round's fills, in the round's transaction (see {@link Rounds#commit}). */
  static void applyUpdates(Connection c, List<OrderUpdate> updates) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("UPDATE order_state SET filled = ?, status = ? WHERE seq = ?")) {
      // In intake order, the order of the rows: consecutive updates rewrite the same pages, where
      // in id (hash) order each would rewrite a page of its own.
      List<OrderUpdate> bySeq = new ArrayList<>(updates);
      bySeq.sort(Comparator.comparingLong(OrderUpdate::seq));
      for (OrderUpdate u : bySeq) {
        s.setLong(1, u.filled());
        s.setString(2, u.status().name());
        s.setLong(3, u.seq());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  private static List<StoredOrder> queryOrders(Connection c, String where, List<Object> args)
      throws SQLException {
    return Sql.list(c, SELECT_ORDERS + where, args, STORED);
  }

  /** A row of {@link #SELECT_ORDERS}. */
  private static final Sql.Row<StoredOrder> STORED =
      r ->
          new StoredOrder(
              r.getString(1),
              PackedOrders.unpackOne(r.getBytes(2)),
              r.getLong(3),
              OrderStatus.valueOf(r.getString(4)),
              r.getLong(5),
              r.getLong(6));
}
