package org.cnemarket.engine.ledger.embedded;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cnemarket.chaincode.embedded.ChaincodeRunner;
import org.cnemarket.chaincode.embedded.InMemoryStateStore;
import org.cnemarket.chaincode.embedded.StateStore;
import org.cnemarket.chaincode.embedded.TxResult;
import org.cnemarket.chaincode.embedded.Write;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.crypto.Signature;
import org.cnemarket.core.model.NetSettlement;
import org.cnemarket.engine.store.Db;

/**
 * Verifies an embedded ledger without trusting it: the hash chain and the node's signature of every
 * block, a replay of every transaction from genesis through the chaincode (each must give the
 * result, write set and event its block commits to, and the key history and event log rows that
 * hold them) and the replayed world state against the stored one. The chain holds each batch's
 * header and net movements, not its trades; {@code audit verify} checks the trades the engine
 * serves against each stored root ({@code BatchCrossCheck}).
 */
public final class LedgerAudit {
  /** The audit's outcome; {@code problem} names the first bad block when not verified. */
  public record Report(
      boolean verified,
      long blocks,
      long transactions,
      long trades,
      long batches,
      String nodeAddress,
      String problem) {}

  private static final Pattern BLOCK = Pattern.compile("block (\\d+)");

  private LedgerAudit() {}

  public static Report verify(Path dir) throws SQLException {
    return verify(dir, null);
  }

  /**
   * Verifies the ledger and that it still extends {@code checkpoint} (null: none): the block the
   * checkpoint names must be there with the same hash, signed by the pinned node key.
   */
  public static Report verify(Path dir, Checkpoint checkpoint) throws SQLException {
    if (!Files.exists(dir.resolve("ledger.mv.db"))) {
      return new Report(false, 0, 0, 0, 0, null, "no embedded ledger in " + dir);
    }
    try (Connection c = Db.openFile(dir, "ledger", true)) {
      Report r = verify(c);
      if (checkpoint == null) {
        return r;
      }
      List<BlockChain.Block> blocks = BlockChain.readBlocks(c);
      String problem = checkpointProblem(blocks, r, checkpoint);
      // The first bad block wins: a damaged block below the checkpoint is named before the
      // truncation.
      if (problem != null && (r.verified() || firstBlock(r.problem()) >= checkpoint.number())) {
        return new Report(
            false, r.blocks(), r.transactions(), r.trades(), r.batches(), r.nodeAddress(), problem);
      }
      return r;
    }
  }

  /** Verifies the ledger and returns a checkpoint of its head for the auditor to keep. */
  public static Checkpoint checkpoint(Path dir, long nowMillis) throws SQLException {
    Report r = verify(dir);
    if (!r.verified()) {
      throw new IllegalStateException(
          "the ledger does not verify, no checkpoint taken: " + r.problem());
    }
    try (Connection c = Db.openFile(dir, "ledger", true)) {
      List<BlockChain.Block> blocks = BlockChain.readBlocks(c);
      if (blocks.isEmpty()) {
        throw new IllegalStateException("the ledger has no blocks yet");
      }
      BlockChain.Block head = blocks.get(blocks.size() - 1);
      return new Checkpoint(
          head.number(), head.hash(), r.nodeAddress(), head.signature(), nowMillis);
    }
  }

  private static long firstBlock(String problem) {
    Matcher m = BLOCK.matcher(problem == null ? "" : problem);
    return m.lookingAt() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
  }

  /** Null when the chain extends the checkpoint, else the problem, naming the block or key. */
  private static String checkpointProblem(List<BlockChain.Block> blocks, Report r, Checkpoint cp) {
    if (r.nodeAddress() != null && !r.nodeAddress().equals(cp.nodeAddress())) {
      return "key: the blocks are signed by "
          + r.nodeAddress()
          + ", the checkpoint pins node key "
          + cp.nodeAddress();
    }
    if (cp.number() >= blocks.size()) {
      return "block "
          + cp.number()
          + ": missing, the chain ends at block "
          + (blocks.size() - 1)
          + "; it no longer extends the checkpoint (block "
          + cp.number()
          + ", "
          + cp.hash()
          + "): the ledger was truncated";
    }
    BlockChain.Block b = blocks.get((int) cp.number());
    if (b.number() != cp.number() || !b.hash().equals(cp.hash())) {
      return "block "
          + cp.number()
          + ": its hash "
          + b.hash()
          + " differs from the checkpoint's "
          + cp.hash()
          + ": the chain was rewritten since";
    }
    return null;
  }

