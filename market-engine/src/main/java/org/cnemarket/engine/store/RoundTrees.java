package org.cnemarket.engine.store;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.cnemarket.core.merkle.MerkleTiles;
import org.cnemarket.core.model.Trade;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each closed round's Merkle tree, written with the round's trades: its root and leaf count, the
 * node of every trade's leaf, and the nodes in tiles of a few levels ({@link MerkleTiles}). A
 * trade's proof reads a handful of small rows by primary key, so it costs the same at 10^6 trades
 * as at ten, after a restart too, and nothing of a round's tree is kept in memory. A round closed
 * before trees were stored gets its tree built once, on the first proof asked of it.
 */
public final class RoundTrees {
  private static final Logger LOG = LoggerFactory.getLogger(RoundTrees.class);

  /** Leaf nodes per row of {@code merkle_leaf_nodes}, by trade position: 4 KiB of ints. */
  static final int LEAF_CHUNK = 1024;

  /** Proofs the engine reads before it listens ({@link #warmUp}). */
  public static final int START_WARM_UP_PROOFS = 64;

  /** Rows per JDBC batch when a tree is written. */
  private static final int BATCH = 512;

  /**
   * The trades of an id's key with their positions, their round's batch and the batch's outbox
   * status: the trade key's index, then primary keys.
   */
  static final String TRADE_QUERY =
      "SELECT t.round, t.seq, t.body, r.batch_id, o.status FROM trades t"
          + " JOIN rounds r ON r.round = t.round LEFT JOIN outbox o ON o.batch_id = r.batch_id"
          + " WHERE t.trade_key = ?";

  static final String TREE_QUERY =
      "SELECT leaves, tile_height, root FROM merkle_trees WHERE round = ?";
  static final String LEAF_NODES_QUERY = "SELECT nodes FROM merkle_leaf_nodes WHERE id = ?";
  static final String TILE_QUERY = "SELECT hashes FROM merkle_tiles WHERE id = ?";

  /**
   * A trade with its proof.
   *
   * @param trade the trade
   * @param batchId its round's settlement batch
   * @param index its position in the batch
   * @param proof sibling hashes, leaf to root
   * @param root the batch's Merkle root
   * @param status the batch's outbox status (null if it has no outbox entry)
   */
  public record StoredProof(
      Trade trade,
      String batchId,
      long index,
      List<byte[]> proof,
      byte[] root,
      BatchStatus status) {}

  /**
   * What is stored of a round's tree.
   *
   * @param leaves the round's trades
   * @param tileHeight levels per tile
   * @param tiles tile rows
   * @param bytes bytes of hashes and leaf nodes
   */
  public record TreeInfo(int leaves, int tileHeight, long tiles, long bytes) {}

  private final Database db;
  private final Trades trades;
  private final Object building = new Object();

  RoundTrees(Database db, Trades trades) {
    this.db = db;
    this.trades = trades;
  }

