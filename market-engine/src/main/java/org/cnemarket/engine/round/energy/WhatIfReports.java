package org.cnemarket.engine.round.energy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.cnemarket.engine.auction.Ask;
import org.cnemarket.engine.auction.Bid;
import org.cnemarket.engine.auction.Fill;

/** What the auctions' what-if reports share. */
final class WhatIfReports {

  private WhatIfReports() {}

  /** An absent value is reported as JSON null. */
  static Object optional(OptionalLong v) {
    return v.isPresent() ? (Object) v.getAsLong() : null;
  }

  /**
   * The fills, then per-order surplus in micro-credits (buyers bid − paid, sellers received − ask,
   * per Wh / 1000) and the verdict: individually rational, budget balanced.
   */
  static void fillsAndUtilities(
      Map<String, Object> out, List<Bid> bids, List<Ask> asks, List<Fill> fills) {
    Map<String, Bid> bidById = new HashMap<>();
    bids.forEach(b -> bidById.put(b.id(), b));
    Map<String, Ask> askById = new HashMap<>();
    asks.forEach(a -> askById.put(a.id(), a));
    List<Object> fa = new ArrayList<>();
    Map<String, Object> buyers = new LinkedHashMap<>();
    Map<String, Object> sellers = new LinkedHashMap<>();
    boolean ir = true;
    double platform = 0;
    for (Fill f : fills) {
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("bidId", f.bidId());
      n.put("askId", f.askId());
      n.put("quantityWh", f.quantityWh());
      n.put("buyerPriceMicros", f.buyerPriceMicros());
      n.put("sellerPriceMicros", f.sellerPriceMicros());
      fa.add(n);
      long bidP = bidById.get(f.bidId()).priceMicros();
      long askP = askById.get(f.askId()).priceMicros();
      ir &= f.buyerPriceMicros() <= bidP && f.sellerPriceMicros() >= askP;
      buyers.merge(
          f.bidId(), (bidP - f.buyerPriceMicros()) * f.quantityWh() / 1000.0, WhatIfReports::sum);
      sellers.merge(
          f.askId(), (f.sellerPriceMicros() - askP) * f.quantityWh() / 1000.0, WhatIfReports::sum);
      platform += (f.buyerPriceMicros() - f.sellerPriceMicros()) * f.quantityWh() / 1000.0;
    }
    out.put("fills", fa);
    Map<String, Object> u = new LinkedHashMap<>();
    u.put("buyers", buyers);
    u.put("sellers", sellers);
    u.put("platform", platform);
    out.put("utilitiesMicros", u);
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("individuallyRational", ir);
    v.put("budgetBalanced", platform == 0);
    v.put("weaklyBudgetBalanced", platform >= 0);
    out.put("verdict", v);
  }

  private static Object sum(Object a, Object b) {
    return (Double) a + (Double) b;
  }
}