  static Report verify(Connection c) throws SQLException {
    BlockChain.createTables(c);
    List<BlockChain.Block> blocks = BlockChain.readBlocks(c);
    InMemoryStateStore replay = new InMemoryStateStore();
    ChaincodeRunner runner = new ChaincodeRunner(replay, EmbeddedLedger.CHANNEL);
    String node = null;
    long txs = 0;
    long trades = 0;
    long batches = 0;
    String prev = BlockChain.ZERO_HASH;
    Logs logs = new Logs(c);
    for (int i = 0; i < blocks.size(); i++) {
      BlockChain.Block b = blocks.get(i);
      String where = "block " + b.number() + ": ";
      if (b.number() != i) {
        return fail(
            blocks,
            txs,
            trades,
            batches,
            node,
            "block " + i + ": missing (found block " + b.number() + ")");
      }
      if (!b.prevHash().equals(prev)) {
        return fail(
            blocks,
            txs,
            trades,
            batches,
            node,
            where + "does not link to the previous block's hash");
      }
      if (!Hex.encode(Keccak.hash(b.bodyJson())).equals(b.hash())) {
        return fail(
            blocks, txs, trades, batches, node, where + "its content does not match its hash");
      }
      Fields body;
      try {
        body = Fields.of(Json.parse(b.bodyJson()), "block");
      } catch (IllegalArgumentException e) {
        return fail(blocks, txs, trades, batches, node, where + "unreadable: " + e.getMessage());
      }
      if (body.longValue("number") != b.number()
          || !body.string("prevHash").equals(b.prevHash())
          || body.longValue("timestampMillis") != b.timestampMillis()) {
        return fail(
            blocks,
            txs,
            trades,
            batches,
            node,
            where + "header columns differ from its signed content");
      }
      if (node == null) {
        node = body.string("nodeAddress");
      } else if (!node.equals(body.string("nodeAddress"))) {
        return fail(blocks, txs, trades, batches, node, where + "signed by another node");
      }
      boolean signed;
      try {
        signed = Secp256k1.verify(Hex.decode(b.hash()), Signature.fromHex(b.signature()), node);
      } catch (IllegalArgumentException e) {
        signed = false;
      }
      if (!signed) {
        return fail(
            blocks, txs, trades, batches, node, where + "the node's signature does not verify");
      }
      for (Object o : body.list("transactions")) {
        Fields tx = Fields.of(o, "transaction");
        String txId = tx.string("txId");
        Instant ts = Instant.ofEpochMilli(tx.longValue("timestampMillis"));
        String function = tx.string("function");
        String[] args = tx.list("args").stream().map(String.class::cast).toArray(String[]::new);
        byte[] creator = Hex.decode(tx.string("creator"));
        TxResult r = runner.invoke(txId, ts, creator, function, args);
        if (!r.ok()) {
          return fail(
              blocks,
              txs,
              trades,
              batches,
              node,
              where
                  + "transaction "
                  + txId
                  + " ("
                  + function
                  + ") fails on replay: "
                  + r.message());
        }
        if (!(tx.has("resultHash")
            ? Hex.encode(Keccak.hash(r.payload())).equals(tx.string("resultHash"))
            : r.payloadString().equals(tx.string("result")))) {
          return fail(
              blocks,
              txs,
              trades,
              batches,
              node,
              where + "transaction " + txId + " result differs on replay");
        }
        if (!(tx.has("writesHash")
            ? BlockChain.writesHash(r.writeSet()).equals(tx.string("writesHash"))
            : Json.write(BlockChain.writesJson(r.writeSet()))
                .equals(Json.write(tx.list("writes"))))) {
          return fail(
              blocks,
              txs,
              trades,
              batches,
              node,
              where + "transaction " + txId + " writes differ on replay");
        }
        String logProblem = logs.check(b.number(), txId, ts, r, tx);
        if (logProblem != null) {
          return fail(blocks, txs, trades, batches, node, where + logProblem);
        }
        replay.commit(txId, ts, r.writeSet());
        txs++;
        if (function.equals("settlement:Settle")) {
          // The trades are not on the chain: BatchCrossCheck proves the engine's trades against
          // the root this header carries.
          NetSettlement batch = RecordCodec.netSettlementFromJson(args[0]);
          trades += batch.tradeCount();
          batches++;
        }
      }
      prev = b.hash();
    }
    List<StateStore.Entry> stored = new H2StateStore(c).all();
    List<StateStore.Entry> replayed = replay.range("", "");
    if (stored.size() != replayed.size()) {
      return fail(
          blocks,
          txs,
          trades,
          batches,
          node,
          String.format(
              Locale.ROOT,
              "block %d (head): the world state has %d keys, the replay of the chain up to it gives %d",
              blocks.size() - 1,
              stored.size(),
              replayed.size()));
    }
    for (int i = 0; i < stored.size(); i++) {
      StateStore.Entry s = stored.get(i);
      StateStore.Entry r = replayed.get(i);
      if (!s.key().equals(r.key()) || !Arrays.equals(s.value(), r.value())) {
        return fail(
            blocks,
            txs,
            trades,
            batches,
            node,
            "world state key '"
                + new String(s.key().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)
                    .replace('\u0000', '/')
                + "' differs from the replay of the chain");
      }
    }
    String extra = logs.leftOver();
    if (extra != null) {
      return fail(
          blocks, txs, trades, batches, node, "block " + (blocks.size() - 1) + " (head): " + extra);
    }
    return new Report(true, blocks.size(), txs, trades, batches, node, null);
  }

