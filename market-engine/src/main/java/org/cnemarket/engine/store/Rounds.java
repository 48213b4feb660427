package org.cnemarket.engine.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.cnemarket.core.merkle.MerkleTiles;
import org.cnemarket.core.model.Trade;

/**
 * Closed rounds: a round commits with its trades, their Merkle tree, the orders' fills and its
 * outbox entry in one transaction.
 */
public final class Rounds {
  private final Database db;

  Rounds(Database db) {
    this.db = db;
  }

  /** The number of the last closed round (0 before any). */
  public long last() {
    return db.inTransaction(c -> Sql.number(c, "SELECT COALESCE(MAX(round), 0) FROM rounds"));
  }

  public Optional<Long> lastClosedSlot() {
    return db.inTransaction(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet r = s.executeQuery("SELECT MAX(slot) FROM rounds")) {
            r.next();
            long v = r.getLong(1);
            return r.wasNull() ? Optional.<Long>empty() : Optional.of(v);
          }
        });
  }

  /**
   * Commits a cleared round atomically: the round, its trades and their Merkle tree, the orders'
   * fills and the settlement batch in the outbox. Either all of it is stored or none.
   */
  public void commit(
      RoundRecord round,
      List<Trade> trades,
      List<Orders.OrderUpdate> updates,
      String batchJson,
      long nowMillis) {
    commit(
        round,
        trades,
        MerkleTiles.of(trades.stream().map(Trade::leaf).toList()),
        updates,
        () -> batchJson,
        nowMillis);
  }

  /**
   * Commits a cleared round as {@link #commit(RoundRecord, List, List, String, long)}, with the
   * tree of its trades' leaves (in batch order) that the caller built for the batch's root: the
   * trades are not hashed again. The batch's JSON is asked for last, once the trades and order
   * updates are written: the caller may still be building it on another core.
   */
  public void commit(
      RoundRecord round,
      List<Trade> trades,
      MerkleTiles tree,
      List<Orders.OrderUpdate> updates,
      Supplier<String> batchJson,
      long nowMillis) {
    tree.requireLeaves(trades.size());
    db.inTransaction(
        c -> {
          Trades.insert(c, trades);
          RoundTrees.write(c, round.round(), tree);
          Orders.applyUpdates(c, updates);
          // The round's recorded input and output and its batch (tens of MB at 10^5 orders) go
          // last: written first, they filled H2's write buffer, and it then wrote the trades'
          // index pages out again and again while they were being inserted.
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO rounds(round, slot, batch_id, trade_count, summary_json, inputs_json, outputs_json,"
                      + " inputs_hash, outputs_hash, closed_at) VALUES(?,?,?,?,?,?,?,?,?,?)")) {
            s.setLong(1, round.round());
            s.setLong(2, round.slot());
            s.setString(3, round.batchId());
            s.setInt(4, round.tradeCount());
            s.setString(5, round.summaryJson());
            s.setString(6, round.inputsJson());
            s.setString(7, round.outputsJson());
            s.setString(8, round.inputsHash());
            s.setString(9, round.outputsHash());
            s.setLong(10, round.closedAtMillis());
            s.executeUpdate();
          }
          OutboxEntries.insert(c, round.batchId(), round.round(), batchJson.get(), nowMillis);
          return null;
        });
  }

  public Optional<RoundRecord> get(long round) {
    return db.inTransaction(
        c -> Sql.first(c, SELECT_RECORD + "WHERE round = ?", List.of(round), RECORD));
  }

  /** The round without its recorded input and output. */
  public Optional<RoundHeader> header(long round) {
    return db.inTransaction(
        c -> Sql.first(c, SELECT_HEADER + "WHERE round = ?", List.of(round), HEADER));
  }

  /** Closed rounds without their recorded input and output, newest first. */
  public List<RoundHeader> headers(int offset, int limit) {
    return db.inTransaction(
        c -> Sql.list(c, SELECT_HEADER + NEWEST_FIRST, List.of(offset, limit), HEADER));
  }

  public List<RoundRecord> list(int offset, int limit) {
    return db.inTransaction(
        c -> Sql.list(c, SELECT_RECORD + NEWEST_FIRST, List.of(offset, limit), RECORD));
  }

  private static final String NEWEST_FIRST =
      "ORDER BY round DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY";

  private static final String SELECT_HEADER =
      "SELECT round, slot, batch_id, trade_count, summary_json, inputs_hash, outputs_hash,"
          + " closed_at FROM rounds ";

  private static final Sql.Row<RoundHeader> HEADER =
      r ->
          new RoundHeader(
              r.getLong(1),
              r.getLong(2),
              r.getString(3),
              r.getInt(4),
              r.getString(5),
              r.getString(6),
              r.getString(7),
              r.getLong(8));

  private static final String SELECT_RECORD =
      "SELECT round, slot, batch_id, trade_count, summary_json, inputs_json, outputs_json, inputs_hash,"
          + " outputs_hash, closed_at FROM rounds ";

  private static final Sql.Row<RoundRecord> RECORD =
      r ->
          new RoundRecord(
              r.getLong(1),
              r.getLong(2),
              r.getString(3),
              r.getInt(4),
              r.getString(5),
              r.getString(6),
              r.getString(7),
              r.getString(8),
              r.getString(9),
              r.getLong(10));
}
