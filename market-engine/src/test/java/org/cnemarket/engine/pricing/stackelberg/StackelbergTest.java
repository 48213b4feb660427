package org.cnemarket.engine.pricing.stackelberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Percentage.withPercentage;

import java.util.List;
import org.junit.jupiter.api.Test;

class StackelbergTest {

  private static final double[] W = {10, 8, 6, 3, 2.5};

  @Test
  void referenceProvider() {
    ProviderSolution s = ProviderPricing.solve(2, W, Double.POSITIVE_INFINITY).orElseThrow();
    assertThat(s.price()).isCloseTo(4, withPercentage(1e-7));
    assertThat(s.profit()).isCloseTo(6, withPercentage(1e-7));
    assertThat(s.demand()).isCloseTo(3, withPercentage(1e-7));
    assertThat(s.buyers()).isEqualTo(3);
    assertThat(s.capacityBound()).isFalse();
  }

  @Test
  void referenceViaMarketAndVerifier() {
    // η = 0.5 kWh/unit at p_e = 2 plus o = 1 → m = 2.
    ComputeMarket m =
        ComputeMarket.of(W, List.of(Provider.uncapacitated("k", 0.5, 2, 1))).orElseThrow();
    MarketSolution s = StackelbergSolver.solve(m).orElseThrow();
    assertThat(s.prices()[0]).isCloseTo(4, withPercentage(1e-7));
    Verdict v = EquilibriumVerifier.verify(m, s);
    assertThat(v.passed()).as(v.detail()).isTrue();
    assertThat(v.worstLeaderGain()).isLessThanOrEqualTo(1e-6);
  }

  @Test
  void capacityRaisesPriceToSellExactlyC() {
    ProviderSolution s = ProviderPricing.solve(2, W, 2).orElseThrow();
    // Three buyers: 24 / p − 3 = 2 → p = 4.8 ∈ (3, 6].
    assertThat(s.price()).isCloseTo(4.8, within(1e-12));
    assertThat(s.demand()).isCloseTo(2, within(1e-12));
    assertThat(s.capacityBound()).isTrue();
    assertThat(s.profit()).isCloseTo(2.8 * 2, within(1e-12));
    ComputeMarket m =
        ComputeMarket.of(W, List.of(new Provider("k", 1, 1, 1, 2, List.of(1.0)))).orElseThrow();
    Verdict v = EquilibriumVerifier.verify(m, StackelbergSolver.solve(m).orElseThrow());
    assertThat(v.passed()).as(v.detail()).isTrue();
  }

  @Test
  void nobodyBuysAboveCost() {
    ProviderSolution s = ProviderPricing.solve(20, W, Double.POSITIVE_INFINITY).orElseThrow();
    assertThat(s.demand()).isZero();
    assertThat(s.profit()).isZero();
    assertThat(s.price()).isEqualTo(20);
  }

  @Test
  void segmentsDiscountProviders() {
    double[] w = {10, 8, 6, 3, 2.5};
    int[] seg = {0, 1, 0, 1, 0};
    ComputeMarket m =
        ComputeMarket.of(
                w,
                seg,
                List.of(
                    new Provider("a", 1, 1, 1, Double.POSITIVE_INFINITY, List.of(1.0, 0.5)),
                    new Provider("b", 1, 1, 1, Double.POSITIVE_INFINITY, List.of(0.5, 1.0))))
            .orElseThrow();
    MarketSolution s = StackelbergSolver.solve(m).orElseThrow();
    double[] wa = {10, 4, 6, 1.5, 2.5};
    double[] wb = {5, 8, 3, 3, 1.25};
    assertThat(s.outcomes().get(0).solution())
        .isEqualTo(ProviderPricing.solve(2, wa, Double.POSITIVE_INFINITY).orElseThrow());
    assertThat(s.outcomes().get(1).solution().price())
        .isCloseTo(
            ProviderPricing.solve(2, wb, Double.POSITIVE_INFINITY).orElseThrow().price(),
            within(1e-12));
    assertThat(EquilibriumVerifier.verify(m, s).passed()).isTrue();
  }

