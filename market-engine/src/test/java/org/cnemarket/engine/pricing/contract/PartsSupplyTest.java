package org.cnemarket.engine.pricing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The "parts supply" family of the GAMS Model Library: Hideo Hashimoto, Kojun Hamada and Nobuhiro
 * Hosoe, "A Numerical Approach to the Contract Theory: the Case of Adverse Selection", GRIPS
 * Discussion Paper 11-27, National Graduate Institute for Policy Studies, Tokyo, March 2012; models
 * PS2_F, PS2_S, PS3_F, PS3_S, PS3_S_MN and PS10_S.
 *
 * <p>Model (as in the GAMS sources): a buyer (here the platform) offers supplier types i with cost
 * parameter θ_i and probability p_i a contract (quality x_i, payment w_i) and maximises Util = Σ_i
 * p_i (√x_i − w_i) subject to participation w_i − θ_i x_i ≥ ru, ru = 0, and, in the second-best
 * ("_S") models, incentive compatibility w_i − θ_i x_i ≥ w_j − θ_i x_j; PS3_S_MN adds monotonicity.
 * In this project's terms: valuation α q^β with α = 1, β = 1/2, cost form θ·q (θ a cost type, c =
 * 1), reservation utility 0.
 *
 * <p>Expected values are the closed forms of that model, derived by hand below (the first best
 * gives type i utility 1/(4θ_i); the second best gives 1/(4φ_i) with φ_i the ironed virtual cost).
 * The values the GAMS solves report, rounded in the published listings we found (PS2_F 0.92, PS2_S
 * 0.865, PS3_F 1.38, PS3_S 1.16, PS3_S_MN last solve 1.05, PS10_S 0.533), agree with them.
 */
class PartsSupplyTest {

  private static final double EPS = 1e-4;

  private static ScreeningProblem problem(double[] theta, double[] p) {
    return ScreeningProblem.of(theta, p, new Valuation.Power(1, 0.5), CostForm.COST_TYPE, 1, 0)
        .orElseThrow();
  }

  private static ScreeningMenu secondBest(ScreeningProblem p) {
    ScreeningMenu m = ScreeningSolver.secondBest(p).orElseThrow();
    MenuChecker.MenuCheck check = ScreeningChecker.check(m);
    assertThat(check.valid()).as(check.violations().toString()).isTrue();
    return m;
  }

  private static ScreeningMenu firstBest(ScreeningProblem p) {
    ScreeningMenu m = ScreeningSolver.firstBest(p).orElseThrow();
    // The first best is IR (every type is paid exactly its cost) but not IC.
    for (int i = 0; i < p.types(); i++) {
      assertThat(m.providerUtility(i, i)).isCloseTo(0, within(1e-12));
    }
    return m;
  }

  /** The ojAlgo solver, which imposes every IC pair and assumes nothing, finds the same optimum. */
  private static void numericAgrees(ScreeningProblem p, double expected) {
    ScreeningMenu numeric = NumericScreeningSolver.secondBest(p).orElseThrow();
    assertThat(numeric.platformUtility()).isCloseTo(expected, within(1e-7));
    MenuChecker.MenuCheck check = ScreeningChecker.check(numeric);
    assertThat(check.valid()).as(check.violations().toString()).isTrue();
  }

  @Test
  void ps2FirstAndSecondBest() {
    // PS2_F / PS2_S: θ = (0.2, 0.3), p = (0.2, 0.8).
    ScreeningProblem p = problem(new double[] {0.2, 0.3}, new double[] {0.2, 0.8});
    // First best: x_i = 1/(4 θ_i²), Util = Σ p_i/(4 θ_i) = 0.2/0.8 + 0.8/1.2 = 11/12.
    ScreeningMenu fb = firstBest(p);
    assertThat(fb.platformUtility())
        .isCloseTo(11.0 / 12, within(EPS))
        .isCloseTo(0.92, within(0.005));
    assertThat(fb.contracts().get(0).quantity()).isCloseTo(6.25, within(1e-9));
    // Second best: φ_inefficient = 0.3 + 0.1·0.2/0.8 = 0.325, φ_efficient = 0.2 (no distortion at
    // the top).
    ScreeningMenu sb = secondBest(p);
    double expected = 0.8 / (4 * 0.325) + 0.2 / (4 * 0.2);
    assertThat(sb.platformUtility())
        .isCloseTo(expected, within(EPS))
        .isCloseTo(0.865, within(5e-4));
    assertThat(sb.contracts().get(0).quantity()).isCloseTo(6.25, within(1e-9));
    assertThat(sb.contracts().get(1).quantity()).isCloseTo(1 / (4 * 0.325 * 0.325), within(1e-9));
    // The inefficient type's IR and the efficient type's IC towards it bind.
    assertThat(sb.providerUtility(1, 1)).isCloseTo(0, within(1e-12));
    assertThat(sb.providerUtility(0, 0)).isCloseTo(sb.providerUtility(0, 1), within(1e-12));
    assertThat(sb.platformUtility()).isLessThan(fb.platformUtility());
    numericAgrees(p, expected);
  }

