package org.cnemarket.engine.pricing.stackelberg;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.cnemarket.engine.pricing.Result;
import org.cnemarket.engine.pricing.Validation;

/**
 * Three-tier Stackelberg game: an energy seller (microgrid coalition) sets p_e, providers price
 * compute given m_k = η_k p_e + o_k, users follow. Backward induction: the inner levels are closed
 * forms; the seller's profit (p_e − c_e) · min(E(p_e), supply) is maximized in one dimension. E
 * need not make the profit unimodal (provider optima jump between active sets), so a grid (uniform
 * points plus the prices where a provider's optimum changes regime) brackets the best few peaks
 * first; golden-section search refines smooth peaks and a bisection climbs to the left edge of
 * downward jumps; a bound-and-split over the grid's intervals then finds teeth the grid missed.
 */
public final class ThreeTierGame {

  static final int GRID = 512;
  private static final int MAX_BREAKPOINTS = 4096;
  private static final int REFINED_PEAKS = 8;
  private static final int GOLDEN_ITERATIONS = 200;

  /** Most intervals {@link #boundAndSplit} halves (each one evaluation of E). */
  private static final int MAX_SPLITS = 20_000;

  /** A bound within this relative distance of the best profit found cannot improve on it. */
  private static final double BOUND_TOLERANCE = 1e-10;

  private ThreeTierGame() {}

  /**
   * @param sellerCostPerKwh c_e &gt; 0
   * @param supplyKwh the seller's energy, &gt; 0 or +Infinity
   */
  public static Result<ThreeTierSolution> solve(
      ComputeMarket market, double sellerCostPerKwh, double supplyKwh) {
    Validation v =
        Validation.start()
            .positive("seller cost c_e", sellerCostPerKwh)
            .check(supplyKwh > 0, "supplyKwh must be > 0 (or Infinity), got " + supplyKwh);
    if (v.failed()) {
      return v.toInvalid();
    }
    Game g = new Game(market, sellerCostPerKwh, supplyKwh);
    double ce = sellerCostPerKwh;
    double hi = g.priceCeiling();
    if (hi <= ce) {
      return g.solutionAt(ce, false); // no provider can sell above the seller's cost
    }
    double floor = ce;
    boolean supplyBound = false;
    if (g.energyDemand(ce) > supplyKwh) {
      // E is non-increasing in p_e (a provider's optimal price is monotone in its cost): bisect for
      // the
      // lowest price whose demand fits the supply.
      double lo = ce;
      double up = hi;
      for (int i = 0; i < 200 && up - lo > 1e-15 * up; i++) {
        double mid = 0.5 * (lo + up);
        if (g.energyDemand(mid) > supplyKwh) {
          lo = mid;
        } else {
          up = mid;
        }
      }
      floor = up;
      supplyBound = true;
    }
    double[] grid = g.candidateGrid(floor, hi);
    double[] sold = new double[grid.length];
    double[] f = new double[grid.length];
    for (int i = 0; i < grid.length; i++) {
      sold[i] = g.sold(grid[i]);
      f[i] = (grid[i] - ce) * sold[i];
    }
    // Refine the best few local maxima of the grid: each bracket [p_{i-1}, p_{i+1}] holds a peak.
    Integer[] peaks = localMaxima(f);
    double bestP = grid[0];
    double bestF = f[0];
    for (int r = 0; r < Math.min(REFINED_PEAKS, peaks.length); r++) {
      int i = peaks[r];
      double a = grid[Math.max(0, i - 1)];
      double b = grid[Math.min(grid.length - 1, i + 1)];
      double[] refined = goldenSection(g, a, b);
      double[] edge = climbToJump(g, grid[i], f[i], b);
      double[] candidates = {grid[i], f[i], refined[0], refined[1], edge[0], edge[1]};
      for (int c = 0; c < candidates.length; c += 2) {
        if (candidates[c + 1] > bestF) {
          bestF = candidates[c + 1];
          bestP = candidates[c];
        }
      }
    }
    double[] best = boundAndSplit(g, grid, sold, bestP, bestF);
    return g.solutionAt(best[0], supplyBound && best[0] == floor);
  }

