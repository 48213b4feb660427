package org.cnemarket.engine.round;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Units;
import org.cnemarket.engine.auction.Ask;
import org.cnemarket.engine.auction.Bid;
import org.cnemarket.engine.auction.LpClearing;
import org.cnemarket.engine.auction.LpFill;
import org.cnemarket.engine.auction.McAfeeAuction;
import org.cnemarket.engine.auction.McAfeeClearing;
import org.cnemarket.engine.auction.UniformAuction;
import org.cnemarket.engine.auction.UniformClearing;
import org.cnemarket.engine.auction.WelfareLp;
import org.cnemarket.engine.auction.ZoneFees;
import org.cnemarket.engine.pricing.Result;
import org.cnemarket.engine.pricing.stackelberg.ComputeMarket;
import org.cnemarket.engine.pricing.stackelberg.EquilibriumVerifier;
import org.cnemarket.engine.pricing.stackelberg.MarketSolution;
import org.cnemarket.engine.pricing.stackelberg.Provider;
import org.cnemarket.engine.pricing.stackelberg.StackelbergSolver;

/**
 * A round as the market runs it. Energy clears first (uniform k-double auction, McAfee trade
 * reduction, or the welfare LP honouring buyers' minimum green shares); each provider's energy
 * price and carbon intensity then enter its compute cost. Compute demand is assigned carbon-aware
 * to one provider each (cheapest marginal cost, with green-preferring users discounting providers
 * by the green share of their contracted energy), and every provider prices its users as a
 * Stackelberg leader; the equilibrium is checked by the verifier, not assumed.
 *
 * <p>User j's order (quantity Q, limit price P) is read as the follower utility P·ln(1+x) − p·x, so
 * its demand at price p is min(Q, P/p − 1) units: zero at its limit price.
 */
public final class PricingRoundClearing implements RoundClearing {

  @Override
  public ClearingOutcome clear(RoundInput in) {
    Map<String, OpenOrder> byId = new HashMap<>();
    for (OpenOrder o : in.orders()) {
      byId.put(o.orderId(), o);
    }
    List<Fill> fills = new ArrayList<>();
    Map<String, Object> results = new LinkedHashMap<>();
    EnergyOutcome energy = clearEnergy(in, byId, fills);
    results.put("energy", energy.summary);
    results.put(
        "compute",
        in.parameters().computeMechanism().equals("stackelberg")
            ? stackelberg(in, energy, fills)
            : uniformCompute(in, fills));
    Map<String, Object> mechanism = new LinkedHashMap<>(in.parameters().toJson());
    return new ClearingOutcome(fills, mechanism, results);
  }

  /** Per-provider energy facts the compute stage needs. */
  private record EnergyOutcome(
      Map<String, Object> summary,
      long clearingPriceMicros,
      Map<String, long[]> byBuyer,
      long averageOfferCarbon) {}

