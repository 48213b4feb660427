package org.cnemarket.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.merkle.MerkleTree;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.Trade;
import org.cnemarket.core.model.Units;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A round's Merkle tree is stored with its trades: every trade's proof read from it is the tree's
 * proof and verifies against the batch's root, after a restart without rebuilding, and a round
 * closed before trees were stored gets its tree on the first proof.
 */
class RoundTreesTest {
  private static final Eip712.Domain DOMAIN = Eip712.Domain.cne(31337, Eip712.Domain.ZERO_ADDRESS);
  private static final AtomicInteger DATABASES = new AtomicInteger();

  @TempDir Path dir;

  /** Closes a round of {@code n} trades through the store; its settlement batch. */
  static SettlementBatch commitRound(MarketStore store, long round, int n) {
    List<Trade> trades = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String buy = Hex.encode(Keccak.hash("buy-" + round + "-" + i));
      String sell = Hex.encode(Keccak.hash("sell-" + round + "-" + i));
      long q = 1_000 + i;
      long p = 50_000 + round;
      trades.add(
          new Trade(
              Trade.tradeId(buy, sell, round, i),
              round,
              1_000 + round,
              OrderKind.Market.ENERGY,
              buy,
              sell,
              "0x" + "b1".repeat(20),
              "0x" + "5e".repeat(20),
              q,
              p,
              Units.amountMicros(q, p),
              q / 2,
              7 * q));
    }
    String inputsHash = Hex.encode(Keccak.hash("inputs-" + round));
    String outputsHash = Hex.encode(Keccak.hash("outputs-" + round));
    SettlementBatch batch =
        SettlementBatch.build(
            DOMAIN,
            round,
            1_000 + round,
            inputsHash,
            outputsHash,
            trades,
            List.of(),
            List.of(),
            List.of());
    store
        .rounds()
        .commit(
            new RoundRecord(
                round,
                1_000 + round,
                batch.batchId(),
                n,
                "{}",
                "{}",
                "{}",
                inputsHash,
                outputsHash,
                1L),
            trades,
            List.of(),
            RecordCodec.toJson(batch),
            1L);
    return batch;
  }

  private static void assertProofsMatchTheBatch(MarketStore store, SettlementBatch batch) {
    MerkleTree tree = MerkleTree.of(batch.trades().stream().map(Trade::leaf).toList());
    byte[] root = Hex.decode(batch.merkleRoot());
    for (int i = 0; i < batch.trades().size(); i++) {
      Trade t = batch.trades().get(i);
      RoundTrees.StoredProof p = store.trees().proof(t.tradeId()).orElseThrow();
      assertThat(p.trade()).isEqualTo(t);
      assertThat(p.index()).isEqualTo(i);
      assertThat(p.batchId()).isEqualTo(batch.batchId());
      assertThat(p.root()).isEqualTo(root);
      assertThat(p.status()).isEqualTo(BatchStatus.PENDING);
      assertThat(p.proof()).as("trade %d", i).containsExactlyElementsOf(tree.proof(i));
      assertThat(MerkleTree.verify(p.proof(), root, t.leaf())).isTrue();
    }
  }

  @Property(tries = 25)
  void everyTradesProofFromTheStoredTreeIsTheTreesProofAndVerifies(
      @ForAll @IntRange(min = 1, max = 300) int first, @ForAll @IntRange(min = 1, max = 3) int n2)
      throws Exception {
    try (MarketStore store =
        new MarketStore(Db.openMemory("trees-" + DATABASES.incrementAndGet()))) {
      // Two rounds in one database: each proof is of its own round's tree.
      SettlementBatch a = commitRound(store, 1, first);
      SettlementBatch b = commitRound(store, 2, n2);
      assertProofsMatchTheBatch(store, a);
      assertProofsMatchTheBatch(store, b);
      assertThat(store.trees().info(1)).map(RoundTrees.TreeInfo::leaves).contains(first);
      assertThat(store.trees().proof("0x" + "00".repeat(32))).isEmpty();
    }
  }

  @Test
  void aReopenedDatabaseServesProofsFromTheStoredTreeWithoutRebuildingIt() throws Exception {
    SettlementBatch batch;
    RoundTrees.TreeInfo stored;
    try (MarketStore store = new MarketStore(Database.openFile(dir, "engine"))) {
      batch = commitRound(store, 1, 1_001);
      stored = store.trees().info(1).orElseThrow();
    }
    // 2000 nodes below the root: a few full tiles of 126 and the root's tile.
    assertThat(stored.leaves()).isEqualTo(1_001);
    assertThat(stored.tiles()).isBetween(2L, 40L);
    assertThat(stored.bytes()).isEqualTo(2_001 * 32 + 1_001 * 4);
    try (MarketStore store = new MarketStore(Database.openFile(dir, "engine"))) {
      // A proof needs no tree in memory and writes nothing: the rows are those of the commit.
      assertProofsMatchTheBatch(store, batch);
      assertThat(store.trees().info(1)).contains(stored);
    }
  }

  @Test
  void aRoundClosedBeforeTreesWereStoredGetsItsTreeOnceOnTheFirstProof() throws Exception {
    SettlementBatch batch;
    try (MarketStore store = new MarketStore(Database.openFile(dir, "engine"))) {
      batch = commitRound(store, 1, 77);
    }
    // The database as an engine without stored trees left it.
    try (Connection c = Db.openFile(dir, "engine");
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE merkle_tiles");
      s.execute("DROP TABLE merkle_leaf_nodes");
      s.execute("DROP TABLE merkle_trees");
      c.commit();
    }
    try (MarketStore store = new MarketStore(Database.openFile(dir, "engine"))) {
      assertThat(store.trees().info(1)).isEmpty();
      assertProofsMatchTheBatch(store, batch);
      Optional<RoundTrees.TreeInfo> info = store.trees().info(1);
      assertThat(info).map(RoundTrees.TreeInfo::leaves).contains(77);
      assertThat(info).map(RoundTrees.TreeInfo::bytes).contains(153L * 32 + 77 * 4);
    }
  }

  @Test
  void everyQueryOfTheProofPathUsesAnIndex() throws Exception {
    try (MarketStore store =
        new MarketStore(Db.openMemory("trees-plan-" + DATABASES.incrementAndGet()))) {
      commitRound(store, 1, 10);
      List<String> plans = new ArrayList<>();
      plans.add(
          QueryPlans.of(
              store, RoundTrees.TRADE_QUERY, List.of(Orders.key("0x" + "00".repeat(32)))));
      for (String q :
          List.of(RoundTrees.TREE_QUERY, RoundTrees.LEAF_NODES_QUERY, RoundTrees.TILE_QUERY)) {
        plans.add(QueryPlans.of(store, q, List.of(1L)));
      }
      assertThat(plans).hasSize(4);
      for (String plan : plans) {
        assertThat(plan).as(plan).doesNotContain("tableScan").contains("PRIMARY_KEY");
      }
      // The trade by its key, then the round and the outbox entry by their keys.
      assertThat(plans.get(0))
          .contains("TRADES_KEY")
          .contains(": ROUND = T.ROUND")
          .contains(": BATCH_ID = R.BATCH_ID");
    }
  }

  @Test
  void aWarmUpReadsProofsSpreadOverTheNewestRoundAndNeverBuildsATree() throws Exception {
    try (MarketStore store =
        new MarketStore(Db.openMemory("trees-warm-" + DATABASES.incrementAndGet()))) {
      assertThat(store.trees().warmUp(128)).isZero();
      commitRound(store, 1, 1_000);
      commitRound(store, 2, 10);
      assertThat(store.trees().warmUp(128)).as("round 2 has 10 trades").isEqualTo(10);
      commitRound(store, 3, 1_000);
      assertThat(store.trees().warmUp(128)).isEqualTo(128);
      assertThat(RoundTrees.spread(1_000, 4)).containsExactly(0, 250, 500, 750);
      assertThat(RoundTrees.spread(3, 8)).containsExactly(0, 1, 2);
    }
    // The newest round has no stored tree: nothing is read, nothing built.
    try (MarketStore store = new MarketStore(Database.openFile(dir, "engine"))) {
      commitRound(store, 1, 50);
    }
    try (Connection c = Db.openFile(dir, "engine");
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM merkle_trees");
      c.commit();
    }
    try (MarketStore store = new MarketStore(Database.openFile(dir, "engine"))) {
      assertThat(store.trees().warmUp(128)).isZero();
      assertThat(store.trees().info(1)).isEmpty();
    }
  }
}
