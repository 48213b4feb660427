package org.cnemarket.engine.pricing.stackelberg;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.cnemarket.engine.pricing.Result;
import org.cnemarket.engine.pricing.Validation;

/** Multi-provider Stackelberg solve: providers are independent given their marginal costs (§2). */
public final class StackelbergSolver {

  private StackelbergSolver() {}

  /** Each provider prices against its users with m_k = η_k p_e,k + o_k. */
  public static Result<MarketSolution> solve(ComputeMarket market) {
    List<Provider> ps = market.providers();
    for (Provider p : ps) {
      if (!(p.marginalCost() > 0)) {
        return Result.invalid(
            "provider " + p.id() + ": marginal cost must be > 0, got " + p.marginalCost());
      }
    }
    // Providers are independent: solve contiguous chunks of them in parallel, each chunk reusing
    // one
    // workspace. Every outcome lands in its provider's slot, so the result is that of a sequential
    // solve.
    int k = ps.size();
    int chunks =
        Math.min(k, 4 * (ForkJoinPool.getCommonPoolParallelism() + 1)); // a few per core: balance
    ProviderOutcome[] outcomes = new ProviderOutcome[k];
    IntStream.range(0, chunks)
        .parallel()
        .forEach(
            c -> {
              ComputeMarket.Workspace ws = new ComputeMarket.Workspace(market.users());
              for (int i = (int) ((long) k * c / chunks);
                  i < (int) ((long) k * (c + 1) / chunks);
                  i++) {
                Provider p = ps.get(i);
                outcomes[i] =
                    new ProviderOutcome(
                        p.id(),
                        p.energyPricePerKwh(),
                        market.sortedDemand(i, ws).optimum(p.marginalCost(), p.capacityUnits()));
              }
            });
    List<ProviderOutcome> out = List.of(outcomes);
    return Result.ok(new MarketSolution(out));
  }

  /** All providers priced at one energy price p_e (the three-tier seller's price). */
  public static Result<MarketSolution> solveAtEnergyPrice(
      ComputeMarket market, double energyPrice) {
    Validation v = Validation.start().nonNegative("energy price", energyPrice);
    if (v.failed()) {
      return v.toInvalid();
    }
    List<SortedDemand> demand = new ArrayList<>();
    for (int k = 0; k < market.providers().size(); k++) {
      demand.add(market.sortedDemand(k));
    }
    return solveAtEnergyPrice(market, demand, energyPrice);
  }

  static Result<MarketSolution> solveAtEnergyPrice(
      ComputeMarket market, List<SortedDemand> demand, double energyPrice) {
    List<Provider> ps = market.providers();
    List<ProviderOutcome> out = new ArrayList<>(ps.size());
    for (int k = 0; k < ps.size(); k++) {
      Provider p = ps.get(k);
      double m = p.marginalCost(energyPrice);
      if (!(m > 0)) {
        return Result.invalid(
            "provider " + p.id() + ": marginal cost must be > 0 at energy price " + energyPrice);
      }
      out.add(
          new ProviderOutcome(p.id(), energyPrice, demand.get(k).optimum(m, p.capacityUnits())));
    }
    return Result.ok(new MarketSolution(out));
  }
}
