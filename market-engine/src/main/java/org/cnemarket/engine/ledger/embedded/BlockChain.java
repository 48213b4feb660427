package org.cnemarket.engine.ledger.embedded;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cnemarket.chaincode.embedded.ChaincodeRunner;
import org.cnemarket.chaincode.embedded.TxResult;
import org.cnemarket.chaincode.embedded.Write;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.engine.store.Db;
import org.cnemarket.engine.store.StoreException;

/**
 * The embedded ledger's append-only block log over its world state. One successful transaction
 * makes one block holding the function, arguments and creator, the hashes of its result, write set
 * and event, the previous block's hash, and the node key's signature of its own hash. The write set
 * itself is kept in the key history and the event in the event log, once each. State, history and
 * block commit in one database transaction, so a crash leaves either all of them or none.
 */
public final class BlockChain {
  /** One stored block. {@code hash} = keccak256(bodyJson); {@code signature} signs {@code hash}. */
  public record Block(
      long number,
      String prevHash,
      String hash,
      long timestampMillis,
      String bodyJson,
      String signature) {}

  static final String ZERO_HASH = Hex.encode(new byte[32]);

  private final Connection c;
  private final H2StateStore state;
  private final ChaincodeRunner runner;
  private final Secp256k1.KeyPair nodeKey;
  private final Clock clock;
  private long evaluations;

  BlockChain(
      Connection c,
      H2StateStore state,
      ChaincodeRunner runner,
      Secp256k1.KeyPair nodeKey,
      Clock clock)
      throws SQLException {
    this.c = c;
    this.state = state;
    this.runner = runner;
    this.nodeKey = nodeKey;
    this.clock = clock;
    createTables(c);
    if (height() == 0) {
      appendBlock(null, List.of(), clock.instant(), null);
    }
  }

