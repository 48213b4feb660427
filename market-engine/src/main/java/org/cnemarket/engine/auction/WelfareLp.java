package org.cnemarket.engine.auction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.cnemarket.engine.pricing.Result;
import org.ojalgo.optimisation.Expression;
import org.ojalgo.optimisation.ExpressionsBasedModel;
import org.ojalgo.optimisation.Optimisation;
import org.ojalgo.optimisation.Variable;

/**
 * Welfare-maximizing clearing with minimum green shares and zone fees, solved as a linear program
 * with ojAlgo's {@link ExpressionsBasedModel}.
 *
 * <p><b>Model.</b> The reference model has x_{b,a} ≥ 0 (Wh from ask a to bid b), Σ_a x ≤ q_b, Σ_b x
 * ≤ q_a, Σ_{a green} x_{b,a} ≥ g_b Σ_a x_{b,a}, maximizing Σ (p_b − p_a − fee) x. It is solved in
 * an equivalent aggregated form so that 10^4 orders stay small: an ask matters to a bid only
 * through its class (zone, green) and its price, and bids of one class (zone, g) face identical
 * constraints. So the LP has one variable per ask (z_a ≤ q_a, cost p_a), one per bid (w_b ≤ q_b,
 * value p_b), and one flow per (bid class, ask class) pair (Y ≥ 0, cost = fee), with balance rows
 * per class and one green row per bid class with g &gt; 0. Any x gives a feasible (z, w, Y) of
 * equal welfare and vice versa (split a class flow among its bids pro rata, which keeps every bid's
 * green share at its class's share), so the optimum is the same. Lossless pruning: bids priced
 * below every ask and asks priced above every bid are dropped (fees are ≥ 0, so they have no
 * profitable partner). Quantities are in kWh inside the LP.
 *
 * <p><b>Price.</b> With b* the lowest filled bid price and a* the highest effective (price + fee)
 * filled ask price, a uniform price p = a* + rint(k (b* − a*)) is reported when b* ≥ a* (always the
 * case when no green or zone constraint binds, matching the uniform auction); the buyer pays p, the
 * seller receives p − fee. When binding constraints make b* &lt; a*, no uniform price is
 * individually rational; each fill then clears at its own pair's k-price a + fee + rint(k (b − a −
 * fee)) and no uniform price is reported.
 */
public final class WelfareLp {

  /** Flows below this many kWh are solver noise and dropped. */
  private static final double EPS_KWH = 1e-9;

  private WelfareLp() {}

  public static Result<LpClearing> clear(List<Bid> bids, List<Ask> asks, ZoneFees fees, double k) {
    Optional<String> problem =
        OrderValidation.checkK(k).or(() -> OrderValidation.check(bids, asks));
    if (problem.isPresent()) {
      return Result.invalid(problem.get());
    }
    if (fees == null) {
      return Result.invalid("zone fees are required (use ZoneFees.none())");
    }
    if (fees.defaultFeeMicrosPerKwh() < 0
        || fees.pairFees().values().stream().anyMatch(f -> f < 0)) {
      return Result.invalid("zone fees must be >= 0");
    }
    long maxBid =
        bids.stream().filter(b -> b.quantityWh() > 0).mapToLong(Bid::priceMicros).max().orElse(-1);
    long minAsk =
        asks.stream()
            .filter(a -> a.quantityWh() > 0)
            .mapToLong(Ask::priceMicros)
            .min()
            .orElse(Long.MAX_VALUE);
    List<Bid> liveBids =
        bids.stream()
            .filter(b -> b.quantityWh() > 0 && b.priceMicros() >= minAsk)
            .sorted(Comparator.comparingLong(Bid::priceMicros).reversed().thenComparing(Bid::id))
            .toList();
    List<Ask> liveAsks =
        asks.stream()
            .filter(a -> a.quantityWh() > 0 && a.priceMicros() <= maxBid)
            .sorted(Comparator.comparingLong(Ask::priceMicros).thenComparing(Ask::id))
            .toList();
    if (liveBids.isEmpty() || liveAsks.isEmpty()) {
      return Result.ok(new LpClearing(OptionalLong.empty(), 0, 0, List.of(), 0, 0));
    }

    // Classes in a deterministic order (TreeMap keys).
    TreeMap<Long, List<Integer>> bidClasses = new TreeMap<>();
    for (int i = 0; i < liveBids.size(); i++) {
      Bid b = liveBids.get(i);
      bidClasses
          .computeIfAbsent(((long) b.zone() << 32) | b.minGreenBps(), x -> new ArrayList<>())
          .add(i);
    }
    TreeMap<Long, List<Integer>> askClasses = new TreeMap<>();
    for (int i = 0; i < liveAsks.size(); i++) {
      Ask a = liveAsks.get(i);
      askClasses
          .computeIfAbsent(((long) a.zone() << 1) | (a.green() ? 1 : 0), x -> new ArrayList<>())
          .add(i);
    }
    List<Long> bk = new ArrayList<>(bidClasses.keySet());
    List<Long> ak = new ArrayList<>(askClasses.keySet());

    ExpressionsBasedModel model = new ExpressionsBasedModel();
    Variable[] w = new Variable[liveBids.size()];
    for (int i = 0; i < w.length; i++) {
      Bid b = liveBids.get(i);
      w[i] =
          model
              .addVariable("w" + i)
              .lower(0)
              .upper(b.quantityWh() / 1000.0)
              .weight(b.priceMicros());
    }
    Variable[] z = new Variable[liveAsks.size()];
    for (int i = 0; i < z.length; i++) {
      Ask a = liveAsks.get(i);
      z[i] =
          model
              .addVariable("z" + i)
              .lower(0)
              .upper(a.quantityWh() / 1000.0)
              .weight(-a.priceMicros());
    }
    Variable[][] y = new Variable[bk.size()][ak.size()];
    long[][] fee = new long[bk.size()][ak.size()];
    for (int p = 0; p < bk.size(); p++) {
      int bidZone = (int) (bk.get(p) >> 32);
      for (int c = 0; c < ak.size(); c++) {
        int askZone = (int) (ak.get(c) >> 1);
        fee[p][c] = fees.fee(askZone, bidZone);
        y[p][c] = model.addVariable("y" + p + "_" + c).lower(0).weight(-fee[p][c]);
      }
    }
    for (int p = 0; p < bk.size(); p++) {
      Expression balance = model.addExpression("bidClass" + p).level(0);
      for (int i : bidClasses.get(bk.get(p))) {
        balance.set(w[i], 1);
      }
      for (int c = 0; c < ak.size(); c++) {
        balance.set(y[p][c], -1);
      }
      double g = (bk.get(p) & 0xFFFFFFFFL) / 10_000.0;
      if (g > 0) {
        Expression green = model.addExpression("green" + p).lower(0);
        for (int c = 0; c < ak.size(); c++) {
          boolean isGreen = (ak.get(c) & 1) == 1;
          green.set(y[p][c], (isGreen ? 1.0 : 0.0) - g);
        }
      }
    }
    for (int c = 0; c < ak.size(); c++) {
      Expression balance = model.addExpression("askClass" + c).level(0);
      for (int i : askClasses.get(ak.get(c))) {
        balance.set(z[i], 1);
      }
      for (int p = 0; p < bk.size(); p++) {
        balance.set(y[p][c], -1);
      }
    }
    Optimisation.Result r = model.maximise();
    if (!r.getState().isOptimal()) {
      return Result.invalid("LP solver did not reach an optimum: " + r.getState());
    }
    return Result.ok(
        disaggregate(
            model, r, liveBids, liveAsks, bidClasses, askClasses, bk, ak, w, z, y, fee, k));
  }

