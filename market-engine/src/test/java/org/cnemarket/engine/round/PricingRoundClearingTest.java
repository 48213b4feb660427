package org.cnemarket.engine.round;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.junit.jupiter.api.Test;

class PricingRoundClearingTest {
  static final String GRID = "0x" + "11".repeat(20);
  static final String SUN = "0x" + "22".repeat(20);
  static final String DC = "0x" + "33".repeat(20);
  static final String U1 = "0x" + "44".repeat(20);
  static final String U2 = "0x" + "55".repeat(20);

  static OpenOrder o(
      String id,
      OrderKind kind,
      String trader,
      long q,
      long price,
      EnergySource src,
      int greenBps,
      long carbon) {
    return new OpenOrder(
        id, new Order(kind, trader, 7, 1, q, price, src, greenBps, carbon, 0, 1, 0), q);
  }

  static List<OpenOrder> book(int dcMinGreenBps) {
    return List.of(
        o("0x01", OrderKind.ENERGY_OFFER, GRID, 100_000, 60_000, EnergySource.GRID, 0, 300_000),
        o("0x02", OrderKind.ENERGY_OFFER, SUN, 40_000, 90_000, EnergySource.SOLAR, 10_000, 41_000),
        o("0x03", OrderKind.ENERGY_BID, DC, 80_000, 150_000, EnergySource.NONE, dcMinGreenBps, 0),
        o("0x04", OrderKind.COMPUTE_OFFER, DC, 50_000, 20_000, EnergySource.NONE, 0, 0),
        o("0x05", OrderKind.COMPUTE_DEMAND, U1, 10_000, 500_000, EnergySource.NONE, 0, 0),
        o("0x06", OrderKind.COMPUTE_DEMAND, U2, 10_000, 300_000, EnergySource.NONE, 0, 0));
  }

  static Fields results(ClearingOutcome out) {
    return Fields.of(Json.parse(Json.write(out.results())), "results");
  }

  @Test
  void computeIsPricedByAVerifiedStackelbergLeaderAtItsEnergyCost() {
    RoundInput in =
        new RoundInput(
            1,
            7,
            book(0),
            Map.of(DC, new PowerProfile(100, 300, 12_000, 5_000)),
            RoundParameters.DEFAULT);
    ClearingOutcome out = new PricingRoundClearing().clear(in);
    Fields compute = results(out).object("compute");
    assertThat(compute.bool("verified")).isTrue();
    Fields leader = Fields.of(compute.list("providers").get(0), "provider");
    // m = η·p_e + o with η = 0.24 kWh/unit and the uniform energy price of the book.
    long pe = results(out).object("energy").longValue("priceMicros");
    assertThat(leader.longValue("marginalCostMicros")).isEqualTo(Math.round(0.24 * pe) + 20_000);
    assertThat(leader.longValue("priceMicros"))
        .isGreaterThan(leader.longValue("marginalCostMicros"));
    for (Fill f : out.fills()) {
      if (f.market() == OrderKind.Market.COMPUTE) {
        assertThat(f.priceMicros()).isEqualTo(leader.longValue("priceMicros"));
        assertThat(f.carbonMg()).isPositive();
      }
    }
    assertThat(out.fills())
        .anyMatch(f -> f.market() == OrderKind.Market.COMPUTE && f.buyOrderId().equals("0x05"));
  }

  @Test
  void theLpHonoursAMinimumGreenShareTheUniformAuctionIgnores() {
    RoundParameters lp = new RoundParameters("lp", 500, "stackelberg");
    ClearingOutcome uniform =
        new PricingRoundClearing()
            .clear(new RoundInput(1, 7, book(5_000), Map.of(), RoundParameters.DEFAULT));
    ClearingOutcome withLp =
        new PricingRoundClearing().clear(new RoundInput(1, 7, book(5_000), Map.of(), lp));
    long uniformGreen = greenShareBps(uniform);
    long lpGreen = greenShareBps(withLp);
    assertThat(uniformGreen).isLessThan(5_000);
    assertThat(lpGreen).isGreaterThanOrEqualTo(4_999);
  }

  @Test
  void aComputeUnitsEnergyIncludesItsNetworkTransfer() {
    PowerProfile servers = new PowerProfile(100, 300, 12_000, 5_000);
    // 10 GB moved per unit at 50 nJ/bit: 8e10 bit × 5e-8 J/bit = 4000 J = 1.111 Wh.
    PowerProfile withNetwork = new PowerProfile(100, 300, 12_000, 5_000, 80_000_000_000L, 50_000);
    assertThat(servers.kwhPerUnit()).isCloseTo(0.24, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(withNetwork.kwhPerUnit() - servers.kwhPerUnit())
        .isCloseTo(4000.0 / 3600.0 / 1000.0, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(PowerProfile.fromJson(Fields.of(Json.parse(Json.write(withNetwork.toJson())), "p")))
        .isEqualTo(withNetwork);
    assertThat(servers.toJson()).doesNotContainKey("networkBitsPerUnit");
  }

  @Test
  void mcAfeeTradesWholeLotsOfOrdersOfAnySize() {
    RoundParameters mcafee = new RoundParameters("mcafee", 500, "stackelberg", 1000);
    ClearingOutcome out =
        new PricingRoundClearing().clear(new RoundInput(1, 7, book(0), Map.of(), mcafee));
    assertThat(out.fills())
        .filteredOn(f -> f.market() == OrderKind.Market.ENERGY)
        .isNotEmpty()
        .allMatch(f -> f.quantity() % 1000 == 0);
    assertThat(results(out).object("energy").string("outcome"))
        .isIn("SINGLE_PRICE", "TRADE_REDUCTION");
  }

  @Test
  void theSameInputAlwaysGivesTheSameOutcome() {
    RoundInput in = new RoundInput(3, 7, book(0), Map.of(), RoundParameters.DEFAULT);
    assertThat(new PricingRoundClearing().clear(in))
        .isEqualTo(new PricingRoundClearing().clear(RoundInput.fromJson(in.toJson())));
  }

  static long greenShareBps(ClearingOutcome out) {
    long wh = 0;
    long green = 0;
    for (Fill f : out.fills()) {
      if (f.market() == OrderKind.Market.ENERGY && f.buyOrderId().equals("0x03")) {
        wh += f.quantity();
        green += f.greenWh();
      }
    }
    return wh == 0 ? 0 : green * 10_000 / wh;
  }
}
