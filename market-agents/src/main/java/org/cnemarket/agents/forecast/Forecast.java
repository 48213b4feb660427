package org.cnemarket.agents.forecast;

import java.util.Locale;

/**
 * Predicts {@code series[target]} at decision time {@code now}, knowing only values at indices
 * {@code < now} (the current hour clears after the decision). Hourly series, daily seasonality.
 */
public sealed interface Forecast
    permits Forecast.Persistence, Forecast.Seasonal, Forecast.Corrected, Forecast.Perfect {
  int HOURS_PER_DAY = 24;

  long at(long[] series, int now, int target);

  String name();

  /** The same hour of the most recent observed day. */
  record Persistence() implements Forecast {
    @Override
    public long at(long[] series, int now, int target) {
      int days = Math.max(1, (target - now + HOURS_PER_DAY) / HOURS_PER_DAY);
      int i = target - days * HOURS_PER_DAY;
      return i >= 0 ? series[i] : lastKnown(series, now);
    }

    @Override
    public String name() {
      return "persistence";
    }
  }

  /** The mean of the same hour over the last {@code days} observed days. */
  record Seasonal(int days) implements Forecast {
    public Seasonal {
      if (days < 1) {
        throw new IllegalArgumentException("a seasonal profile needs at least one day");
      }
    }

    @Override
    public long at(long[] series, int now, int target) {
      int first = Math.max(1, (target - now + HOURS_PER_DAY) / HOURS_PER_DAY);
      long sum = 0;
      int n = 0;
      for (int d = first; d < first + days; d++) {
        int i = target - d * HOURS_PER_DAY;
        if (i < 0) {
          break;
        }
        sum += series[i];
        n++;
      }
      return n == 0 ? lastKnown(series, now) : Math.round(sum / (double) n);
    }

    @Override
    public String name() {
      return "seasonal";
    }
  }

  /**
   * The seasonal profile corrected by how far the last observed hour was from its own profile
   * value, the correction halving every {@code halfLifeHours} of horizon: today's weather carries
   * into the next hours, the profile takes over further out.
   */
  record Corrected(int days, int halfLifeHours) implements Forecast {
    public Corrected {
      if (days < 1 || halfLifeHours < 1) {
        throw new IllegalArgumentException("needs at least one day and a positive half-life");
      }
    }

    @Override
    public long at(long[] series, int now, int target) {
      Seasonal profile = new Seasonal(days);
      long base = profile.at(series, now, target);
      int last = Math.min(now, series.length) - 1;
      if (last < HOURS_PER_DAY) {
        return base;
      }
      // The last observed hour against the profile as it was known before that hour.
      long deviation = series[last] - profile.at(series, last, last);
      double weight = Math.pow(0.5, (target - last) / (double) halfLifeHours);
      return Math.max(0, base + Math.round(deviation * weight));
    }

    @Override
    public String name() {
      return "seasonal-corrected";
    }
  }

  /** The real value: the perfect-foresight upper bound of any forecast. */
  record Perfect() implements Forecast {
    @Override
    public long at(long[] series, int now, int target) {
      return series[target];
    }

    @Override
    public String name() {
      return "perfect";
    }
  }

  private static long lastKnown(long[] series, int now) {
    return now > 0 ? series[Math.min(now, series.length) - 1] : 0;
  }

  static Forecast parse(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "persistence" -> new Persistence();
      case "seasonal" -> new Seasonal(7);
      case "seasonal-corrected" -> new Corrected(7, 6);
      case "perfect" -> new Perfect();
      default ->
          throw new IllegalArgumentException(
              "unknown forecast '"
                  + name
                  + "' (expected persistence, seasonal, seasonal-corrected or perfect)");
    };
  }

  static Forecast of(String name) {
    return parse(name);
  }
}
