package org.cnemarket.engine.auction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cnemarket.engine.auction.UniformAuctionContract.unitAsks;
import static org.cnemarket.engine.auction.UniformAuctionContract.unitBids;

import java.util.List;
import org.junit.jupiter.api.Test;

class McAfeeAuctionTest {

  @Test
  void referenceCaseThreeTradesAtFive() {
    McAfeeClearing c =
        McAfeeAuction.clear(unitBids(9, 8, 7, 4, 2), unitAsks(1, 3, 5, 6, 8), 1).orElseThrow();
    assertThat(c.outcome()).isEqualTo(McAfeeClearing.Outcome.SINGLE_PRICE);
    assertThat(c.tradedLots()).isEqualTo(3);
    assertThat(c.buyerPriceMicros()).hasValue(5);
    assertThat(c.sellerPriceMicros()).hasValue(5);
    assertThat(c.platformSurplusMicros()).isZero();
    assertThat(c.fills()).extracting(Fill::bidId).containsExactly("b0", "b1", "b2");
  }

  @Test
  void tradeReductionDropsTheLeastEfficientPair() {
    // t = 3 (b_3 = 7 ≥ a_3 = 5); the next pair is (1, 2000), so p0 falls outside [a_3, b_3].
    McAfeeClearing c =
        McAfeeAuction.clear(unitBids(9, 8, 7, 1), unitAsks(1, 3, 5, 2000), 1).orElseThrow();
    // p0 = (1 + 2000) / 2 = 1000.5 > b_3 = 7 → reduce: 2 trades, buyers pay 7, sellers get 5.
    assertThat(c.outcome()).isEqualTo(McAfeeClearing.Outcome.TRADE_REDUCTION);
    assertThat(c.tradedLots()).isEqualTo(2);
    assertThat(c.buyerPriceMicros()).hasValue(7);
    assertThat(c.sellerPriceMicros()).hasValue(5);
    assertThat(c.platformSurplusMicros()).isEqualTo(2 * 2 / 1000.0);
  }

  @Test
  void missingNextPairMeansReduction() {
    McAfeeClearing c = McAfeeAuction.clear(unitBids(9, 8), unitAsks(1, 3), 1).orElseThrow();
    assertThat(c.outcome()).isEqualTo(McAfeeClearing.Outcome.TRADE_REDUCTION);
    assertThat(c.tradedLots()).isEqualTo(1);
    assertThat(c.buyerPriceMicros()).hasValue(8);
    assertThat(c.sellerPriceMicros()).hasValue(3);
  }

  @Test
  void singleEfficientTradeIsRemoved() {
    McAfeeClearing c = McAfeeAuction.clear(unitBids(9), unitAsks(1), 1).orElseThrow();
    assertThat(c.outcome()).isEqualTo(McAfeeClearing.Outcome.NO_TRADE);
    assertThat(c.efficientLots()).isEqualTo(1);
    assertThat(c.fills()).isEmpty();
  }

  @Test
  void multiLotOrdersWalkInLots() {
    List<Bid> bids = List.of(Bid.of("b", 3000, 9), Bid.of("c", 1000, 4));
    List<Ask> asks = List.of(Ask.of("a", 2000, 1), Ask.of("d", 1000, 6));
    McAfeeClearing c = McAfeeAuction.clear(bids, asks, 1000).orElseThrow();
    // Units: bids 9,9,9,4 asks 1,1,6: t = 3, b4 = 4 with no a4 → reduction to 2 lots at b3 = 9 / a3
    // = 6.
    assertThat(c.tradedLots()).isEqualTo(2);
    assertThat(c.fills()).containsExactly(new Fill("b", "a", 2000, 9, 6));
  }

  @Test
  void rejectsBadLots() {
    assertThat(McAfeeAuction.clear(unitBids(1), unitAsks(1), 0).reason())
        .contains("lotWh must be > 0");
    assertThat(McAfeeAuction.clear(List.of(Bid.of("b", 3, 1)), unitAsks(1), 2).reason())
        .contains("not a multiple of lotWh");
  }
}
