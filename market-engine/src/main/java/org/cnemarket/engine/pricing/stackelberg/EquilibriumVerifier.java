package org.cnemarket.engine.pricing.stackelberg;

import java.util.ArrayList;
import java.util.List;

/**
 * Verifies claimed equilibria instead of trusting the solver: every follower quantity must be its
 * exact best response (1e-9 relative), and no leader may gain more than ε (relative) by any price
 * on a grid that is fine around the claimed price (±10^-9 … ±50%), uniform away from it, and
 * includes the kinks of the profit function (users' weights).
 */
public final class EquilibriumVerifier {

  public static final double DEFAULT_EPSILON = 1e-6;
  public static final double FOLLOWER_TOLERANCE = 1e-9;
  private static final int UNIFORM_POINTS = 2000;
  private static final int MAX_KINKS = 5000;

  private EquilibriumVerifier() {}

  /** Verifies the solver's own claim, with follower quantities recomputed from its prices. */
  public static Verdict verify(ComputeMarket market, MarketSolution claim) {
    return verify(market, claim, null, DEFAULT_EPSILON);
  }

  /**
   * @param quantities claimed x[k][j] (provider k, user j), or null to take every follower's best
   *     response to the claimed prices (then only leaders are checked)
   */
  public static Verdict verify(
      ComputeMarket market, MarketSolution claim, double[][] quantities, double epsilon) {
    List<Provider> ps = market.providers();
    if (claim.outcomes().size() != ps.size()) {
      return new Verdict(
          false,
          Double.NaN,
          Double.NaN,
          "claim has " + claim.outcomes().size() + " providers, market has " + ps.size());
    }
    double worstFollower = 0;
    double worstGain = Double.NEGATIVE_INFINITY;
    String detail = "";
    boolean ok = true;
    for (int k = 0; k < ps.size(); k++) {
      Provider p = ps.get(k);
      ProviderOutcome o = claim.outcomes().get(k);
      double price = o.solution().price();
      double m = p.marginalCost(o.energyPrice());
      double sold = 0;
      for (int j = 0; j < market.users(); j++) {
        double br = Follower.bestResponse(market.weight(k, j), price);
        double x = quantities == null ? br : quantities[k][j];
        double dev = Math.abs(x - br) / Math.max(1.0, Math.abs(br));
        if (!(dev <= worstFollower)) {
          worstFollower = Double.isNaN(dev) ? Double.POSITIVE_INFINITY : dev;
          if (dev > FOLLOWER_TOLERANCE || Double.isNaN(dev)) {
            detail =
                "follower " + j + " of provider " + p.id() + " buys " + x + ", best response " + br;
          }
        }
        sold += x;
      }
      if (sold > p.capacityUnits() * (1 + FOLLOWER_TOLERANCE)) {
        ok = false;
        detail = "provider " + p.id() + " sells " + sold + " above capacity " + p.capacityUnits();
      }
      double claimed = (price - m) * sold;
      SortedDemand d = market.sortedDemand(k);
      double[] best = bestOnGrid(d, m, p.capacityUnits(), price, claimed);
      double gain = (best[1] - claimed) / Math.max(Math.abs(claimed), 1e-12);
      if (gain > worstGain) {
        worstGain = gain;
        if (gain > epsilon) {
          detail = "provider " + p.id() + " gains " + gain + " (relative) at price " + best[0];
        }
      }
    }
    ok &= worstFollower <= FOLLOWER_TOLERANCE && worstGain <= epsilon;
    return new Verdict(ok, worstFollower, worstGain, ok ? "verified" : detail);
  }

  /** Verifies a three-tier claim: seller on a grid of p_e, then providers and followers at p_e. */
  public static Verdict verifyThreeTier(
      ComputeMarket market,
      double sellerCostPerKwh,
      double supplyKwh,
      ThreeTierSolution claim,
      double epsilon) {
    Verdict inner = verify(market, claim.providers(), null, epsilon);
    ThreeTierGame.Game g = new ThreeTierGame.Game(market, sellerCostPerKwh, supplyKwh);
    double pe = claim.energyPrice();
    double claimed = claim.sellerProfit();
    double hi = Math.max(g.priceCeiling(), pe) * 1.05;
    List<Double> grid = around(pe);
    for (int i = 0; i <= 500; i++) {
      grid.add(sellerCostPerKwh + (hi - sellerCostPerKwh) * i / 500.0);
    }
    double bestGain = Double.NEGATIVE_INFINITY;
    double at = pe;
    for (double p : grid) {
      if (p < sellerCostPerKwh || !(p > 0)) {
        continue;
      }
      double gain = (g.sellerProfit(p) - claimed) / Math.max(Math.abs(claimed), 1e-12);
      if (gain > bestGain) {
        bestGain = gain;
        at = p;
      }
    }
    double worstGain = Math.max(bestGain, inner.worstLeaderGain());
    boolean ok = inner.passed() && bestGain <= epsilon;
    String detail =
        ok
            ? "verified"
            : !inner.passed()
                ? inner.detail()
                : "energy seller gains " + bestGain + " (relative) at p_e " + at;
    return new Verdict(ok, inner.worstFollowerDeviation(), worstGain, detail);
  }

  /** {price, profit} of the best grid point. */
  private static double[] bestOnGrid(
      SortedDemand d, double m, double capacity, double price, double claimed) {
    double bestP = price;
    double bestProfit = claimed;
    List<Double> grid = around(price);
    double top = Math.max(d.maxWeight(), price) * 1.05;
    for (int i = 1; i <= UNIFORM_POINTS; i++) {
      grid.add(m + (top - m) * i / UNIFORM_POINTS);
    }
    int j = d.users();
    int stride = Math.max(1, j / MAX_KINKS);
    for (int i = 0; i < j; i += stride) {
      grid.add(d.weight(i));
    }
    for (double p : grid) {
      if (!(p > m)) {
        continue;
      }
      double profit = d.profit(m, capacity, p);
      if (profit > bestProfit) {
        bestProfit = profit;
        bestP = p;
      }
    }
    return new double[] {bestP, bestProfit};
  }

  private static List<Double> around(double price) {
    List<Double> grid = new ArrayList<>();
    for (int e = 1; e <= 9; e++) {
      double step = Math.pow(10, -e);
      for (int s : new int[] {-5, -2, -1, 1, 2, 5}) {
        grid.add(price * (1 + s * step));
      }
    }
    return grid;
  }
}