  private static EnergyOutcome clearEnergy(
      RoundInput in, Map<String, OpenOrder> byId, List<Fill> fills) {
    List<Bid> bids = new ArrayList<>();
    List<Ask> asks = new ArrayList<>();
    long carbonSum = 0;
    long offerWh = 0;
    for (OpenOrder o : in.orders()) {
      Order ord = o.order();
      if (ord.kind() == OrderKind.ENERGY_BID) {
        bids.add(
            new Bid(
                o.orderId(), o.remaining(), ord.priceMicros(), ord.greenBps(), (int) ord.zone()));
      } else if (ord.kind() == OrderKind.ENERGY_OFFER) {
        asks.add(
            new Ask(
                o.orderId(),
                o.remaining(),
                ord.priceMicros(),
                ord.green(),
                ord.carbonMgPerKwh(),
                (int) ord.zone()));
        carbonSum += o.remaining() * ord.carbonMgPerKwh();
        offerWh += o.remaining();
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("mechanism", in.parameters().energyMechanism());
    summary.put("bids", (long) bids.size());
    summary.put("asks", (long) asks.size());
    long price = 0;
    List<long[]> raw = new ArrayList<>();
    List<String[]> ids = new ArrayList<>();
    if (!bids.isEmpty() && !asks.isEmpty()) {
      if (in.parameters().energyMechanism().equals("mcafee")) {
        // McAfee trades whole lots: each order takes part with the lots its remainder holds.
        long lot = in.parameters().lotWh();
        List<Bid> lotBids =
            bids.stream()
                .filter(b -> b.quantityWh() >= lot)
                .map(
                    b ->
                        new Bid(
                            b.id(),
                            b.quantityWh() / lot * lot,
                            b.priceMicros(),
                            b.minGreenBps(),
                            b.zone()))
                .toList();
        List<Ask> lotAsks =
            asks.stream()
                .filter(a -> a.quantityWh() >= lot)
                .map(
                    a ->
                        new Ask(
                            a.id(),
                            a.quantityWh() / lot * lot,
                            a.priceMicros(),
                            a.green(),
                            a.carbonMgPerKwh(),
                            a.zone()))
                .toList();
        McAfeeClearing mc =
            lotBids.isEmpty() || lotAsks.isEmpty()
                ? null
                : value(McAfeeAuction.clear(lotBids, lotAsks, lot), "McAfee auction");
        if (mc == null) {
          summary.put("outcome", "NO_TRADE");
        } else {
          summary.put("outcome", mc.outcome().name());
          summary.put("buyerPriceMicros", mc.buyerPriceMicros().orElse(0));
          summary.put("sellerPriceMicros", mc.sellerPriceMicros().orElse(0));
          price = mc.sellerPriceMicros().orElse(0);
          for (var f : mc.fills()) {
            // Sellers receive a_t; buyers pay b_t; the difference is the platform's, settled as a
            // fee.
            long fee =
                Units.amountMicros(f.quantityWh(), f.buyerPriceMicros())
                    - Units.amountMicros(f.quantityWh(), f.sellerPriceMicros());
            raw.add(new long[] {f.quantityWh(), f.sellerPriceMicros(), fee});
            ids.add(new String[] {f.bidId(), f.askId()});
          }
        }
      } else if (in.parameters().energyMechanism().equals("lp")) {
        LpClearing lp =
            value(WelfareLp.clear(bids, asks, ZoneFees.none(), in.parameters().k()), "energy LP");
        price = lp.uniformPriceMicros().orElse(0);
        for (LpFill f : lp.fills()) {
          long wh = (long) Math.floor(f.quantityWh() + 1e-6);
          if (wh > 0) {
            raw.add(new long[] {wh, (f.buyerPriceMicros() + f.sellerPriceMicros()) / 2});
            ids.add(new String[] {f.bidId(), f.askId()});
          }
        }
      } else {
        UniformClearing u =
            value(UniformAuction.fast().clear(bids, asks, in.parameters().k()), "energy auction");
        price = u.clearingPriceMicros().orElse(0);
        for (var f : u.fills()) {
          raw.add(new long[] {f.quantityWh(), f.buyerPriceMicros()});
          ids.add(new String[] {f.bidId(), f.askId()});
        }
      }
    }
    Map<String, long[]> byBuyer = new TreeMap<>();
    long volume = 0;
    long green = 0;
    long fees = 0;
    for (int i = 0; i < raw.size(); i++) {
      Order bid = byId.get(ids.get(i)[0]).order();
      Order ask = byId.get(ids.get(i)[1]).order();
      long wh = raw.get(i)[0];
      long p = raw.get(i)[1];
      long g = ask.green() ? wh : 0;
      long carbon = Units.carbonMg(wh, ask.carbonMgPerKwh());
      long fee = raw.get(i).length > 2 ? raw.get(i)[2] : 0;
      fills.add(
          new Fill(OrderKind.Market.ENERGY, ids.get(i)[0], ids.get(i)[1], wh, p, g, carbon, fee));
      fees += fee;
      // per buyer: Wh, value (Wh·micros/kWh), green Wh, carbon mg
      long[] acc = byBuyer.computeIfAbsent(bid.trader(), k -> new long[4]);
      acc[0] += wh;
      acc[1] += wh * p;
      acc[2] += g;
      acc[3] += carbon;
      volume += wh;
      green += g;
    }
    summary.put("priceMicros", price);
    summary.put("volumeWh", volume);
    summary.put("greenWh", green);
    summary.put("platformFeesMicros", fees);
    return new EnergyOutcome(summary, price, byBuyer, offerWh == 0 ? 0 : carbonSum / offerWh);
  }

  private static Map<String, Object> stackelberg(
      RoundInput in, EnergyOutcome energy, List<Fill> fills) {
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
      ComputeMarket market = value(ComputeMarket.of(w, List.of(p)), "compute market");
      MarketSolution sol = value(StackelbergSolver.solve(market), "Stackelberg solution");
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

  private static Map<String, Object> uniformCompute(RoundInput in, List<Fill> fills) {
    List<Bid> bids = new ArrayList<>();
    List<Ask> asks = new ArrayList<>();
    for (OpenOrder o : in.orders()) {
      if (o.order().kind() == OrderKind.COMPUTE_DEMAND) {
        bids.add(Bid.of(o.orderId(), o.remaining(), o.order().priceMicros()));
      } else if (o.order().kind() == OrderKind.COMPUTE_OFFER) {
        asks.add(Ask.of(o.orderId(), o.remaining(), o.order().priceMicros()));
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("mechanism", "uniform");
    long price = 0;
    long volume = 0;
    if (!bids.isEmpty() && !asks.isEmpty()) {
      UniformClearing u =
          value(UniformAuction.fast().clear(bids, asks, in.parameters().k()), "compute auction");
      price = u.clearingPriceMicros().orElse(0);
      for (var f : u.fills()) {
        fills.add(
            new Fill(
                OrderKind.Market.COMPUTE,
                f.bidId(),
                f.askId(),
                f.quantityWh(),
                f.buyerPriceMicros(),
                0,
                0));
        volume += f.quantityWh();
      }
    }
    summary.put("priceMicros", price);
    summary.put("volumeMilliUnits", volume);
    return summary;
  }

  private static <T> T value(Result<T> r, String what) {
    if (r instanceof Result.Ok<T> ok) {
      return ok.value();
    }
    // Orders were validated on entry, so an invalid instance is an engine bug, never silently
    // priced.
    throw new IllegalStateException(what + " rejected the round's inputs: " + r.reason());
  }
}
