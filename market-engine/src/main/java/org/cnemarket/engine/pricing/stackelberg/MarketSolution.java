package org.cnemarket.engine.pricing.stackelberg;

import java.util.List;

/**
 * Equilibrium of the provider–user game: one outcome per provider, in the market's provider order.
 * Follower quantities are not stored (K·J numbers); {@link #followerQuantity} recomputes x_jk*.
 *
 * @param outcomes per provider
 */
public record MarketSolution(List<ProviderOutcome> outcomes) {

  public MarketSolution {
    outcomes = List.copyOf(outcomes);
  }

  public double[] prices() {
    return outcomes.stream().mapToDouble(o -> o.solution().price()).toArray();
  }

  /** x_jk* at the provider's equilibrium price. */
  public double followerQuantity(ComputeMarket market, int provider, int user) {
    return Follower.bestResponse(
        market.weight(provider, user), outcomes.get(provider).solution().price());
  }

  public double totalProfit() {
    return outcomes.stream().mapToDouble(o -> o.solution().profit()).sum();
  }
}
