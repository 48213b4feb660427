package org.cnemarket.agents.forecast;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accumulates a forecast's error: mean absolute error (in the series' unit) and that error relative
 * to the mean actual value, in basis points (a scale-free figure to compare zones).
 */
public final class ForecastError {
  private long count;
  private long absErrorSum;
  private long actualAbsSum;

  public void add(long forecast, long actual) {
    count++;
    absErrorSum = Math.addExact(absErrorSum, Math.abs(forecast - actual));
    actualAbsSum = Math.addExact(actualAbsSum, Math.abs(actual));
  }

  public long count() {
    return count;
  }

  public long meanAbsoluteError() {
    return count == 0 ? 0 : absErrorSum / count;
  }

  /** MAE / mean |actual|, in basis points. */
  public long relativeErrorBps() {
    return actualAbsSum == 0 ? 0 : Math.round(absErrorSum * 10_000.0 / actualAbsSum);
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("samples", count);
    m.put("meanAbsoluteError", meanAbsoluteError());
    m.put("relativeErrorBps", relativeErrorBps());
    return m;
  }
}
