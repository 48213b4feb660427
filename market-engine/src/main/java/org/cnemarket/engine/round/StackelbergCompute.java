package org.cnemarket.engine.round;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Units;
import org.cnemarket.engine.pricing.stackelberg.ComputeMarket;
import org.cnemarket.engine.pricing.stackelberg.EquilibriumVerifier;
import org.cnemarket.engine.pricing.stackelberg.MarketSolution;
import org.cnemarket.engine.pricing.stackelberg.Provider;
import org.cnemarket.engine.pricing.stackelberg.StackelbergSolver;

/**
 * Compute as a Stackelberg game: demand is assigned carbon-aware to one provider each (cheapest
 * marginal cost, with green-preferring users discounting providers by the green share of their
 * contracted energy), and every provider prices its users as a leader; the equilibrium is checked
 * by the verifier, not assumed.
 *
 * <p>User j's order (quantity Q, limit price P) is read as the follower utility P·ln(1+x) − p·x, so
 * its demand at price p is min(Q, P/p − 1) units: zero at its limit price.
 */
final class StackelbergCompute implements ComputeMechanism {

  @Override
  public String name() {
    return "stackelberg";
  }

  @Override
  public String description() {
    return "providers lead, users follow";
  }

  @Override
  public boolean providersSetPrices() {
    return true;
  }

  /** The game's equilibrium, each provider's price and its users' demand, verified. */
  @Override
  public Optional<WhatIf> whatIf() {
    return Optional.of(
        (market, epsilon) ->
            StackelbergSolver.solve(market)
                .map(
                    s -> {
                      Map<String, Object> report = new LinkedHashMap<>();
                      report.put("providers", ComputeWhatIfReports.providers(market, s));
                      report.put(
                          "verdict",
                          ComputeWhatIfReports.verdict(
                              EquilibriumVerifier.verify(market, s, null, epsilon), epsilon));
                      return report;
                    }));
  }

  @Override
  public Map<String, Object> clear(RoundInput in, EnergyPrices energy, List<Fill> fills) {
    List<OpenOrder> offers = new ArrayList<>();
    List<OpenOrder> demands = new ArrayList<>();
    for (OpenOrder o : in.orders()) {
      if (o.order().kind() == OrderKind.COMPUTE_OFFER) {
        offers.add(o);
      } else if (o.order().kind() == OrderKind.COMPUTE_DEMAND) {
        demands.add(o);
      }
    }
    offers.sort(Comparator.comparing(OpenOrder::orderId));
    demands.sort(
        Comparator.comparingLong((OpenOrder o) -> -o.order().priceMicros())
            .thenComparing(OpenOrder::orderId));
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("mechanism", "stackelberg");
    summary.put("offers", (long) offers.size());
    summary.put("demands", (long) demands.size());
    int n = offers.size();
    double[] eta = new double[n];
    double[] pe = new double[n];
    double[] other = new double[n];
    double[] greenShare = new double[n];
    long[] intensity = new long[n];
    double[] capacityLeft = new double[n];
    for (int k = 0; k < n; k++) {
      Order o = offers.get(k).order();
      eta[k] = in.profileOf(o.trader()).kwhPerUnit();
      long[] bought = energy.byBuyer().get(o.trader());
      if (bought != null && bought[0] > 0) {
        pe[k] = bought[1] / (double) bought[0] / 1e6;
        greenShare[k] = bought[2] / (double) bought[0];
        intensity[k] = bought[3] * 1000 / bought[0];
      } else {
        pe[k] = energy.clearingPriceMicros() / 1e6;
        intensity[k] = energy.averageOfferCarbon();
      }
      other[k] = o.priceMicros() / 1e6;
      capacityLeft[k] = offers.get(k).remaining() / 1000.0;
    }
    // Carbon-aware assignment: each user to the provider with the lowest green-adjusted cost.
    List<List<OpenOrder>> assigned = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      assigned.add(new ArrayList<>());
    }
    for (OpenOrder d : demands) {
      double greenPref = d.order().greenBps() / 10_000.0;
      int best = -1;
      double bestScore = Double.POSITIVE_INFINITY;
      for (int k = 0; k < n; k++) {
        double m = eta[k] * pe[k] + other[k];
        if (capacityLeft[k] <= 0 || m * 1e6 >= d.order().priceMicros()) {
          continue;
        }
        double score = m * (1 + greenPref * (1 - greenShare[k]));
        if (score < bestScore) {
          bestScore = score;
          best = k;
        }
      }
      if (best >= 0) {
        assigned.get(best).add(d);
        capacityLeft[best] -= d.remaining() / 1000.0;
      }
    }
    List<Object> providers = new ArrayList<>();
    long volume = 0;
    long value = 0;
    boolean allVerified = true;
    for (int k = 0; k < n; k++) {
      List<OpenOrder> users = assigned.get(k);
      if (users.isEmpty()) {
        continue;
      }
      OpenOrder offer = offers.get(k);
      double[] w = users.stream().mapToDouble(u -> u.order().priceMicros() / 1e6).toArray();
      Provider p =
          new Provider(
              offer.orderId(), eta[k], pe[k], other[k], offer.remaining() / 1000.0, List.of(1.0));
      ComputeMarket market = Rounds.value(ComputeMarket.of(w, List.of(p)), "compute market");
      MarketSolution sol = Rounds.value(StackelbergSolver.solve(market), "Stackelberg solution");
      var verdict = EquilibriumVerifier.verify(market, sol);
      allVerified &= verdict.passed();
      double price = sol.outcomes().get(0).solution().price();
      long priceMicros = Math.round(price * 1e6);
      long providerMilli = 0;
      for (int j = 0; j < users.size(); j++) {
        OpenOrder u = users.get(j);
        double x = Math.min(u.remaining() / 1000.0, sol.followerQuantity(market, 0, j));
        long milli = Math.min(u.remaining(), (long) Math.floor(x * 1000 + 1e-9));
        if (milli <= 0
            || priceMicros > u.order().priceMicros()
            || priceMicros < offer.order().priceMicros()) {
          continue;
        }
        long wh = Math.round(milli * eta[k]);
        fills.add(
            new Fill(
                OrderKind.Market.COMPUTE,
                u.orderId(),
                offer.orderId(),
                milli,
                priceMicros,
                0,
                Units.carbonMg(wh, intensity[k])));
        providerMilli += milli;
        value += Units.amountMicros(milli, priceMicros);
      }
      volume += providerMilli;
      Map<String, Object> pr = new LinkedHashMap<>();
      pr.put("offerId", offer.orderId());
      pr.put("provider", offer.order().trader());
      pr.put("marginalCostMicros", Math.round(p.marginalCost() * 1e6));
      pr.put("priceMicros", priceMicros);
      pr.put("users", (long) users.size());
      pr.put("soldMilliUnits", providerMilli);
      pr.put("profitMicros", Math.round(sol.outcomes().get(0).solution().profit() * 1e6));
      pr.put("capacityBound", sol.outcomes().get(0).solution().capacityBound());
      pr.put("verified", verdict.passed());
      providers.add(pr);
    }
    summary.put("providers", providers);
    summary.put("volumeMilliUnits", volume);
    summary.put("priceMicros", volume == 0 ? 0L : value * 1000 / volume);
    summary.put("verified", allVerified);
    return summary;
  }
}
