package org.cnemarket.engine.pricing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.cnemarket.engine.pricing.Result;

class ScreeningPropertiesTest {

  /**
   * Random instances of the valuation forms numbered {@code fromForm..2} (0 log, 1 power, 2
   * piecewise linear) and both cost forms, 1..maxTypes types, reservation utility in [0, 2].
   */
  private static Arbitrary<ScreeningProblem> problems(int maxTypes, int fromForm) {
    Arbitrary<Integer> types = Arbitraries.integers().between(1, maxTypes);
    Arbitrary<Integer> valuationForm = Arbitraries.integers().between(fromForm, 2);
    Arbitrary<CostForm> costForm = Arbitraries.of(CostForm.class);
    Arbitrary<Long> seed = Arbitraries.longs();
    return Combinators.combine(types, valuationForm, costForm, seed)
        .as(
            (n, form, cost, s) -> {
              Random r = new Random(s);
              double[] theta = new double[n];
              double[] pi = new double[n];
              double t = 0.3;
              double sum = 0;
              for (int i = 0; i < n; i++) {
                t += 0.05 + 0.95 * r.nextDouble();
                theta[i] = t;
                // Uneven priors make non-monotone virtual costs, so ironing is exercised.
                pi[i] = r.nextDouble() < 0.3 ? 0.01 + 0.05 * r.nextDouble() : 0.1 + r.nextDouble();
                sum += pi[i];
              }
              for (int i = 0; i < n; i++) {
                pi[i] /= sum;
              }
              Valuation v =
                  switch (form) {
                    case 0 -> new Valuation.Log(0.5 + 20 * r.nextDouble());
                    case 1 ->
                        new Valuation.Power(0.5 + 2.5 * r.nextDouble(), 0.2 + 0.6 * r.nextDouble());
                    default -> piecewiseLinear(r);
                  };
              double c = 0.5 + 1.5 * r.nextDouble();
              double u0 = r.nextBoolean() ? 0 : 2 * r.nextDouble();
              return ScreeningProblem.of(theta, pi, v, cost, c, u0).orElseThrow();
            });
  }

  /** 1..5 segments with decreasing positive slopes, sometimes starting at a non-zero value. */
  private static Valuation piecewiseLinear(Random r) {
    int segments = 1 + r.nextInt(5);
    double[] q = new double[segments + 1];
    double[] v = new double[segments + 1];
    v[0] = r.nextBoolean() ? 0 : r.nextDouble();
    double slope = 0.5 + 8 * r.nextDouble();
    for (int m = 1; m <= segments; m++) {
      q[m] = q[m - 1] + 0.2 + 5 * r.nextDouble();
      v[m] = v[m - 1] + slope * (q[m] - q[m - 1]);
      slope *= 0.1 + 0.8 * r.nextDouble();
    }
    return Valuation.piecewiseLinear(q, v).orElseThrow();
  }

  @Provide
  Arbitrary<ScreeningProblem> instances() {
    return problems(7, 0);
  }

  @Provide
  Arbitrary<ScreeningProblem> piecewiseLinearInstances() {
    return problems(7, 2);
  }

  @Property(tries = 400)
  void closedFormIsIrIcMonotoneAndNoGridDeviationImprovesIt(
      @ForAll("instances") ScreeningProblem p) {
    ScreeningMenu m = ScreeningSolver.secondBest(p).orElseThrow();
    MenuChecker.MenuCheck check = ScreeningChecker.check(m);
    assertThat(check.valid()).as(check.violations().toString()).isTrue();
    double scale = Math.max(1, Math.abs(m.platformUtility()));
    assertThat(m.platformUtility()).isLessThanOrEqualTo(check.completeInfoUtility() + 1e-9 * scale);
    ScreeningChecker.Deviation d = ScreeningChecker.gridDeviation(m, 200);
    assertThat(d.menusTried()).isGreaterThan(200);
    assertThat(d.platformUtility())
        .as("deviation %s", d.quantities())
        .isLessThanOrEqualTo(m.platformUtility() + 1e-8 * scale);
  }