  @Test
  void verifierRejectsWrongClaims() {
    ComputeMarket m =
        ComputeMarket.of(W, List.of(Provider.uncapacitated("k", 1, 1, 1))).orElseThrow();
    MarketSolution wrongPrice =
        new MarketSolution(
            List.of(
                new ProviderOutcome(
                    "k",
                    1,
                    new ProviderSolution(2, 5, 24 / 5.0 - 3, 3 * (24 / 5.0 - 3), 3, false))));
    Verdict v = EquilibriumVerifier.verify(m, wrongPrice);
    assertThat(v.passed()).isFalse();
    assertThat(v.worstLeaderGain()).isGreaterThan(1e-3);
    assertThat(v.detail()).contains("provider k gains");

    MarketSolution right = StackelbergSolver.solve(m).orElseThrow();
    double[][] x = new double[1][W.length];
    for (int j = 0; j < W.length; j++) {
      x[0][j] = right.followerQuantity(m, 0, j);
    }
    x[0][1] += 1e-6;
    Verdict f = EquilibriumVerifier.verify(m, right, x, 1e-6);
    assertThat(f.passed()).isFalse();
    assertThat(f.detail()).contains("follower 1");
  }

  @Test
  void threeTierSellerOptimumVerified() {
    double[] w = {10, 8, 6, 3, 2.5, 7, 4.5};
    ComputeMarket m =
        ComputeMarket.of(
                w,
                List.of(
                    Provider.uncapacitated("a", 0.5, 0, 0.5),
                    Provider.uncapacitated("b", 0.8, 0, 0.2)))
            .orElseThrow();
    ThreeTierSolution s = ThreeTierGame.solve(m, 1.0, Double.POSITIVE_INFINITY).orElseThrow();
    assertThat(s.energyPrice()).isGreaterThan(1.0);
    assertThat(s.sellerProfit()).isPositive();
    Verdict v = EquilibriumVerifier.verifyThreeTier(m, 1.0, Double.POSITIVE_INFINITY, s, 1e-6);
    assertThat(v.passed()).as(v.detail()).isTrue();
  }

  @Test
  void threeTierSupplyBinds() {
    double[] w = {10, 8, 6, 3, 2.5, 7, 4.5};
    ComputeMarket m =
        ComputeMarket.of(w, List.of(Provider.uncapacitated("a", 0.5, 0, 0.5))).orElseThrow();
    ThreeTierSolution free = ThreeTierGame.solve(m, 1.0, Double.POSITIVE_INFINITY).orElseThrow();
    double supply = free.energySoldKwh() / 2;
    ThreeTierSolution s = ThreeTierGame.solve(m, 1.0, supply).orElseThrow();
    assertThat(s.energySoldKwh()).isLessThanOrEqualTo(supply * (1 + 1e-9));
    assertThat(s.energyPrice()).isGreaterThan(free.energyPrice());
    assertThat(EquilibriumVerifier.verifyThreeTier(m, 1.0, supply, s, 1e-6).passed()).isTrue();
  }

  @Test
  void invalidInputs() {
    assertThat(ProviderPricing.solve(0, W, 1).reason()).contains("marginal cost m must be > 0");
    assertThat(ProviderPricing.solve(1, new double[0], 1).reason()).contains("no users");
    assertThat(ProviderPricing.solve(1, new double[] {1, Double.NaN}, 1).reason())
        .contains("finite");
    assertThat(ProviderPricing.solve(1, W, 0).reason()).contains("capacity must be > 0");
    assertThat(ComputeMarket.of(W, List.of()).reason()).contains("no providers");
    assertThat(ComputeMarket.of(W, List.of(new Provider("k", 1, 1, 1, 1, List.of(1.5)))).reason())
        .contains("(0,1]");
    assertThat(ComputeMarket.of(W, List.of(Provider.uncapacitated("k", 0, 1, 1))).reason())
        .contains("kwhPerUnit must be > 0");
    ComputeMarket zeroCost =
        ComputeMarket.of(W, List.of(Provider.uncapacitated("k", 1, 0, 0))).orElseThrow();
    assertThat(StackelbergSolver.solve(zeroCost).reason()).contains("marginal cost must be > 0");
    assertThat(ThreeTierGame.solve(zeroCost, 0, 1).reason())
        .contains("seller cost c_e must be > 0");
  }
}
