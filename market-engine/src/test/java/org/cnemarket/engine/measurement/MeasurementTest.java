package org.cnemarket.engine.measurement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.cnemarket.core.model.Units;
import org.junit.jupiter.api.Test;

class MeasurementTest {

  @Test
  void linearAndExponentPower() {
    PowerModel lin = PowerModel.linear(100, 300).orElseThrow();
    assertThat(lin.powerW(0).orElseThrow()).isEqualTo(100);
    assertThat(lin.powerW(0.5).orElseThrow()).isEqualTo(200);
    assertThat(lin.powerW(1).orElseThrow()).isEqualTo(300);
    PowerModel sq = PowerModel.of(100, 300, 2).orElseThrow();
    assertThat(sq.powerW(0.5).orElseThrow()).isEqualTo(150);
    assertThat(lin.powerW(1.2).reason()).contains("utilisation must be in [0,1]");
    assertThat(PowerModel.linear(300, 100).reason()).contains("must be >= idleW");
  }

  @Test
  void kwhPerComputeUnitIncludesPue() {
    ProviderEnergyModel m =
        ProviderEnergyModel.of(PowerModel.linear(100, 300).orElseThrow(), 15_000, 0.5)
            .orElseThrow();
    // 200 W IT × 1.5 = 300 W for one hour = 0.3 kWh per unit.
    assertThat(m.kwhPerUnit()).isCloseTo(0.3, within(1e-15));
    assertThat(m.energyWh(2_500)).isCloseTo(750, within(1e-9));
    assertThat(m.energyWhRounded(2_500)).isEqualTo(750);
    assertThat(ProviderEnergyModel.of(PowerModel.linear(1, 2).orElseThrow(), 9_000, 0.5).reason())
        .contains("pueBps must be >= 10000");
  }

  @Test
  void networkEnergy() {
    // 1 GB at 10 nJ/bit: 8e9 × 1e-8 = 80 J = 0.0222 Wh.
    assertThat(ProviderEnergyModel.networkEnergyWh(8_000_000_000L, 1e-8).orElseThrow())
        .isCloseTo(80 / 3600.0, within(1e-12));
    assertThat(ProviderEnergyModel.networkEnergyWh(-1, 1e-8).reason())
        .contains("bits must be >= 0");
  }

  @Test
  void carbonOfAFillIsTheRuleTheRoundRuns() {
    // What fills and carbon reports record: Wh × mg/kWh / 1000, floored, in long arithmetic.
    assertThat(Units.carbonMg(1000, 400_000)).isEqualTo(400_000);
    assertThat(Units.carbonMg(1, 1_999)).isEqualTo(1);
    assertThat(Units.carbonMg(0, 400_000)).isZero();
    assertThatThrownBy(() -> Units.carbonMg(Long.MAX_VALUE, 2))
        .isInstanceOf(ArithmeticException.class);
  }
}
