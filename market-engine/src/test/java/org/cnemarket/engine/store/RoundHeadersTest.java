package org.cnemarket.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.cnemarket.core.model.SettlementBatch;
import org.junit.jupiter.api.Test;

/**
 * Round views and status polls read a round's header and its batch's state, never the recorded
 * input, output or payload: the same figures as the full records, and the settlement as it moves.
 */
class RoundHeadersTest {
  @Test
  void aHeaderHasTheRoundsFiguresAndTheBatchStateFollowsSettlement() throws Exception {
    try (MarketStore store = new MarketStore(Db.openMemory("round-headers"))) {
      SettlementBatch first = RoundTreesTest.commitRound(store, 1, 3);
      SettlementBatch second = RoundTreesTest.commitRound(store, 2, 2);

      RoundRecord full = store.rounds().get(2).orElseThrow();
      assertThat(store.rounds().header(2))
          .contains(
              new RoundHeader(
                  full.round(),
                  full.slot(),
                  full.batchId(),
                  full.tradeCount(),
                  full.summaryJson(),
                  full.inputsHash(),
                  full.outputsHash(),
                  full.closedAtMillis()));
      assertThat(store.rounds().header(3)).isEmpty();
      assertThat(store.rounds().headers(0, 10))
          .extracting(RoundHeader::round)
          .containsExactly(2L, 1L);
      assertThat(store.rounds().headers(1, 10))
          .extracting(RoundHeader::batchId)
          .containsExactly(first.batchId());

      assertThat(store.outbox().state(second.batchId()))
          .contains(new BatchState(BatchStatus.PENDING, null));
      store.outbox().markSettled(second, "tx-2", 7, 10L);
      assertThat(store.outbox().state(second.batchId()))
          .contains(new BatchState(BatchStatus.SETTLED, "tx-2"));
      assertThat(store.outbox().state(first.batchId()))
          .contains(new BatchState(BatchStatus.PENDING, null));
      assertThat(store.outbox().state("0x" + "00".repeat(32))).isEmpty();
    }
  }
}