  /**
   * A piecewise-linear valuation makes the full problem (every IR and IC pair) one linear program,
   * which ojAlgo solves exactly; smooth valuations are cross-checked on the parts-supply family
   * ({@link PartsSupplyTest}).
   */
  @Property(tries = 200)
  void numericSolverOverEveryIcPairAgreesWithTheClosedForm(
      @ForAll("piecewiseLinearInstances") ScreeningProblem p) {
    ScreeningMenu closed = ScreeningSolver.secondBest(p).orElseThrow();
    ScreeningMenu numeric = NumericScreeningSolver.secondBest(p).orElseThrow();
    double scale = Math.max(1, Math.abs(closed.platformUtility()));
    assertThat(numeric.platformUtility()).isCloseTo(closed.platformUtility(), within(1e-6 * scale));
    MenuChecker.MenuCheck check = ScreeningChecker.check(numeric);
    assertThat(check.valid()).as(check.violations().toString()).isTrue();
  }

  @Provide
  Arbitrary<ScreeningProblem> smoothInstances() {
    return problems(4, 0).filter(p -> p.valuation().breakpoints().isEmpty());
  }

  /**
   * For ln and q^β the ojAlgo path (sequential QPs over every IC pair) returns a menu only with a
   * Frank–Wolfe certificate that it is within 1e-5 of the optimum, otherwise an error value; it
   * must succeed on most instances and, when it does, agree with the closed form.
   */
  @Property(tries = 40)
  void numericSolverIsCertifiedAndAgreesOnSmoothValuations(
      @ForAll("smoothInstances") ScreeningProblem p) {
    ScreeningMenu closed = ScreeningSolver.secondBest(p).orElseThrow();
    Result<ScreeningMenu> numeric = NumericScreeningSolver.secondBest(p);
    Statistics.label("certified").collect(numeric.isOk());
    Statistics.label("certified").coverage(c -> c.check(true).percentage(pct -> pct >= 75));
    if (!numeric.isOk()) {
      assertThat(numeric.reason()).containsAnyOf("short of the optimum", "did not converge");
      return;
    }
    double scale = Math.max(1, Math.abs(closed.platformUtility()));
    assertThat(numeric.orElseThrow().platformUtility())
        .isCloseTo(closed.platformUtility(), within(1e-5 * scale));
    MenuChecker.MenuCheck check = ScreeningChecker.check(numeric.orElseThrow());
    assertThat(check.valid()).as(check.violations().toString()).isTrue();
  }

  @Property(tries = 200)
  void todaysFormIsTodaysMenu(@ForAll("instances") ScreeningProblem random) {
    // Same types and priors, today's valuation and cost form: the round's designer and the general
    // solver build the same menu.
    double[] theta = random.thetas().stream().mapToDouble(Double::doubleValue).toArray();
    double[] pi = random.priors().stream().mapToDouble(Double::doubleValue).toArray();
    ContractProblem today = ContractProblem.of(theta, pi, random.unitCost(), 10).orElseThrow();
    ContractMenu expected = ContractDesigner.optimalMenu(today);
    ScreeningMenu general = ScreeningSolver.secondBest(ScreeningProblem.of(today)).orElseThrow();
    for (int i = 0; i < theta.length; i++) {
      Contract e = expected.contracts().get(i);
      Contract g = general.contracts().get(i);
      assertThat(g.quantity()).isCloseTo(e.quantity(), within(1e-9 * Math.max(1, e.quantity())));
      assertThat(g.reward()).isCloseTo(e.reward(), within(1e-9 * Math.max(1, e.reward())));
    }
    assertThat(general.platformUtility())
        .isCloseTo(
            expected.platformUtility(),
            within(1e-9 * Math.max(1, Math.abs(expected.platformUtility()))));
  }
}