  /**
   * The peaks refined above can miss the best tooth: where provider optima switch between active
   * sets the profit drops, and teeth narrower than the grid's step hide between two grid points
   * that both lie lower. Since E does not increase with p_e, the profit on [a, b] is at most (b −
   * c_e) · min(E(a), supply): intervals whose bound could beat the best found are halved (largest
   * bound first), the others dropped. {@code sold} holds the energy sold at each grid price.
   * Returns {p, f(p)}.
   */
  private static double[] boundAndSplit(
      Game g, double[] grid, double[] sold, double bestP, double bestF) {
    PriorityQueue<Interval> open =
        new PriorityQueue<>((x, y) -> Double.compare(y.bound(), x.bound()));
    for (int i = 0; i + 1 < grid.length; i++) {
      open.add(Interval.of(g, grid[i], grid[i + 1], sold[i]));
    }
    double p = bestP;
    double f = bestF;
    for (int evaluations = 0; !open.isEmpty() && evaluations < MAX_SPLITS; evaluations++) {
      Interval iv = open.poll();
      if (iv.bound() <= f + Math.abs(f) * BOUND_TOLERANCE) {
        break; // no interval left can beat the best by more than the tolerance
      }
      if (iv.b() - iv.a() <= 1e-13 * Math.max(1, iv.b())) {
        continue;
      }
      double mid = 0.5 * (iv.a() + iv.b());
      double soldMid = g.sold(mid);
      double fMid = (mid - g.sellerCost) * soldMid;
      if (fMid > f) {
        f = fMid;
        p = mid;
      }
      open.add(Interval.of(g, iv.a(), mid, iv.soldAtA()));
      open.add(Interval.of(g, mid, iv.b(), soldMid));
    }
    return new double[] {p, f};
  }

  /** Prices [a, b]; the profit there is at most {@code bound} = (b − c_e) · sold(a). */
  private record Interval(double a, double b, double soldAtA, double bound) {
    static Interval of(Game g, double a, double b, double soldAtA) {
      return new Interval(a, b, soldAtA, (b - g.sellerCost) * soldAtA);
    }
  }

  /** Grid indices that are local maxima, best first (ties by index). */
  private static Integer[] localMaxima(double[] f) {
    List<Integer> peaks = new ArrayList<>();
    for (int i = 0; i < f.length; i++) {
      boolean left = i == 0 || f[i] >= f[i - 1];
      boolean right = i == f.length - 1 || f[i] >= f[i + 1];
      if (left && right) {
        peaks.add(i);
      }
    }
    peaks.sort((x, y) -> f[x] != f[y] ? Double.compare(f[y], f[x]) : Integer.compare(x, y));
    return peaks.toArray(new Integer[0]);
  }

  /**
   * E only jumps down as p_e rises, so the seller's profit jumps down too and its supremum can sit
   * just left of a jump, where golden section (probing both sides of the jump) walks away. Bisect
   * instead: keep the left end while the profit keeps rising.
   */
  private static double[] climbToJump(Game g, double left, double fLeft, double right) {
    double l = left;
    double fl = fLeft;
    double r = right;
    for (int i = 0; i < GOLDEN_ITERATIONS && r - l > 1e-13 * Math.max(1, r); i++) {
      double mid = 0.5 * (l + r);
      double fm = g.sellerProfit(mid);
      if (fm >= fl) {
        l = mid;
        fl = fm;
      } else {
        r = mid;
      }
    }
    return new double[] {l, fl};
  }

