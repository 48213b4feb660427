package org.cnemarket.wallet.cli;

import java.time.Duration;
import java.util.Locale;
import org.cnemarket.wallet.order.Amounts;
import org.cnemarket.wallet.order.Slots;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option converters: a value that does not convert exactly is a usage error (exit 2). */
final class Converters {
  private Converters() {}

  /** "10s", "500ms", "2m", "1h", a plain number of seconds, or ISO-8601 ("PT10S"). */
  static Duration duration(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("pt") || t.startsWith("p")) {
        return positive(Duration.parse(t.toUpperCase(Locale.ROOT)), s);
      }
      if (t.endsWith("ms")) {
        return positive(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2))), s);
      }
      if (t.endsWith("s")) {
        return positive(Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1))), s);
      }
      if (t.endsWith("m")) {
        return positive(Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1))), s);
      }
      if (t.endsWith("h")) {
        return positive(Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1))), s);
      }
      return positive(Duration.ofSeconds(Long.parseLong(t)), s);
    } catch (RuntimeException e) {
      if (e instanceof IllegalArgumentException iae
          && iae.getMessage() != null
          && iae.getMessage().startsWith("a duration")) {
        throw iae;
      }
      throw new IllegalArgumentException("not a duration: '" + s + "' (e.g. 10s, 500ms, 2m)");
    }
  }

  private static Duration positive(Duration d, String s) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("a duration must be positive: " + s);
    }
    return d;
  }

  private abstract static class Base<T> implements ITypeConverter<T> {
    @Override
    public T convert(String value) {
      try {
        return apply(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }

    abstract T apply(String value);
  }

  static final class DurationConverter extends Base<Duration> {
    @Override
    Duration apply(String v) {
      return duration(v);
    }
  }

  /** Hours since the epoch or an ISO-8601 hour. */
  static final class SlotConverter extends Base<Long> {
    @Override
    Long apply(String v) {
      return Slots.parse(v);
    }
  }

  /** Credits (at most 6 decimals) to micro-credits. */
  static final class CreditsConverter extends Base<Long> {
    @Override
    Long apply(String v) {
      return Amounts.creditsToMicros(v);
    }
  }

  /** kWh (at most 3 decimals) to Wh. */
  static final class KwhConverter extends Base<Long> {
    @Override
    Long apply(String v) {
      return Amounts.kwhToWh(v);
    }
  }

  /** Compute units (at most 3 decimals) to milli units. */
  static final class UnitsConverter extends Base<Long> {
    @Override
    Long apply(String v) {
      return Amounts.unitsToMilli(v);
    }
  }

  /** g CO2/kWh (at most 3 decimals) to mg. */
  static final class GramsConverter extends Base<Long> {
    @Override
    Long apply(String v) {
      return Amounts.gramsToMg(v);
    }
  }

  /** Percent (at most 2 decimals, at most 100) to basis points. */
  static final class PercentConverter extends Base<Integer> {
    @Override
    Integer apply(String v) {
      return Amounts.percentToBps(v);
    }
  }

  /** A non-negative integer. */
  static final class NonNegativeConverter extends Base<Long> {
    @Override
    Long apply(String v) {
      return Amounts.toFixed(v, 0, "value");
    }
  }

  /** Basis points, 0 to 10000. */
  static final class BpsConverter extends Base<Integer> {
    @Override
    Integer apply(String v) {
      long bps = Amounts.toFixed(v, 0, "basis points");
      if (bps > 10_000) {
        throw new IllegalArgumentException("basis points must be at most 10000, not " + v);
      }
      return (int) bps;
    }
  }
}
