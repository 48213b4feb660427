package org.cnemarket.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.Trade;
import org.cnemarket.core.model.Units;

/**
 * The settlement outbox: one batch per round, waiting for (or past) its ledger commit. Marking a
 * batch settled applies its credit movements to the account view in the same transaction.
 */
public final class OutboxEntries {
  private final Database db;

  OutboxEntries(Database db) {
    this.db = db;
  }

  /** How many batches wait for the ledger (counted, not loaded: payloads can be large). */
  public long pendingCount() {
    return db.inTransaction(
        c ->
            Sql.number(
                c,
                "SELECT COUNT(*) FROM outbox WHERE status = ?",
                List.of(BatchStatus.PENDING.name())));
  }

  public List<OutboxEntry> pending() {
    return db.inTransaction(
        c ->
            queryOutbox(c, "WHERE status = ? ORDER BY round", List.of(BatchStatus.PENDING.name())));
  }

  public Optional<OutboxEntry> get(String batchId) {
    return db.inTransaction(
        c -> {
          List<OutboxEntry> l = queryOutbox(c, "WHERE batch_id = ?", List.of(batchId));
          return l.isEmpty() ? Optional.<OutboxEntry>empty() : Optional.of(l.get(0));
        });
  }

  /** The batch's status and transaction, without reading its payload. */
  public Optional<BatchState> state(String batchId) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT status, tx_id FROM outbox WHERE batch_id = ?")) {
            s.setString(1, batchId);
            try (ResultSet r = s.executeQuery()) {
              return r.next()
                  ? Optional.of(new BatchState(BatchStatus.valueOf(r.getString(1)), r.getString(2)))
                  : Optional.<BatchState>empty();
            }
          }
        });
  }

  public List<OutboxEntry> list(int offset, int limit) {
    return db.inTransaction(
        c ->
            queryOutbox(
                c,
                "ORDER BY round DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                List.of(offset, limit)));
  }

  private static List<OutboxEntry> queryOutbox(Connection c, String where, List<Object> args)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT batch_id, round, payload, status, attempts, last_error, tx_id, block_number FROM outbox "
                + where)) {
      Sql.bind(s, args);
      List<OutboxEntry> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(
              new OutboxEntry(
                  r.getString(1),
                  r.getLong(2),
                  r.getString(3),
                  BatchStatus.valueOf(r.getString(4)),
                  r.getInt(5),
                  r.getString(6),
                  r.getString(7),
                  r.getLong(8)));
        }
      }
      return out;
    }
  }

  /**
   * Marks a batch settled and applies its credit movements to the account view in the same
   * transaction, exactly as the ledger applied them: buyers' escrow pays sellers and fees, closed
   * buy orders release what they did not spend. A batch already marked settled changes nothing.
   */
  public void markSettled(SettlementBatch batch, String txId, long blockNumber, long nowMillis) {
    db.inTransaction(
        c -> {
          int changed =
              Sql.update(
                  c,
                  "UPDATE outbox SET status = ?, tx_id = ?, block_number = ?, settled_at = ?, attempts = attempts + 1,"
                      + " last_error = NULL, set_aside_at = NULL WHERE batch_id = ? AND status <> ?",
                  Arrays.asList(
                      BatchStatus.SETTLED.name(),
                      txId,
                      blockNumber,
                      nowMillis,
                      batch.batchId(),
                      BatchStatus.SETTLED.name()));
          if (changed == 1) {
            applySettlement(c, batch);
          }
          return null;
        });
  }

  private static void applySettlement(Connection c, SettlementBatch b) throws SQLException {
    Map<String, long[]> deltas = new TreeMap<>(); // address -> {available, escrow}
    Map<String, Long> spent = new TreeMap<>();
    for (Trade t : b.trades()) {
      spent.merge(t.buyOrderId(), t.amountMicros(), Math::addExact);
      deltas.computeIfAbsent(t.buyer(), k -> new long[2])[1] -= t.amountMicros();
      deltas.computeIfAbsent(t.seller(), k -> new long[2])[0] += t.amountMicros();
    }
    for (SettlementBatch.Fee f : b.fees()) {
      spent.merge(f.buyOrderId(), f.amountMicros(), Math::addExact);
      deltas.computeIfAbsent(f.payer(), k -> new long[2])[1] -= f.amountMicros();
      deltas.computeIfAbsent(Units.PLATFORM_ACCOUNT, k -> new long[2])[0] += f.amountMicros();
    }
    // Every order the batch moves, read once; a closed order's row is written once, what it spent
    // in this batch and its release together; rows are written in intake order (see
    // Orders.applyUpdates).
    Set<String> closedIds = new TreeSet<>();
    for (String id : b.closedOrderIds()) {
      closedIds.add(id.toLowerCase(Locale.ROOT));
    }
    Set<String> touched = new TreeSet<>(spent.keySet());
    touched.addAll(closedIds);
    record Write(long seq, long spentMicros, boolean close) {}
    List<Write> writes = new ArrayList<>(touched.size());
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT o.seq, o.trader, o.locked_micros - s.spent_micros, s.escrow_open FROM orders o"
                + " JOIN order_state s ON s.seq = o.seq "
                + Orders.BY_ID)) {
      for (String orderId : touched) {
        q.setLong(1, Orders.key(orderId));
        q.setString(2, orderId);
        try (ResultSet r = q.executeQuery()) {
          if (!r.next()) {
            continue;
          }
          long spentNow = spent.getOrDefault(orderId, 0L);
          boolean close = closedIds.contains(orderId) && r.getBoolean(4);
          if (close) {
            long released = r.getLong(3) - spentNow;
            long[] d = deltas.computeIfAbsent(r.getString(2), k -> new long[2]);
            d[0] += released;
            d[1] -= released;
          }
          if (close || spent.containsKey(orderId)) {
            writes.add(new Write(r.getLong(1), spentNow, close));
          }
        }
      }
    }
    writes.sort(Comparator.comparingLong(Write::seq));
    try (PreparedStatement u =
            c.prepareStatement(
                "UPDATE order_state SET spent_micros = spent_micros + ? WHERE seq = ?");
        PreparedStatement close =
            c.prepareStatement(
                "UPDATE order_state SET spent_micros = spent_micros + ?, escrow_open = FALSE"
                    + " WHERE seq = ?")) {
      for (Write w : writes) {
        PreparedStatement s = w.close() ? close : u;
        s.setLong(1, w.spentMicros());
        s.setLong(2, w.seq());
        s.addBatch();
      }
      u.executeBatch();
      close.executeBatch();
    }
    for (var e : deltas.entrySet()) {
      AccountViews.move(c, e.getKey(), e.getValue()[0], e.getValue()[1]);
    }
  }

  /** Batches waiting for the ledger whose next attempt is due, oldest round first. */
  public List<OutboxEntry> due(long nowMillis) {
    return db.inTransaction(
        c ->
            queryOutbox(
                c,
                "WHERE status = ? AND next_attempt_at <= ? ORDER BY round",
                List.of(BatchStatus.PENDING.name(), nowMillis)));
  }

  /** Batches the ledger refused, set aside until an operator re-plans them. */
  public List<OutboxEntry> setAsideEntries() {
    return db.inTransaction(
        c ->
            queryOutbox(
                c, "WHERE status = ? ORDER BY round", List.of(BatchStatus.SET_ASIDE.name())));
  }

  public long setAsideCount() {
    return db.inTransaction(
        c ->
            Sql.number(
                c,
                "SELECT COUNT(*) FROM outbox WHERE status = ?",
                List.of(BatchStatus.SET_ASIDE.name())));
  }

  /** When an entry was set aside (epoch ms), or 0. */
  public long setAsideAt(String batchId) {
    return db.inTransaction(
        c ->
            Sql.first(
                    c,
                    "SELECT set_aside_at FROM outbox WHERE batch_id = ?",
                    List.of(batchId),
                    r -> r.getLong(1))
                .orElse(0L));
  }

  /** Takes a batch out of the line with the ledger's reason; later batches go on settling. */
  public void setAside(String batchId, String reason, long nowMillis) {
    db.inTransaction(
        c ->
            Sql.update(
                c,
                "UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, set_aside_at = ?"
                    + " WHERE batch_id = ? AND status = ?",
                List.of(
                    BatchStatus.SET_ASIDE.name(),
                    Sql.clip(reason),
                    nowMillis,
                    batchId,
                    BatchStatus.PENDING.name())));
  }

  /** Puts a set-aside batch back in the line, with its (possibly re-planned) payload. */
  public boolean requeue(String batchId, String payloadJson) {
    return db.inTransaction(
        c ->
            Sql.update(
                    c,
                    "UPDATE outbox SET status = ?, payload = ?, next_attempt_at = 0, set_aside_at = NULL"
                        + " WHERE batch_id = ? AND status = ?",
                    List.of(
                        BatchStatus.PENDING.name(),
                        payloadJson,
                        batchId,
                        BatchStatus.SET_ASIDE.name()))
                == 1);
  }

  /** Records a failed attempt; the next one is due at {@code nextAttemptAtMillis} (backoff). */
  public void recordAttemptFailure(String batchId, String error, long nextAttemptAtMillis) {
    db.inTransaction(
        c ->
            Sql.update(
                c,
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE batch_id = ?",
                List.of(Sql.clip(error), nextAttemptAtMillis, batchId)));
  }

  /** Enqueues a closed round's batch, in the round's transaction (see {@link Rounds#commit}). */
  static void insert(Connection c, String batchId, long round, String batchJson, long nowMillis)
      throws SQLException {
    Sql.update(
        c,
        "INSERT INTO outbox(batch_id, round, payload, status, attempts, block_number, created_at)"
            + " VALUES(?,?,?,?,0,0,?)",
        List.of(batchId, round, batchJson, BatchStatus.PENDING.name(), nowMillis));
  }
}
