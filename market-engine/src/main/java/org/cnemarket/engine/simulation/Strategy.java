package org.cnemarket.engine.simulation;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The strategies a simulation compares, in report order. */
public enum Strategy {
  /** Cheapest energy, no green preference; jobs run at once at their home site. */
  CARBON_BLIND("carbon-blind"),
  /**
   * The market as it is: green preferences in bids and demand (carbon-aware matching), no shifting.
   */
  MARKET("market"),
  /** The market plus the online scheduler moving deferrable work in time (home site only). */
  TIME_SHIFTING("time-shifting"),
  /** The market plus the online scheduler moving deferrable work in time and between sites. */
  TIME_LOCATION("time-location"),
  /**
   * The perfect-foresight optimum (offline MILP on the real series), executed through the market.
   */
  OPTIMUM("optimum");

  private final String label;

  Strategy(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public boolean shifts() {
    return this == TIME_SHIFTING || this == TIME_LOCATION || this == OPTIMUM;
  }

  public boolean carbonAware() {
    return this != CARBON_BLIND;
  }

  public static Strategy parse(String s) {
    for (Strategy x : values()) {
      if (x.label.equals(s.toLowerCase(Locale.ROOT))) {
        return x;
      }
    }
    throw new IllegalArgumentException(
        "unknown strategy '" + s + "' (expected one of " + labels() + ")");
  }

  public static List<String> labels() {
    return Arrays.stream(values()).map(Strategy::label).toList();
  }
}