  static void createTables(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS merkle_trees(round BIGINT PRIMARY KEY, leaves INT NOT NULL,"
              + " tile_height INT NOT NULL, root VARBINARY(32) NOT NULL)");
      // Keyed by one BIGINT, {@link #id}(round, chunk or tile): H2 keeps such a table's rows in
      // its primary key's tree, so a row is one descent (a composite key is an index beside it).
      s.execute(
          "CREATE TABLE IF NOT EXISTS merkle_leaf_nodes(id BIGINT PRIMARY KEY,"
              + " nodes VARBINARY(4096) NOT NULL)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS merkle_tiles(id BIGINT PRIMARY KEY,"
              + " hashes VARBINARY(65536) NOT NULL)");
    }
  }

  /** The key of a round's leaf-node chunk or tile: the round above 31 bits of the number. */
  static long id(long round, int number) {
    return round << 31 | number;
  }

  /** Writes a round's tree in the round's transaction; the bytes written. */
  static long write(Connection c, long round, MerkleTiles tree) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO merkle_trees(round, leaves, tile_height, root) VALUES(?,?,?,?)")) {
      s.setLong(1, round);
      s.setInt(2, tree.size());
      s.setInt(3, tree.height());
      s.setBytes(4, tree.root());
      s.executeUpdate();
    }
    long bytes = 32;
    int[] nodes = tree.nodesOfLeaves();
    try (PreparedStatement s =
        c.prepareStatement("INSERT INTO merkle_leaf_nodes(id, nodes) VALUES(?,?)")) {
      int rows = 0;
      for (int from = 0; from < nodes.length; from += LEAF_CHUNK) {
        int to = Math.min(nodes.length, from + LEAF_CHUNK);
        ByteBuffer b = ByteBuffer.allocate((to - from) * 4);
        for (int i = from; i < to; i++) {
          b.putInt(nodes[i]);
        }
        s.setLong(1, id(round, from / LEAF_CHUNK));
        s.setBytes(2, b.array());
        s.addBatch();
        bytes += b.capacity();
        if (++rows % BATCH == 0) {
          s.executeBatch();
        }
      }
      s.executeBatch();
    }
    try (PreparedStatement s =
        c.prepareStatement("INSERT INTO merkle_tiles(id, hashes) VALUES(?,?)")) {
      int rows = 0;
      for (MerkleTiles.Tile t : tree.tiles()) {
        s.setLong(1, id(round, t.root()));
        s.setBytes(2, t.hashes());
        s.addBatch();
        bytes += t.hashes().length;
        if (++rows % BATCH == 0) {
          s.executeBatch();
        }
      }
      s.executeBatch();
    }
    return bytes;
  }

  /**
   * The trade's proof against its round's root, if there is such a trade. A round without a stored
   * tree (closed before trees were stored) has it built from its leaves and stored first.
   */
  public Optional<StoredProof> proof(String tradeId) {
    Lookup found = db.inTransaction(c -> lookup(c, tradeId));
    if (found == null) {
      return Optional.empty();
    }
    if (found.proof != null) {
      return Optional.of(found.proof);
    }
    long round = found.round;
    buildStored(round);
    found = db.inTransaction(c -> lookup(c, tradeId));
    if (found == null || found.proof == null) {
      throw new IllegalStateException("the tree of round " + round + " was not stored");
    }
    return Optional.of(found.proof);
  }

  /**
   * Reads {@code proofs} proofs spread evenly over the newest round with a stored tree: the first
   * proof asked after a start then finds the code loaded and the upper levels of the tables' trees
   * in memory, and reads only its own pages (at 10^6 trades, a fresh engine's first proof took
   * 12-33 ms without). Never builds a tree; answers the number of proofs read.
   */
  public int warmUp(int proofs) {
    long[] newest =
        db.inTransaction(
            c -> {
              try (PreparedStatement s =
                      c.prepareStatement(
                          "SELECT round, leaves FROM merkle_trees ORDER BY round DESC"
                              + " FETCH FIRST 1 ROWS ONLY");
                  ResultSet r = s.executeQuery()) {
                return r.next() ? new long[] {r.getLong(1), r.getLong(2)} : null;
              }
            });
    if (newest == null || newest[1] == 0) {
      return 0;
    }
    long round = newest[0];
    long leaves = newest[1];
    int read = 0;
    for (long seq : spread(leaves, proofs)) {
      Optional<String> tradeId = trades.idAt(round, seq);
      if (tradeId.isPresent() && proof(tradeId.get()).isPresent()) {
        read++;
      }
    }
    return read;
  }

  /** Up to {@code count} distinct positions in {@code [0, n)}, evenly spread. */
  static long[] spread(long n, int count) {
    return LongStream.range(0, Math.min(n, count)).map(k -> k * n / Math.min(n, count)).toArray();
  }

  /** A trade's proof, or only its round when the round has no stored tree. */
  private record Lookup(long round, StoredProof proof) {}

  private static Lookup lookup(Connection c, String tradeId) throws SQLException {
    long round;
    int seq;
    Trade trade;
    String batchId;
    String status;
    try (PreparedStatement s = c.prepareStatement(TRADE_QUERY)) {
      s.setLong(1, Orders.key(tradeId));
      try (ResultSet r = s.executeQuery()) {
        do {
          if (!r.next()) {
            return null;
          }
        } while (!PackedTrades.tradeId(r.getBytes(3)).equals(tradeId));
        round = r.getLong(1);
        seq = r.getInt(2);
        trade = PackedTrades.unpack(r.getBytes(3));
        batchId = r.getString(4);
        status = r.getString(5);
      }
    }
    int leaves;
    int height;
    byte[] root;
    try (PreparedStatement s = c.prepareStatement(TREE_QUERY)) {
      s.setLong(1, round);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return new Lookup(round, null);
        }
        leaves = r.getInt(1);
        height = r.getInt(2);
        root = r.getBytes(3);
      }
    }
    int node;
    try (PreparedStatement s = c.prepareStatement(LEAF_NODES_QUERY)) {
      s.setLong(1, id(round, seq / LEAF_CHUNK));
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          throw new SQLException("round " + round + " has no leaf node for trade " + seq);
        }
        node = ByteBuffer.wrap(r.getBytes(1)).getInt(seq % LEAF_CHUNK * 4);
      }
    }
    List<byte[]> proof;
    try (PreparedStatement s = c.prepareStatement(TILE_QUERY)) {
      proof =
          MerkleTiles.proof(
              node,
              height,
              leaves,
              tile -> {
                try {
                  s.setLong(1, id(round, tile));
                  try (ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getBytes(1) : null;
                  }
                } catch (SQLException e) {
                  throw new StoreException("reading tile " + tile + ": " + e.getMessage(), e);
                }
              });
    }
    return new Lookup(
        round,
        new StoredProof(
            trade, batchId, seq, proof, root, status == null ? null : BatchStatus.valueOf(status)));
  }

  /**
   * Builds and stores the tree of a round closed before trees were stored: its leaves are read and
   * hashed outside any transaction (the engine goes on meanwhile), one round at a time.
   */
  private void buildStored(long round) {
    synchronized (building) {
      if (info(round).isPresent()) {
        return;
      }
      long started = System.nanoTime();
      List<byte[]> leaves = trades.leavesOfRound(round);
      long bytes = store(round, leaves);
      LOG.info(
          "stored the Merkle tree of round {} ({} trades, {} bytes) in {} ms",
          round,
          leaves.size(),
          bytes,
          (System.nanoTime() - started) / 1_000_000);
    }
  }

  /**
   * Builds the tree of a round's leaves (in batch order) and stores it unless the round has one:
   * the bytes written. Hashing is done before the transaction.
   */
  public long store(long round, List<byte[]> leaves) {
    MerkleTiles tree = MerkleTiles.of(leaves);
    return db.inTransaction(
        c -> {
          boolean stored =
              Sql.exists(c, "SELECT 1 FROM merkle_trees WHERE round = ?", List.of(round));
          return stored ? 0L : write(c, round, tree);
        });
  }

  /** What is stored of a round's tree, if it is. */
  public Optional<TreeInfo> info(long round) {
    return db.inTransaction(
        c ->
            Sql.first(
                c,
                "SELECT m.leaves, m.tile_height,"
                    + " (SELECT COUNT(*) FROM merkle_tiles t WHERE t.id BETWEEN ?1 AND ?2),"
                    + " (SELECT COALESCE(SUM(OCTET_LENGTH(t.hashes)), 0) FROM merkle_tiles t"
                    + " WHERE t.id BETWEEN ?1 AND ?2)"
                    + " + (SELECT COALESCE(SUM(OCTET_LENGTH(l.nodes)), 0) FROM merkle_leaf_nodes l"
                    + " WHERE l.id BETWEEN ?1 AND ?2) + 32"
                    + " FROM merkle_trees m WHERE m.round = ?3",
                List.of(id(round, 0), id(round, Integer.MAX_VALUE), round),
                r -> new TreeInfo(r.getInt(1), r.getInt(2), r.getLong(3), r.getLong(4))));
  }
}