  @Test
  void ps3FirstAndSecondBest() {
    // PS3_F / PS3_S: θ = (0.1, 0.2, 0.3), p = (0.2, 0.5, 0.3).
    ScreeningProblem p = problem(new double[] {0.1, 0.2, 0.3}, new double[] {0.2, 0.5, 0.3});
    assertThat(firstBest(p).platformUtility())
        .isCloseTo(0.2 / 0.4 + 0.5 / 0.8 + 0.3 / 1.2, within(EPS))
        .isCloseTo(1.38, within(0.005));
    // φ(0.3) = 0.3 + 0.1·0.7/0.3, φ(0.2) = 0.2 + 0.1·0.2/0.5 = 0.24, φ(0.1) = 0.1: already
    // monotone.
    ScreeningMenu sb = secondBest(p);
    double expected = 0.3 / (4 * (0.3 + 0.07 / 0.3)) + 0.5 / (4 * 0.24) + 0.2 / (4 * 0.1);
    assertThat(sb.platformUtility())
        .isCloseTo(expected, within(EPS))
        .isCloseTo(1.16, within(0.005));
    assertThat(sb.bunches()).hasSize(3);
    numericAgrees(p, expected);
  }

  @Test
  void ps3WithBunchingAlternativePriors() {
    // PS3_S_MN second solve: θ = (0.1, 0.2, 0.3), p = (0.3, 0.1, 0.6).
    // φ(0.3) = 0.3 + 0.1·0.4/0.6 = 11/30 < φ(0.2) = 0.2 + 0.1·0.3/0.1 = 0.5: not monotone, so the
    // two
    // least efficient types are pooled at (0.6·11/30 + 0.1·0.5)/0.7 = 27/70 and get one contract.
    ScreeningProblem p = problem(new double[] {0.1, 0.2, 0.3}, new double[] {0.3, 0.1, 0.6});
    ScreeningMenu sb = secondBest(p);
    double pooled = 27.0 / 70;
    double expected = 0.7 / (4 * pooled) + 0.3 / (4 * 0.1);
    assertThat(sb.platformUtility()).isCloseTo(expected, within(EPS));
    assertThat(sb.contracts().get(1)).isEqualTo(sb.contracts().get(2));
    assertThat(sb.bunches()).containsExactly(List.of(2, 1), List.of(0));
    assertThat(sb.virtualCosts().get(1)).isCloseTo(pooled, within(1e-12));
    numericAgrees(p, expected);
  }

  @Test
  void ps3WithBunchingAlternativeTypes() {
    // PS3_S_MN third solve: θ = (0.1, 0.3, 0.31), p = (0.2, 0.5, 0.3).
    // φ(0.31) = 0.31 + 0.01·0.7/0.3 = 1/3 < φ(0.3) = 0.3 + 0.2·0.2/0.5 = 0.38: pooled at
    // (0.3/3 + 0.5·0.38)/0.8 = 0.3625.
    ScreeningProblem p = problem(new double[] {0.1, 0.3, 0.31}, new double[] {0.2, 0.5, 0.3});
    ScreeningMenu sb = secondBest(p);
    double expected = 0.8 / (4 * 0.3625) + 0.2 / (4 * 0.1);
    assertThat(sb.platformUtility())
        .isCloseTo(expected, within(EPS))
        .isCloseTo(1.05, within(0.005));
    assertThat(sb.contracts().get(1)).isEqualTo(sb.contracts().get(2));
    numericAgrees(p, expected);
  }

  @Test
  void ps10SecondBest() {
    // PS10_S: θ_i = i/10 (i = 1..10), p_i = 1/10. φ(θ) = θ + 0.1·(10θ − 1) = 2θ − 0.1, so
    // Util = Σ 0.1/(4 (2θ_i − 0.1)) = 0.25 · Σ_{m=1..10} 1/(2m − 1).
    double[] theta = new double[10];
    double[] prior = new double[10];
    double expected = 0;
    double firstBest = 0;
    for (int i = 0; i < 10; i++) {
      theta[i] = (i + 1) / 10.0;
      prior[i] = 0.1;
      expected += 0.25 / (2 * (i + 1) - 1);
      firstBest += 0.1 / (4 * theta[i]);
    }
    ScreeningProblem p = problem(theta, prior);
    ScreeningMenu sb = secondBest(p);
    assertThat(sb.platformUtility())
        .isCloseTo(expected, within(EPS))
        .isCloseTo(0.533, within(5e-4));
    assertThat(firstBest(p).platformUtility()).isCloseTo(firstBest, within(EPS));
    numericAgrees(p, expected);
  }
}
