package org.cnemarket.engine.pricing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Percentage.withPercentage;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContractDesignerTest {

  private static final double[] THETA = {1, 2, 3};
  private static final double[] PI = {0.3, 0.4, 0.3};

  @Test
  void referenceMenu() {
    // By hand: φ = [13/6, 5/8, 1/3] → q = [47/13, 15, 29]; R = [47/13, 121/13, 545/39].
    ContractMenu m = ContractDesigner.optimalMenu(THETA, PI, 1, 10).orElseThrow();
    assertThat(m.contracts().get(0).quantity()).isCloseTo(47.0 / 13, withPercentage(1e-7));
    assertThat(m.contracts().get(1).quantity()).isCloseTo(15.0, withPercentage(1e-7));
    assertThat(m.contracts().get(2).quantity()).isCloseTo(29.0, withPercentage(1e-7));
    assertThat(m.contracts().get(0).reward()).isCloseTo(47.0 / 13, withPercentage(1e-7));
    assertThat(m.contracts().get(1).reward()).isCloseTo(121.0 / 13, withPercentage(1e-7));
    assertThat(m.contracts().get(2).reward()).isCloseTo(545.0 / 39, withPercentage(1e-7));
    assertThat(m.platformUtility()).isCloseTo(16.8821326482, withPercentage(1e-7));
    assertThat(MenuChecker.check(m).valid()).isTrue();
  }

  @Test
  void referenceMenuBindsIrForLowestTypeAndLocalDownwardIc() {
    ContractMenu m = ContractDesigner.optimalMenu(THETA, PI, 1, 10).orElseThrow();
    assertThat(m.providerUtility(1, 0)).isCloseTo(0, within(1e-12));
    assertThat(m.providerUtility(2, 1)).isCloseTo(m.providerUtility(2, 0), within(1e-12));
    assertThat(m.providerUtility(3, 2)).isCloseTo(m.providerUtility(3, 1), within(1e-12));
  }

  @Test
  void completeInformationDominates() {
    ContractProblem p = ContractProblem.of(THETA, PI, 1, 10).orElseThrow();
    ContractDesigner.CompleteInformation ci = ContractDesigner.completeInformation(p);
    // q_i = α θ_i / c − 1 = 9, 19, 29; R_i = q_i / θ_i.
    assertThat(ci.contracts().get(1).quantity()).isEqualTo(19.0);
    assertThat(ci.platformUtility())
        .isGreaterThan(ContractDesigner.optimalMenu(p).platformUtility());
  }

  @Test
  void ironingPoolsViolators() {
    // A heavy low type makes φ_1 small; the middle type's φ then exceeds it and must be pooled.
    double[] theta = {1, 1.1, 5};
    double[] pi = {0.8, 0.01, 0.19};
    ContractMenu m = ContractDesigner.optimalMenu(theta, pi, 1, 10).orElseThrow();
    for (int i = 1; i < 3; i++) {
      assertThat(m.virtualCosts().get(i)).isLessThanOrEqualTo(m.virtualCosts().get(i - 1));
    }
    assertThat(MenuChecker.check(m).valid()).isTrue();
  }

  @Test
  void ironingGivesPoolOneContract() {
    // φ = [4/3, 7, 1/3] before ironing: types 0 and 1 violate and are pooled at weighted φ.
    double[] theta = {1, 2, 3};
    double[] pi = {0.6, 0.01, 0.39};
    ContractMenu m = ContractDesigner.optimalMenu(theta, pi, 1, 10).orElseThrow();
    MenuChecker.MenuCheck check = MenuChecker.check(m);
    assertThat(check.valid()).as(check.violations().toString()).isTrue();
    assertThat(m.contracts().get(0)).isEqualTo(m.contracts().get(1));
    assertThat(m.virtualCosts().get(0)).isCloseTo((0.6 * 4.0 / 3 + 0.01 * 7) / 0.61, within(1e-12));
    assertThat(m.contracts().get(2).quantity()).isGreaterThan(m.contracts().get(1).quantity());
  }

  @Test
  void choiceConsistency() {
    ContractMenu m = ContractDesigner.optimalMenu(THETA, PI, 1, 10).orElseThrow();
    for (int i = 0; i < 3; i++) {
      assertThat(m.isChoiceConsistent(i, i)).isTrue();
    }
    assertThat(m.bestContractFor(3)).isIn(1, 2); // ties allowed: IC binds locally downward
    assertThat(m.isChoiceConsistent(2, 0)).isFalse();
    assertThat(m.isChoiceConsistent(0, 2)).isFalse();
    assertThat(m.bestContractFor(100)).isEqualTo(2);
  }

  @Test
  void checkerRejectsBrokenMenus() {
    ContractProblem p = ContractProblem.of(THETA, PI, 1, 10).orElseThrow();
    ContractMenu good = ContractDesigner.optimalMenu(p);
    ContractMenu greedy =
        new ContractMenu(
            p,
            List.of(new Contract(1, 0.5), new Contract(2, 2), new Contract(3, 3)),
            good.virtualCosts(),
            0);
    MenuChecker.MenuCheck c = MenuChecker.check(greedy);
    assertThat(c.valid()).isFalse();
    assertThat(c.violations()).anyMatch(v -> v.startsWith("IR violated for type 0"));
    ContractMenu nonMonotone =
        new ContractMenu(
            p,
            List.of(new Contract(5, 10), new Contract(1, 10), new Contract(6, 12)),
            good.virtualCosts(),
            0);
    assertThat(MenuChecker.check(nonMonotone).violations())
        .anyMatch(v -> v.startsWith("q not monotone"));
  }

  @Test
  void invalidParameters() {
    assertThat(ContractProblem.of(new double[] {1, 1}, new double[] {0.5, 0.5}, 1, 1).reason())
        .contains("strictly increasing");
    assertThat(ContractProblem.of(THETA, new double[] {0.3, 0.4, 0.31}, 1, 1).reason())
        .contains("sum to 1 within 1e-9");
    assertThat(ContractProblem.of(THETA, new double[] {-0.1, 0.8, 0.3}, 1, 1).reason())
        .contains("must not be negative");
    assertThat(ContractProblem.of(THETA, PI, 0, 1).reason()).contains("c (unitCost) must be > 0");
    assertThat(ContractProblem.of(THETA, PI, 1, -1).reason()).contains("alpha must be > 0");
    assertThat(ContractProblem.of(THETA, PI, Double.NaN, 1).reason()).contains("finite");
    assertThat(ContractProblem.of(new double[] {1, Double.POSITIVE_INFINITY, 3}, PI, 1, 1).reason())
        .contains("finite");
    assertThat(ContractProblem.of(new double[] {1, 2}, PI, 1, 1).reason()).contains("same length");
    assertThat(ContractProblem.of(new double[0], new double[0], 1, 1).reason())
        .contains("at least one type");
  }

  @Test
  void reputationMapsToLevels() {
    assertThat(Reputation.betaScore(0, 0).orElseThrow()).isEqualTo(0.5);
    assertThat(Reputation.betaScore(8, 8).orElseThrow()).isEqualTo(0.9);
    assertThat(Reputation.typeIndex(0, 0, 3).orElseThrow()).isEqualTo(1);
    assertThat(Reputation.typeIndex(0, 10, 3).orElseThrow()).isEqualTo(0);
    assertThat(Reputation.typeIndex(98, 98, 3).orElseThrow()).isEqualTo(2);
    assertThat(Reputation.level(1.0, 4).orElseThrow()).isEqualTo(3);
    assertThat(Reputation.betaScore(5, 3).reason()).contains("exceeds committed");
    assertThat(Reputation.level(0.5, 0).reason()).contains("levels must be >= 1");
  }
}