  /**
   * The key history and the event log, read alongside the replay: every transaction's writes must
   * be its history rows, in order, and its event the event log's row for its block, since the
   * blocks keep only their hashes.
   */
  private static final class Logs {
    private final Rows history;
    private final Rows events;

    Logs(Connection c) {
      history = new Rows(c, "SELECT seq, k, tx_id, ts, v FROM key_history", "seq");
      events = new Rows(c, "SELECT block, tx_id, name, payload FROM ledger_events", "block");
    }

    /** Null when the logs hold exactly what the replay of this transaction gives. */
    String check(long block, String txId, Instant ts, TxResult r, Fields tx) throws SQLException {
      for (Write w : r.writeSet()) {
        Object[] h = history.next();
        if (h == null
            || !Arrays.equals((byte[]) h[1], w.key().getBytes(StandardCharsets.UTF_8))
            || !txId.equals(h[2])
            || (long) h[3] != ts.toEpochMilli()
            || !Arrays.equals((byte[]) h[4], w.value())) {
          return "transaction "
              + txId
              + ": the key history differs from its writes on replay (key '"
              + w.key().replace('\u0000', '/')
              + "')";
        }
      }
      Object recorded = tx.rawMap().get("event");
      Object[] e = events.peek();
      String logged = null;
      if (e != null && (long) e[0] <= block) {
        events.next();
        // A logged event of an earlier block, or of another transaction, matches nothing.
        logged = (long) e[0] == block && txId.equals(e[1]) ? e[2] + "\u0000" + e[3] : "";
      }
      if (r.event().isEmpty()) {
        return recorded == null && logged == null
            ? null
            : "transaction " + txId + ": an event is recorded that the replay does not give";
      }
      String name = r.event().get().name();
      String payload = r.event().get().payloadString();
      if (!(recorded instanceof Map<?, ?> m) || !name.equals(m.get("name"))) {
        return "transaction " + txId + ": event differs on replay";
      }
      Object hash = m.get("payloadHash");
      if (hash != null
          ? !BlockChain.eventHash(payload).equals(hash)
          : !payload.equals(m.get("payload"))) {
        return "transaction " + txId + ": event differs on replay";
      }
      if (logged == null || !logged.equals(name + "\u0000" + payload)) {
        return "transaction " + txId + ": the event log differs from its event on replay";
      }
      return null;
    }

    /** Null when every history row belongs to a replayed transaction. */
    String leftOver() throws SQLException {
      Object[] e = events.next();
      if (e != null) {
        return "the event log holds an event (block " + e[0] + ") that no block records";
      }
      Object[] h = history.next();
      return h == null
          ? null
          : "the key history holds a write (row "
              + h[0]
              + ", transaction "
              + h[2]
              + ") that no block records";
    }
  }

  /** The rows of a table in the order of a BIGINT key, read a page at a time. */
  private static final class Rows {
    private static final int PAGE = 10_000;
    private final Connection c;
    private final String sql;
    private final ArrayDeque<Object[]> page = new ArrayDeque<>();
    private long last = Long.MIN_VALUE;
    private boolean done;

    Rows(Connection c, String select, String key) {
      this.c = c;
      this.sql =
          select + " WHERE " + key + " > ? ORDER BY " + key + " FETCH FIRST " + PAGE + " ROWS ONLY";
    }

    Object[] peek() throws SQLException {
      if (page.isEmpty() && !done) {
        try (PreparedStatement p = c.prepareStatement(sql)) {
          p.setLong(1, last);
          try (ResultSet rs = p.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
              Object[] row = new Object[n];
              for (int i = 0; i < n; i++) {
                Object v = rs.getObject(i + 1);
                row[i] = v instanceof Clob ? rs.getString(i + 1) : v;
              }
              last = rs.getLong(1);
              page.add(row);
            }
          }
        }
        done = page.size() < PAGE;
      }
      return page.peek();
    }

    Object[] next() throws SQLException {
      Object[] row = peek();
      page.poll();
      return row;
    }
  }

  private static Report fail(
      List<BlockChain.Block> blocks,
      long txs,
      long trades,
      long batches,
      String node,
      String problem) {
    return new Report(false, blocks.size(), txs, trades, batches, node, problem);
  }
}
