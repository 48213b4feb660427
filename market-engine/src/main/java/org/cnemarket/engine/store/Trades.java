package org.cnemarket.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.cnemarket.core.model.Trade;

/**
 * The trades of closed rounds (written with their round, see {@link Rounds#commit}). A trade's row
 * is keyed by its number, {@link #number}(round, position in the batch), so a round's trades are
 * one range of the table's own tree; its content is packed ({@link PackedTrades}); it is found by
 * id through a 64-bit key ({@link Orders#key}), as orders are.
 */
public final class Trades {
  private final Database db;

  Trades(Database db) {
    this.db = db;
  }

  /** The primary key of a round's trade: the round above 32 bits of its position. */
  static long number(long round, long seq) {
    return round << 32 | seq;
  }

  /** Trade rows by id: those of the id's key, of which the caller keeps the one with the id. */
  static final String BY_ID = "WHERE trade_key = ?";

  public Optional<Trade> get(String tradeId) {
    return db.inTransaction(
        c -> {
          for (Trade t : queryTrades(c, BY_ID, List.of(Orders.key(tradeId)))) {
            if (t.tradeId().equals(tradeId)) {
              return Optional.of(t);
            }
          }
          return Optional.<Trade>empty();
        });
  }

  /** The Merkle leaves of a round's trades, in batch order, computed from the trades. */
  public List<byte[]> leavesOfRound(long round) {
    return ofRound(round).stream().map(Trade::leaf).toList();
  }

  /** A trade's position in its round's batch: {round, index}. */
  public Optional<long[]> position(String tradeId) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT round, seq, body FROM trades " + BY_ID)) {
            s.setLong(1, Orders.key(tradeId));
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                if (PackedTrades.tradeId(r.getBytes(3)).equals(tradeId)) {
                  return Optional.of(new long[] {r.getLong(1), r.getLong(2)});
                }
              }
              return Optional.<long[]>empty();
            }
          }
        });
  }

  /** The id of the trade at a position of a round's batch. */
  public Optional<String> idAt(long round, long seq) {
    return db.inTransaction(
        c ->
            Sql.first(
                c,
                "SELECT body FROM trades WHERE trade_no = ?",
                List.of(number(round, seq)),
                r -> PackedTrades.tradeId(r.getBytes(1))));
  }

  public List<Trade> ofRound(long round) {
    return db.inTransaction(
        c ->
            queryTrades(
                c,
                "WHERE trade_no BETWEEN ? AND ? ORDER BY trade_no",
                List.of(number(round, 0), number(round, 0xffffffffL))));
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

  /** Every stored trade, in round and batch order, to {@code each} (for whole-store checks). */
  static void forEach(Connection c, Consumer<Trade> each) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT body FROM trades ORDER BY trade_no")) {
      while (r.next()) {
        each.accept(PackedTrades.unpack(r.getBytes(1)));
      }
    }
  }

  /** The statement that inserts a trade's row ({@link #bindInsert}). */
  static final String INSERT =
      "INSERT INTO trades(trade_no, trade_key, round, seq, slot, market, buyer, seller, body)"
          + " VALUES(?,?,?,?,?,?,?,?,?)";

  /** Binds {@link #INSERT} to the trade at position {@code seq} of its round's batch. */
  static void bindInsert(PreparedStatement s, Trade t, long seq) throws SQLException {
    s.setLong(1, number(t.round(), seq));
    s.setLong(2, Orders.key(t.tradeId()));
    s.setLong(3, t.round());
    s.setLong(4, seq);
    s.setLong(5, t.slot());
    s.setString(6, t.market().name());
    s.setString(7, t.buyer());
    s.setString(8, t.seller());
    s.setBytes(9, PackedTrades.pack(t));
  }

  /** Inserts a round's trades in batch order, in the round's transaction. */
  static void insert(Connection c, List<Trade> trades) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(INSERT)) {
      for (int seq = 0; seq < trades.size(); seq++) {
        bindInsert(s, trades.get(seq), seq);
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  private static List<Trade> queryTrades(Connection c, String where, List<Object> args)
      throws SQLException {
    return Sql.list(c, "SELECT body FROM trades " + where, args, BODY);
  }

  /** A trade from the first column of a row, its packed body. */
  static final Sql.Row<Trade> BODY = r -> PackedTrades.unpack(r.getBytes(1));
}
