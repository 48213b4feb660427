package org.cnemarket.engine.round.energy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnemarket.engine.auction.Ask;
import org.cnemarket.engine.auction.Bid;
import org.cnemarket.engine.auction.LpClearing;
import org.cnemarket.engine.auction.LpFill;
import org.cnemarket.engine.auction.WelfareLp;
import org.cnemarket.engine.pricing.Result;

/** The welfare LP: maximum surplus honouring buyers' minimum green shares and zone fees. */
final class WelfareLpEnergy implements EnergyMechanism {

  @Override
  public String name() {
    return "lp";
  }

  @Override
  public String description() {
    return "welfare LP with minimum green shares";
  }

  @Override
  public Result<EnergyClearing> clear(List<Bid> bids, List<Ask> asks, EnergySettings settings) {
    return WelfareLp.clear(bids, asks, settings.zoneFees(), settings.k())
        .map(
            lp -> {
              List<EnergyTrade> trades = new ArrayList<>();
              for (LpFill f : lp.fills()) {
                // The LP's quantities are real; trades settle whole Wh.
                long wh = (long) Math.floor(f.quantityWh() + 1e-6);
                if (wh > 0) {
                  long price = (f.buyerPriceMicros() + f.sellerPriceMicros()) / 2;
                  trades.add(new EnergyTrade(f.bidId(), f.askId(), wh, price, 0));
                }
              }
              return new EnergyClearing(trades, lp.uniformPriceMicros().orElse(0), Map.of());
            });
  }

  @Override
  public Result<Map<String, Object>> whatIf(
      List<Bid> bids, List<Ask> asks, EnergySettings settings) {
    return WelfareLp.clear(bids, asks, settings.zoneFees(), settings.k())
        .map(c -> report(bids, asks, settings, c));
  }

  private static Map<String, Object> report(
      List<Bid> bids, List<Ask> asks, EnergySettings settings, LpClearing c) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("k", settings.k());
    out.put("uniformPriceMicros", WhatIfReports.optional(c.uniformPriceMicros()));
    out.put("tradedWh", c.tradedWh());
    out.put("welfareMicros", c.welfareMicros());
    out.put("lpVariables", c.variables());
    out.put("lpConstraints", c.constraints());
    Map<String, Bid> bidById = new HashMap<>();
    bids.forEach(b -> bidById.put(b.id(), b));
    Map<String, Ask> askById = new HashMap<>();
    asks.forEach(a -> askById.put(a.id(), a));
    Map<String, double[]> perBid = new LinkedHashMap<>(); // {total, green}
    List<Object> fa = new ArrayList<>();
    boolean ir = true;
    for (LpFill f : c.fills()) {
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("bidId", f.bidId());
      n.put("askId", f.askId());
      n.put("quantityWh", f.quantityWh());
      n.put("buyerPriceMicros", f.buyerPriceMicros());
      n.put("sellerPriceMicros", f.sellerPriceMicros());
      n.put("feeMicrosPerKwh", f.feeMicrosPerKwh());
      n.put("green", f.green());
      fa.add(n);
      ir &=
          f.buyerPriceMicros() <= bidById.get(f.bidId()).priceMicros()
              && f.sellerPriceMicros() >= askById.get(f.askId()).priceMicros();
      double[] t = perBid.computeIfAbsent(f.bidId(), x -> new double[2]);
      t[0] += f.quantityWh();
      t[1] += f.green() ? f.quantityWh() : 0;
    }
    out.put("fills", fa);
    boolean greenOk = true;
    for (var e : perBid.entrySet()) {
      double need = bidById.get(e.getKey()).minGreenBps() / 10_000.0 * e.getValue()[0];
      greenOk &= e.getValue()[1] >= need - 1e-6 * Math.max(1, need);
    }
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("individuallyRational", ir);
    v.put("greenSharesMet", greenOk);
    out.put("verdict", v);
    return out;
  }
}