  /** Golden-section maximization on [a, b]; returns {p, f(p)}. */
  private static double[] goldenSection(Game g, double a, double b) {
    double invPhi = (Math.sqrt(5) - 1) / 2;
    double x1 = b - invPhi * (b - a);
    double x2 = a + invPhi * (b - a);
    double f1 = g.sellerProfit(x1);
    double f2 = g.sellerProfit(x2);
    for (int i = 0; i < GOLDEN_ITERATIONS && b - a > 1e-13 * Math.max(1, b); i++) {
      if (f1 >= f2) {
        b = x2;
        x2 = x1;
        f2 = f1;
        x1 = b - invPhi * (b - a);
        f1 = g.sellerProfit(x1);
      } else {
        a = x1;
        x1 = x2;
        f1 = f2;
        x2 = a + invPhi * (b - a);
        f2 = g.sellerProfit(x2);
      }
    }
    return f1 >= f2 ? new double[] {x1, f1} : new double[] {x2, f2};
  }

  /** Precomputed inner levels: each provider's sorted weights do not depend on p_e. */
  static final class Game {
    final ComputeMarket market;
    final double sellerCost;
    final double supply;
    final List<SortedDemand> demand = new ArrayList<>();

    Game(ComputeMarket market, double sellerCost, double supply) {
      this.market = market;
      this.sellerCost = sellerCost;
      this.supply = supply;
      for (int k = 0; k < market.providers().size(); k++) {
        demand.add(market.sortedDemand(k));
      }
    }

    /** Above this p_e no provider's cost is below its top user's weight, so nothing sells. */
    double priceCeiling() {
      double hi = 0;
      for (int k = 0; k < demand.size(); k++) {
        Provider p = market.providers().get(k);
        hi = Math.max(hi, (demand.get(k).maxWeight() - p.otherCostPerUnit()) / p.kwhPerUnit());
      }
      return hi;
    }

    /**
     * Uniform points on [lo, hi] plus the energy prices where some provider's optimum changes
     * regime (its stationary price sqrt(m W_n / n) hits a user weight: m = n w² / W_n), where kinks
     * occur.
     */
    double[] candidateGrid(double lo, double hi) {
      List<Double> pts = new ArrayList<>();
      for (int i = 0; i <= GRID; i++) {
        pts.add(lo + (hi - lo) * i / GRID);
      }
      List<Double> kinks = new ArrayList<>();
      for (int k = 0; k < demand.size(); k++) {
        SortedDemand d = demand.get(k);
        Provider p = market.providers().get(k);
        double wn = 0;
        for (int n = 1; n <= d.users(); n++) {
          wn += d.weight(n - 1);
          double top = d.weight(n - 1);
          kinks.add((n * top * top / wn - p.otherCostPerUnit()) / p.kwhPerUnit());
          if (n < d.users()) {
            double next = d.weight(n);
            kinks.add((n * next * next / wn - p.otherCostPerUnit()) / p.kwhPerUnit());
          }
        }
      }
      int stride = Math.max(1, kinks.size() / MAX_BREAKPOINTS);
      for (int i = 0; i < kinks.size(); i += stride) {
        double x = kinks.get(i);
        if (x > lo && x < hi) {
          pts.add(x);
        }
      }
      return pts.stream().mapToDouble(Double::doubleValue).sorted().distinct().toArray();
    }

    double energyDemand(double pe) {
      double e = 0;
      for (int k = 0; k < demand.size(); k++) {
        Provider p = market.providers().get(k);
        e += p.kwhPerUnit() * demand.get(k).optimum(p.marginalCost(pe), p.capacityUnits()).demand();
      }
      return e;
    }

    /** Energy the seller sells at p_e: what providers demand, up to its supply. */
    double sold(double pe) {
      return Math.min(energyDemand(pe), supply);
    }

    double sellerProfit(double pe) {
      return (pe - sellerCost) * sold(pe);
    }

    Result<ThreeTierSolution> solutionAt(double pe, boolean supplyBound) {
      return StackelbergSolver.solveAtEnergyPrice(market, demand, pe)
          .map(
              ms -> {
                double e = 0;
                for (int k = 0; k < ms.outcomes().size(); k++) {
                  e +=
                      market.providers().get(k).kwhPerUnit()
                          * ms.outcomes().get(k).solution().demand();
                }
                double sold = Math.min(e, supply);
                return new ThreeTierSolution(pe, sold, (pe - sellerCost) * sold, supplyBound, ms);
              });
    }
  }
}