  private static double value(ExpressionsBasedModel model, Optimisation.Result r, Variable v) {
    return Math.max(0, r.doubleValue(model.indexOf(v)));
  }

  private static LpClearing disaggregate(
      ExpressionsBasedModel model,
      Optimisation.Result r,
      List<Bid> bids,
      List<Ask> asks,
      TreeMap<Long, List<Integer>> bidClasses,
      TreeMap<Long, List<Integer>> askClasses,
      List<Long> bk,
      List<Long> ak,
      Variable[] w,
      Variable[] z,
      Variable[][] y,
      long[][] fee,
      double k) {
    // Demands per ask class: every bid's fill split pro rata over its class's flows.
    List<List<double[]>> demand = new ArrayList<>(); // per ask class: {bidIndex, kWh}
    for (int c = 0; c < ak.size(); c++) {
      demand.add(new ArrayList<>());
    }
    double traded = 0;
    for (int p = 0; p < bk.size(); p++) {
      double total = 0;
      double[] flow = new double[ak.size()];
      for (int c = 0; c < ak.size(); c++) {
        flow[c] = value(model, r, y[p][c]);
        total += flow[c];
      }
      if (total <= EPS_KWH) {
        continue;
      }
      for (int i : bidClasses.get(bk.get(p))) {
        double fill = value(model, r, w[i]);
        if (fill <= EPS_KWH) {
          continue;
        }
        traded += fill;
        for (int c = 0; c < ak.size(); c++) {
          if (flow[c] > EPS_KWH) {
            demand.get(c).add(new double[] {i, p, fill * flow[c] / total});
          }
        }
      }
    }
    // Within each ask class, pair demands with the class's asks (cheapest first) greedily.
    record Pair(int bid, int ask, double kwh, long fee) {}
    List<Pair> pairs = new ArrayList<>();
    for (int c = 0; c < ak.size(); c++) {
      List<Integer> members = askClasses.get(ak.get(c));
      double[] supply = members.stream().mapToDouble(i -> value(model, r, z[i])).toArray();
      int s = 0;
      for (double[] d : demand.get(c)) {
        double need = d[2];
        while (need > EPS_KWH && s < supply.length) {
          double q = Math.min(need, supply[s]);
          if (q > EPS_KWH) {
            pairs.add(new Pair((int) d[0], members.get(s), q, fee[(int) d[1]][c]));
          }
          need -= q;
          supply[s] -= q;
          if (supply[s] <= EPS_KWH) {
            s++;
          }
        }
      }
    }
    long bStar = Long.MAX_VALUE;
    long aStar = Long.MIN_VALUE;
    for (Pair p : pairs) {
      bStar = Math.min(bStar, bids.get(p.bid()).priceMicros());
      aStar = Math.max(aStar, asks.get(p.ask()).priceMicros() + p.fee());
    }
    boolean uniform = !pairs.isEmpty() && bStar >= aStar;
    long price = uniform ? UniformAuction.clearingPrice(aStar, bStar, k) : 0;
    List<LpFill> fills = new ArrayList<>(pairs.size());
    double welfare = 0;
    for (Pair p : pairs) {
      Bid b = bids.get(p.bid());
      Ask a = asks.get(p.ask());
      long buyer =
          uniform
              ? price
              : UniformAuction.clearingPrice(a.priceMicros() + p.fee(), b.priceMicros(), k);
      fills.add(
          new LpFill(b.id(), a.id(), p.kwh() * 1000.0, buyer, buyer - p.fee(), p.fee(), a.green()));
      welfare += (b.priceMicros() - a.priceMicros() - p.fee()) * p.kwh();
    }
    return new LpClearing(
        uniform ? OptionalLong.of(price) : OptionalLong.empty(),
        traded * 1000.0,
        welfare,
        fills,
        model.countVariables(),
        model.countExpressions());
  }
}
