package org.cnemarket.agents.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ForecastTest {
  @Test
  void persistenceRepeatsTheLastObservedDay() {
    long[] s = new long[72];
    for (int i = 0; i < s.length; i++) {
      s[i] = i;
    }
    Forecast f = new Forecast.Persistence();
    assertThat(f.at(s, 48, 50)).isEqualTo(26);
    assertThat(f.at(s, 48, 71)).isEqualTo(47);
    assertThat(f.at(s, 48, 72)).isEqualTo(24); // two days ahead: the last observed 00:00
  }

  @Test
  void seasonalAveragesTheSameHour() {
    long[] s = new long[96];
    for (int i = 0; i < s.length; i++) {
      s[i] = (i / 24) * 10 + (i % 24);
    }
    assertThat(new Forecast.Seasonal(3).at(s, 72, 75)).isEqualTo(10 + 3); // mean of 23, 13, 3
  }

  @Test
  void theCorrectedProfileCarriesTheLastDeviationAndLetsItFade() {
    long[] s = new long[200];
    for (int i = 0; i < s.length; i++) {
      s[i] = i % 24;
    }
    s[99] += 120; // the last observed hour is 120 above its profile
    Forecast f = new Forecast.Corrected(3, 6);
    assertThat(f.at(s, 100, 100)).isEqualTo(4 + 107); // 120 × 0.5^(1/6)
    assertThat(f.at(s, 100, 105)).isEqualTo(9 + 60); // one half-life: half the deviation
    assertThat(f.at(s, 100, 159)).isEqualTo(15); // ten half-lives: the profile alone
    assertThat(f.name()).isEqualTo("seasonal-corrected");
    assertThat(Forecast.of("seasonal-corrected")).isEqualTo(new Forecast.Corrected(7, 6));
  }

  /** No forecast other than the perfect one ever reads the target or any value at or after now. */
  @Property(tries = 300)
  void forecastsUseOnlyThePast(
      @ForAll @Size(min = 200, max = 200) long[] series,
      @ForAll @IntRange(min = 0, max = 150) int now,
      @ForAll @IntRange(min = 0, max = 49) int ahead) {
    int target = now + ahead;
    for (Forecast f :
        new Forecast[] {
          new Forecast.Persistence(), new Forecast.Seasonal(7), new Forecast.Corrected(7, 6)
        }) {
      long before = f.at(series, now, target);
      long[] changed = series.clone();
      for (int i = now; i < changed.length; i++) {
        changed[i] = changed[i] ^ 0x5555;
      }
      assertThat(f.at(changed, now, target)).isEqualTo(before);
    }
    ForecastError e = new ForecastError();
    e.add(new Forecast.Perfect().at(series, now, target), series[target]);
    assertThat(e.meanAbsoluteError()).isZero();
  }
}
