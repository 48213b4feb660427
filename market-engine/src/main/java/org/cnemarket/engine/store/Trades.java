package org.cnemarket.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.merkle.MerkleTiles;
import org.cnemarket.core.model.Trade;

/**
 * The trades of closed rounds, with each trade's Merkle leaf (written with their round, see {@link
 * Rounds#commit}).
 */
public final class Trades {
  private final Database db;

  Trades(Database db) {
    this.db = db;
  }

  public Optional<Trade> get(String tradeId) {
    return db.inTransaction(
        c -> {
          List<Trade> l = queryTrades(c, "WHERE trade_id = ?", List.of(tradeId));
          return l.isEmpty() ? Optional.<Trade>empty() : Optional.of(l.get(0));
        });
  }

  /**
   * The Merkle leaves of a round's trades, in batch order (computed from the record for a trade
   * stored before leaves were).
   */
  public List<byte[]> leavesOfRound(long round) {
    return db.inTransaction(
        c -> {
          List<byte[]> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT leaf, CASE WHEN leaf IS NULL THEN trade_json END FROM trades"
                      + " WHERE round = ? ORDER BY seq")) {
            s.setLong(1, round);
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                byte[] leaf = r.getBytes(1);
                out.add(leaf != null ? leaf : RecordCodec.tradeFromJson(r.getString(2)).leaf());
              }
            }
          }
          return out;
        });
  }

  /** A trade's position in its round's batch: {round, index}. */
  public Optional<long[]> position(String tradeId) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT round, seq FROM trades WHERE trade_id = ?")) {
            s.setString(1, tradeId);
            try (ResultSet r = s.executeQuery()) {
              return r.next()
                  ? Optional.of(new long[] {r.getLong(1), r.getLong(2)})
                  : Optional.<long[]>empty();
            }
          }
        });
  }

  public List<Trade> ofRound(long round) {
    return db.inTransaction(c -> queryTrades(c, "WHERE round = ? ORDER BY seq", List.of(round)));
  }

  /** Trades filtered by participant (buyer or seller, optional) and slot range, newest first. */
  public List<Trade> list(String participant, long fromSlot, long toSlot, int offset, int limit) {
    return list(participant, null, fromSlot, toSlot, offset, limit);
  }

  /**
   * Trades filtered by participant (buyer or seller), market and slot range, all optional; newest
   * first.
   */
  public List<Trade> list(
      String participant, String market, long fromSlot, long toSlot, int offset, int limit) {
    List<Object> args = new ArrayList<>(List.of(fromSlot, toSlot));
    if (participant != null) {
      args.add(participant);
      args.add(participant);
    }
    if (market != null) {
      args.add(market);
    }
    args.add(offset);
    args.add(limit);
    return db.inTransaction(
        c -> queryTrades(c, listWhere(participant != null, market != null), args));
  }

  /**
   * The filter and order of {@link #list}: newest round first, in batch order, read in the order of
   * the {@code trades_slot} index (rounds close slots in increasing order, so slot, round order is
   * round order), so a page costs its own rows, not a sort of every trade in the range.
   */
  static String listWhere(boolean byParticipant, boolean byMarket) {
    return "WHERE slot BETWEEN ? AND ?"
        + (byParticipant ? " AND (buyer = ? OR seller = ?)" : "")
        + (byMarket ? " AND market = ?" : "")
        + " ORDER BY slot DESC, round DESC, seq OFFSET ? ROWS FETCH NEXT ? ROWS ONLY";
  }

  public long count() {
    return db.inTransaction(c -> Sql.number(c, "SELECT COUNT(*) FROM trades"));
  }

  /**
   * Inserts a round's trades in batch order, in the round's transaction, each with its leaf as
   * {@code tree} (of the trades' leaves in batch order) holds it.
   */
  static void insert(Connection c, String batchId, List<Trade> trades, MerkleTiles tree)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO trades(trade_id, round, seq, batch_id, slot, market, buyer, seller, trade_json, leaf)"
                + " VALUES(?,?,?,?,?,?,?,?,?,?)")) {
      for (int seq = 0; seq < trades.size(); seq++) {
        Trade t = trades.get(seq);
        s.setString(1, t.tradeId());
        s.setLong(2, t.round());
        s.setInt(3, seq);
        s.setString(4, batchId);
        s.setLong(5, t.slot());
        s.setString(6, t.market().name());
        s.setString(7, t.buyer());
        s.setString(8, t.seller());
        s.setString(9, RecordCodec.toJson(t));
        s.setBytes(10, tree.leaf(seq));
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  private static List<Trade> queryTrades(Connection c, String where, List<Object> args)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT trade_json FROM trades " + where)) {
      Sql.bind(s, args);
      List<Trade> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(RecordCodec.tradeFromJson(r.getString(1)));
        }
      }
      return out;
    }
  }
}
