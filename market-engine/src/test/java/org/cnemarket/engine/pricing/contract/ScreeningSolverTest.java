package org.cnemarket.engine.pricing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScreeningSolverTest {

  private static final double[] THETA = {1, 2, 3};
  private static final double[] PI = {0.3, 0.4, 0.3};

  @Test
  void todaysReferenceCaseThroughTheGeneralSolver() {
    ScreeningProblem p =
        ScreeningProblem.of(
                THETA, PI, Valuation.log(10).orElseThrow(), CostForm.EFFICIENCY_TYPE, 1, 0)
            .orElseThrow();
    ScreeningMenu m = ScreeningSolver.secondBest(p).orElseThrow();
    // By hand (docs/pricing.md): q = [47/13, 15, 29], utility ≈ 16.8821326482.
    assertThat(m.contracts().get(0).quantity()).isCloseTo(47.0 / 13, within(1e-12));
    assertThat(m.contracts().get(2).quantity()).isCloseTo(29, within(1e-12));
    assertThat(m.platformUtility()).isCloseTo(16.8821326482, within(1e-9));
  }

  @Test
  void reservationUtilityIsPaidToEveryTypeAndChangesNoQuantity() {
    ScreeningProblem zero =
        ScreeningProblem.of(THETA, PI, new Valuation.Log(10), CostForm.EFFICIENCY_TYPE, 1, 0)
            .orElseThrow();
    ScreeningProblem two =
        ScreeningProblem.of(THETA, PI, new Valuation.Log(10), CostForm.EFFICIENCY_TYPE, 1, 2)
            .orElseThrow();
    ScreeningMenu a = ScreeningSolver.secondBest(zero).orElseThrow();
    ScreeningMenu b = ScreeningSolver.secondBest(two).orElseThrow();
    for (int i = 0; i < 3; i++) {
      assertThat(b.contracts().get(i).quantity()).isEqualTo(a.contracts().get(i).quantity());
      assertThat(b.contracts().get(i).reward())
          .isCloseTo(a.contracts().get(i).reward() + 2, within(1e-12));
    }
    assertThat(b.providerUtility(0, 0)).isCloseTo(2, within(1e-12));
    assertThat(b.platformUtility()).isCloseTo(a.platformUtility() - 2, within(1e-12));
    assertThat(ScreeningChecker.check(b).valid()).isTrue();
    assertThat(
            ScreeningChecker.check(
                    new ScreeningMenu(
                        two,
                        ScreeningMenu.Method.CLOSED_FORM,
                        a.contracts(),
                        a.virtualCosts(),
                        a.platformUtility()))
                .violations())
        .anyMatch(v -> v.startsWith("IR violated"));
  }

  @Test
  void powerValuationClosedForm() {
    // α q^β with α = 2, β = 1/3, cost θ q, one type θ = 0.5: q = (α β / θ)^(1/(1−β)) = (4/3)^(3/2).
    ScreeningProblem p =
        ScreeningProblem.of(
                new double[] {0.5},
                new double[] {1},
                new Valuation.Power(2, 1.0 / 3),
                CostForm.COST_TYPE,
                1,
                0)
            .orElseThrow();
    ScreeningMenu m = ScreeningSolver.secondBest(p).orElseThrow();
    assertThat(m.contracts().get(0).quantity()).isCloseTo(Math.pow(4.0 / 3, 1.5), within(1e-12));
    assertThat(m.platformUtility())
        .isCloseTo(ScreeningSolver.firstBest(p).orElseThrow().platformUtility(), within(1e-12));
  }

  @Test
  void piecewiseLinearValuationPicksBreakpoints() {
    // Slopes 4, 1, 0.25 on [0,1], [1,3], [3,5], flat after 5.
    Valuation v =
        Valuation.piecewiseLinear(new double[] {0, 1, 3, 5}, new double[] {0, 4, 6, 6.5})
            .orElseThrow();
    assertThat(v.value(2)).isCloseTo(5, within(1e-12));
    assertThat(v.value(9)).isEqualTo(6.5);
    assertThat(v.quantityAt(2)).isEqualTo(1);
    assertThat(v.quantityAt(0.5)).isEqualTo(3);
    assertThat(v.quantityAt(0.1)).isEqualTo(5);
    assertThat(v.quantityAt(5)).isEqualTo(0);
    // Two cost types 0.5 and 0.8, equal priors: φ = 0.8 + 0.3 = 1.1 → q = 1; φ = 0.5 → q = 3.
    ScreeningProblem p =
        ScreeningProblem.of(
                new double[] {0.5, 0.8}, new double[] {0.5, 0.5}, v, CostForm.COST_TYPE, 1, 0)
            .orElseThrow();
    ScreeningMenu m = ScreeningSolver.secondBest(p).orElseThrow();
    assertThat(m.contracts().get(1)).isEqualTo(new Contract(1, 0.8));
    assertThat(m.contracts().get(0).quantity()).isEqualTo(3);
    assertThat(m.contracts().get(0).reward()).isCloseTo(0.8 + 0.5 * 2, within(1e-12));
    assertThat(ScreeningChecker.check(m).valid()).isTrue();
    ScreeningMenu numeric = NumericScreeningSolver.secondBest(p).orElseThrow();
    assertThat(numeric.platformUtility()).isCloseTo(m.platformUtility(), within(1e-9));
  }

  @Test
  void firstBestIsNotIncentiveCompatible() {
    ScreeningProblem p =
        ScreeningProblem.of(
                new double[] {0.2, 0.3},
                new double[] {0.2, 0.8},
                new Valuation.Power(1, 0.5),
                CostForm.COST_TYPE,
                1,
                0)
            .orElseThrow();
    MenuChecker.MenuCheck check =
        ScreeningChecker.check(ScreeningSolver.firstBest(p).orElseThrow());
    assertThat(check.valid()).isFalse();
    assertThat(check.violations())
        .anyMatch(v -> v.startsWith("IC violated: type 0 prefers contract 1"));
  }

  @Test
  void cheapestRewardsComeFromTheConstraintsAlone() {
    ScreeningProblem p =
        ScreeningProblem.of(
                new double[] {0.2, 0.3},
                new double[] {0.2, 0.8},
                new Valuation.Power(1, 0.5),
                CostForm.COST_TYPE,
                1,
                0)
            .orElseThrow();
    // Type 1 (θ = 0.3) commits 2 and is paid 0.6; type 0 needs 0.6 + 0.2·(5 − 2) = 1.2 to prefer 5.
    double[] r = ScreeningChecker.cheapestRewards(p, new double[] {5, 2}).orElseThrow();
    assertThat(r[1]).isCloseTo(0.6, within(1e-12));
    assertThat(r[0]).isCloseTo(1.2, within(1e-12));
    assertThat(ScreeningChecker.cheapestRewards(p, new double[] {1, 2}).reason())
        .contains("cannot be made incentive compatible");
  }

  @Test
  void gridDeviationFindsTheImprovementOverASuboptimalMenu() {
    ScreeningProblem p =
        ScreeningProblem.of(
                new double[] {0.2, 0.3},
                new double[] {0.2, 0.8},
                new Valuation.Power(1, 0.5),
                CostForm.COST_TYPE,
                1,
                0)
            .orElseThrow();
    double[] q = {3, 3};
    double[] r = ScreeningChecker.cheapestRewards(p, q).orElseThrow();
    List<Contract> pooled = List.of(new Contract(q[0], r[0]), new Contract(q[1], r[1]));
    ScreeningMenu m =
        new ScreeningMenu(
            p,
            ScreeningMenu.Method.NUMERIC,
            pooled,
            List.of(),
            ScreeningMenu.platformUtility(p, pooled));
    assertThat(ScreeningChecker.check(m).valid()).isTrue();
    assertThat(ScreeningChecker.gridDeviation(m, 100).platformUtility())
        .isGreaterThan(m.platformUtility() + 1e-3);
  }

  @Test
  void invalidParametersAreValues() {
    assertThat(Valuation.log(0).reason()).contains("alpha must be > 0");
    assertThat(Valuation.power(1, 1).reason()).contains("beta must be in (0,1)");
    assertThat(Valuation.power(1, Double.NaN).reason()).contains("finite");
    assertThat(Valuation.piecewiseLinear(new double[] {0}, new double[] {0}).reason())
        .contains("at least two");
    assertThat(Valuation.piecewiseLinear(new double[] {1, 2}, new double[] {0, 1}).reason())
        .contains("q = 0");
    assertThat(Valuation.piecewiseLinear(new double[] {0, 2, 2}, new double[] {0, 1, 2}).reason())
        .contains("strictly increasing");
    assertThat(Valuation.piecewiseLinear(new double[] {0, 1, 2}, new double[] {0, 1, 3}).reason())
        .contains("concave");
    assertThat(Valuation.piecewiseLinear(new double[] {0, 1}, new double[] {1, 0}).reason())
        .contains("decrease");
    Valuation v = new Valuation.Log(1);
    assertThat(ScreeningProblem.of(THETA, PI, v, CostForm.COST_TYPE, 1, -1).reason())
        .contains("reservation utility must be >= 0");
    assertThat(ScreeningProblem.of(THETA, PI, null, CostForm.COST_TYPE, 1, 0).reason())
        .contains("valuation");
    assertThat(
            ScreeningProblem.of(
                    new double[] {2, 1}, new double[] {0.5, 0.5}, v, CostForm.COST_TYPE, 1, 0)
                .reason())
        .contains("strictly increasing");
    assertThat(
            ScreeningProblem.of(THETA, new double[] {0.3, 0.3, 0.3}, v, CostForm.COST_TYPE, 1, 0)
                .reason())
        .contains("sum to 1");
    // A valuation that outgrows its cost is an error value, not an exception or an infinite menu.
    ScreeningProblem steep =
        ScreeningProblem.of(
                new double[] {1e-3},
                new double[] {1},
                new Valuation.Power(1e6, 0.999),
                CostForm.COST_TYPE,
                1e-3,
                0)
            .orElseThrow();
    assertThat(ScreeningSolver.secondBest(steep).reason()).contains("not a finite number");
    assertThat(NumericScreeningSolver.secondBest(steep).reason()).contains("not a finite number");
  }
}
