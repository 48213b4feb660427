package org.cnemarket.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.merkle.MerkleTree;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.Trade;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trade pages come newest round first, in batch order, and are read in the order of an index: a
 * page of a market with 10^6 trades costs its own rows, not a sort of all of them.
 */
class TradesTest {
  @TempDir Path dir;

  @Test
  void everyTradeComesBackEqualFoundByIdByRoundAndByPosition() throws Exception {
    try (MarketStore store = new MarketStore(Db.openMemory("trades-by-id"))) {
      SettlementBatch one = RoundTreesTest.commitRound(store, 1, 40);
      SettlementBatch two = RoundTreesTest.commitRound(store, 2, 3);
      assertThat(store.trades().ofRound(1)).containsExactlyElementsOf(one.trades());
      assertThat(store.trades().ofRound(2)).containsExactlyElementsOf(two.trades());
      assertThat(store.trades().ofRound(3)).isEmpty();
      for (int i = 0; i < one.trades().size(); i++) {
        Trade t = one.trades().get(i);
        assertThat(store.trades().get(t.tradeId())).contains(t);
        assertThat(store.trades().position(t.tradeId())).get().isEqualTo(new long[] {1, i});
        assertThat(store.trades().idAt(1, i)).contains(t.tradeId());
        assertThat(PackedTrades.unpack(PackedTrades.pack(t))).isEqualTo(t);
      }
      // Another id of the same 64-bit key is not the trade.
      String twin = one.trades().get(0).tradeId().substring(0, 18) + "0".repeat(48);
      assertThat(store.trades().get(twin)).isEmpty();
      assertThat(store.trades().position(twin)).isEmpty();
      assertThat(store.trades().count()).isEqualTo(43);
    }
  }

  @Test
  void tradesStoredAsJsonKeyedByIdMoveToThePackedLayoutOnceWithTheirProofs() throws Exception {
    SettlementBatch one;
    SettlementBatch two;
    try (MarketStore store = new MarketStore(Database.openFile(dir, "engine"))) {
      one = RoundTreesTest.commitRound(store, 1, 30);
      two = RoundTreesTest.commitRound(store, 2, 7);
    }
    // The layout before: a row per trade keyed by its id, its record as JSON.
    try (Connection c = Db.openFile(dir, "engine");
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE trades");
      s.execute(
          "CREATE TABLE trades(trade_id VARCHAR(66) PRIMARY KEY, round BIGINT NOT NULL,"
              + " seq INT NOT NULL, batch_id VARCHAR(66) NOT NULL, slot BIGINT NOT NULL,"
              + " market VARCHAR(10) NOT NULL, buyer VARCHAR(42) NOT NULL, seller VARCHAR(42) NOT NULL,"
              + " trade_json VARCHAR(16000) NOT NULL, leaf VARBINARY(32),"
              + " CONSTRAINT trade_seq UNIQUE(round, seq))");
      s.execute("CREATE INDEX trades_buyer ON trades(buyer)");
      s.execute("CREATE INDEX trades_slot ON trades(slot DESC, round DESC, seq)");
      try (PreparedStatement u =
          c.prepareStatement(
              "INSERT INTO trades(trade_id, round, seq, batch_id, slot, market, buyer, seller,"
                  + " trade_json) VALUES(?,?,?,?,?,?,?,?,?)")) {
        for (SettlementBatch b : List.of(one, two)) {
          for (int i = 0; i < b.trades().size(); i++) {
            Trade t = b.trades().get(i);
            u.setString(1, t.tradeId());
            u.setLong(2, t.round());
            u.setInt(3, i);
            u.setString(4, b.batchId());
            u.setLong(5, t.slot());
            u.setString(6, t.market().name());
            u.setString(7, t.buyer());
            u.setString(8, t.seller());
            u.setString(9, RecordCodec.toJson(t));
            u.executeUpdate();
          }
        }
      }
      // and round 2's tree not stored yet: it is built from the moved trades.
      s.execute("DELETE FROM merkle_trees WHERE round = 2");
      s.execute("DELETE FROM merkle_leaf_nodes WHERE id >= " + RoundTrees.id(2, 0));
      s.execute("DELETE FROM merkle_tiles WHERE id >= " + RoundTrees.id(2, 0));
      c.commit();
    }
    for (int open = 0; open < 2; open++) {
      try (MarketStore store = new MarketStore(Database.openFile(dir, "engine"))) {
        assertThat(store.trades().ofRound(1)).containsExactlyElementsOf(one.trades());
        assertThat(store.trades().ofRound(2)).containsExactlyElementsOf(two.trades());
        List<Trade> newestFirst = new ArrayList<>(two.trades());
        newestFirst.addAll(one.trades());
        assertThat(store.trades().list(null, null, 0, Long.MAX_VALUE, 0, 100))
            .containsExactlyElementsOf(newestFirst);
        for (SettlementBatch b : List.of(one, two)) {
          for (Trade t : b.trades()) {
            var p = store.trees().proof(t.tradeId()).orElseThrow();
            assertThat(p.trade()).isEqualTo(t);
            assertThat(p.batchId()).isEqualTo(b.batchId());
            assertThat(MerkleTree.verify(p.proof(), p.root(), t.leaf())).isTrue();
          }
        }
      }
    }
  }

  @Test
  void pagesListTheNewestRoundFirstInBatchOrderAndConcatenateToTheWholeList() throws Exception {
    try (MarketStore store = new MarketStore(Db.openMemory("trades-pages"))) {
      List<Trade> expected = new ArrayList<>();
      List<SettlementBatch> batches = new ArrayList<>();
      for (int round = 1; round <= 3; round++) {
        batches.add(RoundTreesTest.commitRound(store, round, 5 + round));
      }
      for (int i = batches.size() - 1; i >= 0; i--) {
        expected.addAll(batches.get(i).trades());
      }
      assertThat(store.trades().list(null, null, 0, Long.MAX_VALUE, 0, 100))
          .containsExactlyElementsOf(expected);
      List<Trade> paged = new ArrayList<>();
      for (int offset = 0; offset < expected.size(); offset += 4) {
        paged.addAll(store.trades().list(null, null, 0, Long.MAX_VALUE, offset, 4));
      }
      assertThat(paged).containsExactlyElementsOf(expected);
      // Round 2 closed slot 1002: the range selects it alone.
      assertThat(store.trades().list(null, "ENERGY", 1002, 1002, 0, 100))
          .containsExactlyElementsOf(batches.get(1).trades());
      assertThat(store.trades().list("0x" + "5e".repeat(20), null, 1003, 1003, 2, 100))
          .containsExactlyElementsOf(batches.get(2).trades().subList(2, 8));
    }
  }

  @Test
  void everyFilterOfTradePagesIsReadInIndexOrder() throws Exception {
    try (MarketStore store = new MarketStore(Db.openMemory("trades-plans"))) {
      RoundTreesTest.commitRound(store, 1, 10);
      for (boolean byParticipant : new boolean[] {false, true}) {
        for (boolean byMarket : new boolean[] {false, true}) {
          List<Object> args = new ArrayList<>(List.of(0L, Long.MAX_VALUE));
          if (byParticipant) {
            args.add("0x" + "b1".repeat(20));
            args.add("0x" + "b1".repeat(20));
          }
          if (byMarket) {
            args.add("ENERGY");
          }
          args.add(0);
          args.add(20);
          String plan =
              QueryPlans.of(
                  store,
                  "SELECT body FROM trades " + Trades.listWhere(byParticipant, byMarket),
                  args);
          assertThat(plan).as(plan).contains("TRADES_SLOT").contains("index sorted");
        }
      }
    }
  }
}
