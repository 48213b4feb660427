package org.cnemarket.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.cnemarket.engine.auction.Ask;
import org.cnemarket.engine.auction.Bid;
import org.cnemarket.engine.auction.LpClearing;
import org.cnemarket.engine.auction.UniformAuction;
import org.cnemarket.engine.auction.UniformClearing;
import org.cnemarket.engine.auction.WelfareLp;
import org.cnemarket.engine.auction.ZoneFees;
import org.cnemarket.engine.pricing.Result;
import org.cnemarket.engine.pricing.contract.ContractDesigner;
import org.cnemarket.engine.pricing.contract.ContractMenu;
import org.cnemarket.engine.pricing.contract.ContractProblem;
import org.cnemarket.engine.pricing.stackelberg.ComputeMarket;
import org.cnemarket.engine.pricing.stackelberg.MarketSolution;
import org.cnemarket.engine.pricing.stackelberg.Provider;
import org.cnemarket.engine.pricing.stackelberg.StackelbergSolver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Pricing-core benchmarks: inputs built once per trial from a fixed seed, time per solve. */
public class PricingBenchmarks {

  static List<Bid> bids(int n, Random r, boolean greenAndZones) {
    List<Bid> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int green = greenAndZones ? new int[] {0, 0, 2_500, 5_000}[r.nextInt(4)] : 0;
      int zone = greenAndZones ? r.nextInt(3) : 0;
      out.add(new Bid("b" + i, 1 + r.nextInt(10_000), 50_000 + r.nextInt(100_000), green, zone));
    }
    return out;
  }

  static List<Ask> asks(int n, Random r, boolean greenAndZones) {
    List<Ask> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      boolean green = r.nextInt(3) == 0;
      out.add(
          new Ask(
              "a" + i,
              1 + r.nextInt(10_000),
              40_000 + r.nextInt(100_000),
              green,
              green ? 0 : 400_000,
              greenAndZones ? r.nextInt(3) : 0));
    }
    return out;
  }

  /** Half bids, half asks. */
  @State(Scope.Benchmark)
  public static class UniformBook {
    @Param({"10000", "100000", "1000000"})
    public int orders;

    List<Bid> bids;
    List<Ask> asks;

    @Setup
    public void setup() {
      Random r = new Random(42);
      bids = bids(orders / 2, r, false);
      asks = asks(orders / 2, r, false);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Result<UniformClearing> uniformAuction(UniformBook book) {
    return UniformAuction.fast().clear(book.bids, book.asks, 0.5);
  }

  /** Green minimums and 3 zones with a flat cross-zone fee. */
  @State(Scope.Benchmark)
  public static class LpBook {
    @Param({"1000", "10000"})
    public int orders;

    List<Bid> bids;
    List<Ask> asks;

    @Setup
    public void setup() {
      Random r = new Random(7);
      bids = bids(orders / 2, r, true);
      asks = asks(orders / 2, r, true);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Result<LpClearing> welfareLp(LpBook book) {
    return WelfareLp.clear(book.bids, book.asks, ZoneFees.flat(5_000), 0.5);
  }

  /** 100 providers × 10^5 users in 4 segments (latency class × green preference). */
  @State(Scope.Benchmark)
  public static class Compute {
    ComputeMarket market;

    @Setup
    public void setup() {
      Random r = new Random(11);
      int users = 100_000;
      double[] w = new double[users];
      int[] seg = new int[users];
      for (int j = 0; j < users; j++) {
        w[j] = 0.5 + 50 * r.nextDouble() * r.nextDouble();
        seg[j] = r.nextInt(4);
      }
      List<Provider> ps = new ArrayList<>();
      for (int k = 0; k < 100; k++) {
        List<Double> q =
            List.of(
                0.5 + 0.5 * r.nextDouble(),
                0.5 + 0.5 * r.nextDouble(),
                0.5 + 0.5 * r.nextDouble(),
                0.5 + 0.5 * r.nextDouble());
        double cap = k % 3 == 0 ? 50_000 : Double.POSITIVE_INFINITY;
        ps.add(
            new Provider(
                "p" + k,
                0.2 + 0.3 * r.nextDouble(),
                0.1 + 0.2 * r.nextDouble(),
                0.5 + r.nextDouble(),
                cap,
                q));
      }
      market = ComputeMarket.of(w, seg, ps).orElseThrow();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Result<MarketSolution> stackelberg(Compute c) {
    return StackelbergSolver.solve(c.market);
  }

  @State(Scope.Benchmark)
  public static class Types {
    ContractProblem problem;

    @Setup
    public void setup() {
      Random r = new Random(3);
      int k = 1000;
      double[] theta = new double[k];
      double[] pi = new double[k];
      double t = 0.5;
      double sum = 0;
      for (int i = 0; i < k; i++) {
        t += 0.001 + 0.01 * r.nextDouble();
        theta[i] = t;
        pi[i] = 0.01 + r.nextDouble();
        sum += pi[i];
      }
      for (int i = 0; i < k; i++) {
        pi[i] /= sum;
      }
      problem = ContractProblem.of(theta, pi, 1, 10).orElseThrow();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public ContractMenu contractMenu(Types t) {
    return ContractDesigner.optimalMenu(t.problem);
  }
}
