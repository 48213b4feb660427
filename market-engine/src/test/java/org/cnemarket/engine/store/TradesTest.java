package org.cnemarket.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.Trade;
import org.junit.jupiter.api.Test;

/**
 * Trade pages come newest round first, in batch order, and are read in the order of an index: a
 * page of a market with 10^6 trades costs its own rows, not a sort of all of them.
 */
class TradesTest {
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
                  "SELECT trade_json FROM trades " + Trades.listWhere(byParticipant, byMarket),
                  args);
          assertThat(plan).as(plan).contains("TRADES_SLOT").contains("index sorted");
        }
      }
    }
  }
}
