package org.cnemarket.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.merkle.MerkleTiles;
import org.junit.jupiter.api.Test;

/**
 * A batch built on a tree the caller keeps is the batch built from its trades, and its canonical
 * JSON reads back to the same bytes and header.
 */
class SettlementBatchTest {

  private static SettlementBatch sample() {
    var fills =
        List.of(
            new NetSettlementTest.Fill(
                NetSettlementTest.BID, NetSettlementTest.SOLAR, 4_000, 150_000),
            new NetSettlementTest.Fill(
                NetSettlementTest.BID2, NetSettlementTest.SOLAR, 5_000, 150_000),
            new NetSettlementTest.Fill(
                NetSettlementTest.BID, NetSettlementTest.SOLAR, 1_000, 120_000));
    SettlementBatch b =
        NetSettlementTest.batch(
            fills,
            List.of(NetSettlementTest.BID, NetSettlementTest.BID2, NetSettlementTest.SOLAR),
            List.of(NetSettlementTest.BID.id(NetSettlementTest.DOMAIN)));
    return new SettlementBatch(
        b.batchId(),
        b.round(),
        b.slot(),
        b.merkleRoot(),
        b.inputsHash(),
        b.outputsHash(),
        b.trades(),
        b.orders(),
        b.closedOrderIds(),
        List.of(
            new SettlementBatch.Fee(
                NetSettlementTest.BID.id(NetSettlementTest.DOMAIN),
                NetSettlementTest.BUYER.address(),
                7)));
  }

  @Test
  void aBatchOnTheCallersTreeIsTheBatchOfItsTrades() {
    SettlementBatch b = sample();
    for (int n = 0; n <= b.trades().size(); n++) {
      List<Trade> trades = b.trades().subList(0, n);
      MerkleTiles tree = MerkleTiles.of(trades.stream().map(Trade::leaf).toList());
      SettlementBatch fromTrades =
          SettlementBatch.build(
              NetSettlementTest.DOMAIN,
              b.round(),
              b.slot(),
              b.inputsHash(),
              b.outputsHash(),
              trades,
              b.orders(),
              b.closedOrderIds(),
              b.fees());
      SettlementBatch onTree =
          SettlementBatch.build(
              NetSettlementTest.DOMAIN,
              b.round(),
              b.slot(),
              tree,
              b.inputsHash(),
              b.outputsHash(),
              trades,
              b.orders(),
              b.closedOrderIds(),
              b.fees());
      assertThat(onTree).isEqualTo(fromTrades);
      assertThat(onTree.merkleRoot()).isEqualTo(SettlementBatch.rootOf(trades));
    }
  }

  @Test
  void aTreeOfOtherTradesIsRefused() {
    SettlementBatch b = sample();
    MerkleTiles tree = MerkleTiles.of(List.of(b.trades().get(0).leaf()));
    assertThatThrownBy(
            () ->
                SettlementBatch.build(
                    NetSettlementTest.DOMAIN,
                    b.round(),
                    b.slot(),
                    tree,
                    b.inputsHash(),
                    b.outputsHash(),
                    b.trades(),
                    b.orders(),
                    b.closedOrderIds(),
                    b.fees()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theCanonicalJsonReadsBackToItsBytesAndItsHeader() {
    SettlementBatch b = sample();
    String json = RecordCodec.toJson(b);
    // A ledger hashes the stored JSON as is: it must be what writing the batch again gives.
    assertThat(RecordCodec.toJson(RecordCodec.batchFromJson(json))).isEqualTo(json);
    assertThat(RecordCodec.batchHeader(json)).isEqualTo(RecordCodec.batchHeader(b));
    assertThat(RecordCodec.batchHeader(json).get("tradeCount")).isEqualTo(3L);
  }
}
