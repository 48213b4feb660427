package org.cnemarket.engine.pricing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ContractPropertiesTest {

  @Provide
  Arbitrary<ContractProblem> problems() {
    Arbitrary<double[]> gaps =
        Arbitraries.doubles().between(0.01, 3).array(double[].class).ofMinSize(1).ofMaxSize(12);
    Arbitrary<Double> c = Arbitraries.doubles().between(0.05, 5);
    Arbitrary<Double> alpha = Arbitraries.doubles().between(0.1, 50);
    Arbitrary<Long> seed = Arbitraries.longs();
    return Combinators.combine(gaps, c, alpha, seed)
        .as(
            (g, cost, a, s) -> {
              Random r = new Random(s);
              double[] theta = new double[g.length];
              double[] pi = new double[g.length];
              double t = 0.2;
              double sum = 0;
              for (int i = 0; i < g.length; i++) {
                t += g[i];
                theta[i] = t;
                pi[i] = 0.01 + r.nextDouble();
                sum += pi[i];
              }
              for (int i = 0; i < g.length; i++) {
                pi[i] /= sum;
              }
              return ContractProblem.of(theta, pi, cost, a).orElseThrow();
            });
  }

  @Property(tries = 500)
  void optimalMenuIsIrIcMonotoneAndBelowFirstBest(@ForAll("problems") ContractProblem p) {
    ContractMenu m = ContractDesigner.optimalMenu(p);
    MenuChecker.MenuCheck check = MenuChecker.check(m);
    assertThat(check.valid()).as(check.violations().toString()).isTrue();
    assertThat(m.platformUtility())
        .isLessThanOrEqualTo(
            check.completeInfoUtility()
                + 1e-9 * Math.max(1, Math.abs(check.completeInfoUtility())));
    for (int i = 0; i < p.types(); i++) {
      assertThat(m.isChoiceConsistent(i, i)).isTrue();
    }
  }
}