  static void createTables(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS blocks(number BIGINT PRIMARY KEY, prev_hash VARCHAR(66) NOT NULL,"
              + " hash VARCHAR(66) NOT NULL, ts BIGINT NOT NULL, body CLOB NOT NULL, signature VARCHAR(132) NOT NULL,"
              + " tx_id VARCHAR(80))");
      s.execute("CREATE INDEX IF NOT EXISTS blocks_tx ON blocks(tx_id)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS ledger_events(block BIGINT PRIMARY KEY, tx_id VARCHAR(80) NOT NULL,"
              + " name VARCHAR(100) NOT NULL, payload CLOB NOT NULL)");
    }
    Db.commit(c);
  }

  public String nodeAddress() {
    return nodeKey.address();
  }

  /** Number of blocks, genesis included. */
  public synchronized long height() {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM blocks")) {
      r.next();
      return r.getLong(1);
    } catch (SQLException e) {
      throw new StoreException("ledger block count: " + e.getMessage(), e);
    }
  }

  /** Endorses and, when the chaincode succeeds, commits the transaction in a new block. */
  public synchronized Committed submit(byte[] creator, String function, String... args) {
    return submitAll(creator, function, List.<String[]>of(args)).get(0);
  }

  /**
   * Endorses {@code function} once per argument list, in order, each transaction seeing the ones
   * before it, and commits the blocks of all of them in one database transaction: a crash leaves
   * all of them or none. When the chaincode refuses one, none is committed and the answer ends with
   * the refusal. A large write costs the database about as much as a small one (it rewrites the
   * pages the writes touch, which at 10^5 orders are most of the world state's), so the ledger feed
   * commits a pass of many orders at once.
   */
  public synchronized List<Committed> submitAll(
      byte[] creator, String function, List<String[]> argLists) {
    List<Committed> out = new ArrayList<>(argLists.size());
    try {
      // The tip is read once and carried from block to block: H2 answers the tip's query (the
      // last row of the primary key) without the rows this transaction has not committed yet.
      Tip last = tip();
      if (last == null) {
        throw new IllegalStateException("the ledger has no genesis block");
      }
      Tip first = last;
      for (String[] args : argLists) {
        Staged done = stage(last, creator, function, args);
        out.add(done.committed());
        if (!done.committed().result().ok()) {
          if (last != first) {
            c.rollback();
          }
          return out;
        }
        last = done.tip();
      }
      boolean staged = last != first;
      if (staged) {
        Db.commit(c);
      }
      return out;
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // The commit failed; rolling back is best effort, the connection is discarded on close.
      }
      throw new StoreException("ledger commit of " + function + " failed: " + e.getMessage(), e);
    }
  }

  /** A transaction run, and the chain's tip after it. */
  private record Staged(Committed committed, Tip tip) {}

  /**
   * Runs one transaction on {@code last} and writes its block, state and event without committing
   * them.
   */
  private Staged stage(Tip last, byte[] creator, String function, String[] args)
      throws SQLException {
    Instant ts = Instant.ofEpochMilli(clock.millis());
    String txId =
        Hex.encode(
                Keccak.hash(
                    last.hash()
                        + "|"
                        + function
                        + "|"
                        + String.join("\u0000", args)
                        + "|"
                        + ts.toEpochMilli()))
            .substring(2);
    TxResult result = runner.invoke(txId, ts, creator, function, args);
    if (!result.ok()) {
      return new Staged(new Committed(result, -1), last);
    }
    if (result.writeSet().isEmpty() && result.event().isEmpty()) {
      // A transaction that changes nothing (an idempotent repeat) needs no block.
      return new Staged(new Committed(result, -1), last);
    }
    state.commit(txId, ts, result.writeSet());
    Map<String, Object> tx = transactionJson(txId, ts, creator, function, args, result);
    Tip block = appendBlock(last, List.of(tx), ts, txId);
    long number = block.number();
    if (result.event().isPresent()) {
      try (PreparedStatement p =
          c.prepareStatement(
              "INSERT INTO ledger_events(block, tx_id, name, payload) VALUES(?,?,?,?)")) {
        p.setLong(1, number);
        p.setString(2, txId);
        p.setString(3, result.event().get().name());
        p.setString(4, result.event().get().payloadString());
        p.executeUpdate();
      }
    }
    return new Staged(new Committed(result, number), block);
  }

  /** Runs a query transaction: nothing is written. */
  public synchronized TxResult evaluate(byte[] creator, String function, String... args) {
    return runner.invoke(
        "eval-" + (++evaluations), Instant.ofEpochMilli(clock.millis()), creator, function, args);
  }

  /** A successful transaction and the block it is in (-1 when the chaincode refused it). */
  public record Committed(TxResult result, long blockNumber) {}

  static Map<String, Object> transactionJson(
      String txId, Instant ts, byte[] creator, String function, String[] args, TxResult result) {
    Map<String, Object> tx = new LinkedHashMap<>();
    tx.put("txId", txId);
    tx.put("timestampMillis", ts.toEpochMilli());
    tx.put("function", function);
    tx.put("args", List.of(args));
    tx.put("creator", Hex.encode(creator));
    tx.put("status", (long) result.status());
    // The block commits to the result, write set and event by their hashes: an auditor recomputes
    // all three by replaying the transaction, the write set is kept once (in the key history) and
    // the event payload once (in the event log), each checked against these hashes by the audit.
    tx.put("resultHash", Hex.encode(Keccak.hash(result.payload())));
    tx.put("writesHash", writesHash(result.writeSet()));
    tx.put(
        "event",
        result
            .event()
            .map(
                e -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("name", e.name());
                  m.put("payloadHash", eventHash(e.payloadString()));
                  return (Object) m;
                })
            .orElse(null));
    return tx;
  }

  /** Write sets as blocks written before their hashes were kept held them, hex-encoded. */
  static List<Object> writesJson(List<Write> writes) {
    List<Object> out = new ArrayList<>();
    for (Write w : writes) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("key", Hex.encode(w.key().getBytes(StandardCharsets.UTF_8)));
      m.put("value", w.isDelete() ? null : Hex.encode(w.value()));
      out.add(m);
    }
    return out;
  }

  /**
   * keccak256 over the write set in order, each write as its key's UTF-8 length and bytes, then -1
   * for a delete or the value's length and bytes (lengths as 4-byte big-endian ints).
   */
  static String writesHash(List<Write> writes) {
    int size = 0;
    List<byte[]> keys = new ArrayList<>(writes.size());
    for (Write w : writes) {
      byte[] k = w.key().getBytes(StandardCharsets.UTF_8);
      keys.add(k);
      size += 8 + k.length + (w.isDelete() ? 0 : w.value().length);
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    for (int i = 0; i < writes.size(); i++) {
      Write w = writes.get(i);
      b.putInt(keys.get(i).length).put(keys.get(i));
      if (w.isDelete()) {
        b.putInt(-1);
      } else {
        b.putInt(w.value().length).put(w.value());
      }
    }
    return Hex.encode(Keccak.hash(b.array()));
  }

  /** keccak256 of an event's payload as the event log stores it. */
  static String eventHash(String payload) {
    return Hex.encode(Keccak.hash(payload.getBytes(StandardCharsets.UTF_8)));
  }

  /** Appends a block chained to {@code last} (null for the genesis block). */
  private Tip appendBlock(Tip last, List<Map<String, Object>> txs, Instant ts, String txId)
      throws SQLException {
    long number = last == null ? 0 : last.number() + 1;
    String prev = last == null ? ZERO_HASH : last.hash();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("number", number);
    body.put("prevHash", prev);
    body.put("timestampMillis", ts.toEpochMilli());
    body.put("nodeAddress", nodeKey.address());
    body.put("transactions", txs);
    String bodyJson = Json.write(body);
    byte[] hash = Keccak.hash(bodyJson);
    String sig = nodeKey.sign(hash).toHex();
    try (PreparedStatement p =
        c.prepareStatement(
            "INSERT INTO blocks(number, prev_hash, hash, ts, body, signature, tx_id) VALUES(?,?,?,?,?,?,?)")) {
      p.setLong(1, number);
      p.setString(2, prev);
      p.setString(3, Hex.encode(hash));
      p.setLong(4, ts.toEpochMilli());
      p.setString(5, bodyJson);
      p.setString(6, sig);
      p.setString(7, txId);
      p.executeUpdate();
    }
    if (number == 0) {
      Db.commit(c);
    }
    return new Tip(number, Hex.encode(hash));
  }

  /** The last block's number and hash: what a new block chains to. */
  private record Tip(long number, String hash) {}

  /** The chain's tip, or null before the genesis block; reads no block body. */
  private Tip tip() {
    try (Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT number, hash FROM blocks ORDER BY number DESC FETCH FIRST 1 ROWS ONLY")) {
      return r.next() ? new Tip(r.getLong(1), r.getString(2)) : null;
    } catch (SQLException e) {
      throw new StoreException("ledger block read: " + e.getMessage(), e);
    }
  }

  /** The block holding transaction {@code txId}, or -1. */
  synchronized long blockOf(String txId) {
    try (PreparedStatement p = c.prepareStatement("SELECT number FROM blocks WHERE tx_id = ?")) {
      p.setString(1, txId);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? r.getLong(1) : -1;
      }
    } catch (SQLException e) {
      throw new StoreException("ledger block lookup: " + e.getMessage(), e);
    }
  }

  /** Events recorded in blocks after {@code cursor}, oldest first. */
  synchronized List<String[]> eventsAfter(long cursor, int max) {
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT block, tx_id, name, payload FROM ledger_events WHERE block > ? ORDER BY block FETCH FIRST ? ROWS ONLY")) {
      p.setLong(1, cursor);
      p.setInt(2, max);
      List<String[]> out = new ArrayList<>();
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(
              new String[] {
                Long.toString(r.getLong(1)), r.getString(2), r.getString(3), r.getString(4)
              });
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("ledger events read: " + e.getMessage(), e);
    }
  }

  /** Reads every block in order (for audits); works on any connection to a ledger database. */
  static List<Block> readBlocks(Connection c) throws SQLException {
    List<Block> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT number, prev_hash, hash, ts, body, signature FROM blocks ORDER BY number")) {
      while (r.next()) {
        out.add(block(r));
      }
    }
    return out;
  }

  static Optional<String> meta(Connection c, String key) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT v FROM ledger_meta WHERE k = ?")) {
      p.setString(1, key);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
      }
    }
  }

  private static Block block(ResultSet r) throws SQLException {
    return new Block(
        r.getLong(1), r.getString(2), r.getString(3), r.getLong(4), r.getString(5), r.getString(6));
  }
}
