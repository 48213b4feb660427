package org.cnemarket.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.cnemarket.core.codec.Json;
import org.cnemarket.engine.simulation.Scenario;
import org.junit.jupiter.api.Test;

/** The simulation benchmark's market sizes and the growth exponent it prints. */
class SimulationBenchmarkTest {

  @Test
  void aScaledScenarioHasThatFractionOfEveryPopulation() throws Exception {
    Path file = Path.of("..", "scenarios", "scale-100p-50m-1000u.json");
    Map<String, Object> base = Json.parseObject(Files.readString(file));
    Scenario quarter = Scenario.parse(Json.write(SimulationBenchmark.scaled(base, 0.25)));
    Scenario full = Scenario.parse(Json.write(SimulationBenchmark.scaled(base, 1)));
    Scenario original = Scenario.parse(Files.readString(file));
    assertThat(full.providers()).isEqualTo(original.providers());
    assertThat(full.microgrids()).isEqualTo(original.microgrids());
    assertThat(full.workloads()).isEqualTo(original.workloads());
    assertThat(quarter.name()).endsWith("× 0.25");
    for (int i = 0; i < original.providers().size(); i++) {
      assertThat(quarter.providers().get(i).count())
          .isEqualTo(Math.round(original.providers().get(i).count() * 0.25f));
    }
    for (int i = 0; i < original.microgrids().size(); i++) {
      assertThat(quarter.microgrids().get(i).count())
          .isEqualTo(Math.round(original.microgrids().get(i).count() * 0.25f));
    }
    for (int i = 0; i < original.workloads().size(); i++) {
      assertThat(quarter.workloads().get(i).users())
          .isEqualTo(Math.round(original.workloads().get(i).users() * 0.25f));
    }
  }

  @Property(tries = 30)
  void aPowerLawGivesItsExponentBack(@ForAll @IntRange(min = 50, max = 200) int hundredths) {
    double k = hundredths / 100.0;
    List<long[]> points =
        List.of(10_000L, 40_000L, 160_000L).stream()
            .map(n -> new long[] {n, Math.round(Math.pow(n, k))})
            .toList();
    assertThat(SimulationBenchmark.growthExponent(points)).isCloseTo(k, within(0.01));
  }
}
