package org.cnemarket.agents.agent;

import java.util.Locale;

/**
 * How a provider bids: its energy limit price from the forecast price, the minimum green share of
 * the energy it buys, and its compute offer price from its costs. Pluggable by name.
 */
public sealed interface ProviderStrategy
    permits ProviderStrategy.CarbonBlind, ProviderStrategy.CostPlus, ProviderStrategy.Green {

  /** Limit price for energy, micro-credits per kWh. */
  long energyBidMicros(long forecastPriceMicros);

  /** Minimum green share of the energy bought, bps. */
  int minGreenBps();

  /**
   * Compute offer price per unit given non-energy and (for mechanisms that need it) energy cost per
   * unit.
   */
  long computeOfferMicros(long otherCostMicrosPerUnit, long energyCostMicrosPerUnit);

  String name();

  /** Cheapest energy, no green preference, sells at cost plus 10 %. */
  record CarbonBlind() implements ProviderStrategy {
    @Override
    public long energyBidMicros(long forecastPriceMicros) {
      return Math.max(1000, forecastPriceMicros * 13 / 10);
    }

    @Override
    public int minGreenBps() {
      return 0;
    }

    @Override
    public long computeOfferMicros(long other, long energy) {
      return Math.max(1, (other + energy) * 11 / 10);
    }

    @Override
    public String name() {
      return "carbon-blind";
    }
  }

  /** Bids a margin above the forecast price, sells at cost plus {@code marginBps}. */
  record CostPlus(long marginBps) implements ProviderStrategy {
    @Override
    public long energyBidMicros(long forecastPriceMicros) {
      return Math.max(1000, forecastPriceMicros * 13 / 10);
    }

    @Override
    public int minGreenBps() {
      return 0;
    }

    @Override
    public long computeOfferMicros(long other, long energy) {
      return Math.max(1, (other + energy) * (10_000 + marginBps) / 10_000);
    }

    @Override
    public String name() {
      return "cost-plus";
    }
  }

  /** As cost-plus, but asks for a minimum green share of its energy (carbon-aware matching). */
  record Green(int greenBps) implements ProviderStrategy {
    public Green {
      if (greenBps < 0 || greenBps > 10_000) {
        throw new IllegalArgumentException("green share must be 0..10000 bps");
      }
    }

    @Override
    public long energyBidMicros(long forecastPriceMicros) {
      return Math.max(1000, forecastPriceMicros * 13 / 10);
    }

    @Override
    public int minGreenBps() {
      return greenBps;
    }

    @Override
    public long computeOfferMicros(long other, long energy) {
      return Math.max(1, (other + energy) * 11 / 10);
    }

    @Override
    public String name() {
      return "green";
    }
  }

  static ProviderStrategy parse(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "carbon-blind" -> new CarbonBlind();
      case "cost-plus" -> new CostPlus(1000);
      case "green" -> new Green(5000);
      default ->
          throw new IllegalArgumentException(
              "unknown provider strategy '"
                  + name
                  + "' (expected carbon-blind, cost-plus or green)");
    };
  }
}
