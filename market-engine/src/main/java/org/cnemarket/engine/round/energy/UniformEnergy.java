package org.cnemarket.engine.round.energy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnemarket.engine.auction.Ask;
import org.cnemarket.engine.auction.Bid;
import org.cnemarket.engine.auction.Fill;
import org.cnemarket.engine.auction.UniformAuction;
import org.cnemarket.engine.auction.UniformClearing;
import org.cnemarket.engine.pricing.Result;

/** The k-double auction: one uniform price between the marginal bid and ask. */
final class UniformEnergy implements EnergyMechanism {

  @Override
  public String name() {
    return "uniform";
  }

  @Override
  public String description() {
    return "k-double auction at one uniform price";
  }

  @Override
  public Result<EnergyClearing> clear(List<Bid> bids, List<Ask> asks, EnergySettings settings) {
    return UniformAuction.fast()
        .clear(bids, asks, settings.k())
        .map(
            u -> {
              List<EnergyTrade> trades = new ArrayList<>();
              for (Fill f : u.fills()) {
                trades.add(
                    new EnergyTrade(f.bidId(), f.askId(), f.quantityWh(), f.buyerPriceMicros(), 0));
              }
              return new EnergyClearing(trades, u.clearingPriceMicros().orElse(0), Map.of());
            });
  }

  @Override
  public Result<Map<String, Object>> whatIf(
      List<Bid> bids, List<Ask> asks, EnergySettings settings) {
    return UniformAuction.fast()
        .clear(bids, asks, settings.k())
        .map(c -> report(bids, asks, settings, c));
  }

  private static Map<String, Object> report(
      List<Bid> bids, List<Ask> asks, EnergySettings settings, UniformClearing c) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("k", settings.k());
    out.put("clearingPriceMicros", WhatIfReports.optional(c.clearingPriceMicros()));
    out.put("marginalBidMicros", WhatIfReports.optional(c.marginalBidMicros()));
    out.put("marginalAskMicros", WhatIfReports.optional(c.marginalAskMicros()));
    out.put("tradedWh", c.tradedWh());
    out.put("welfareMicros", c.welfareMicros());
    WhatIfReports.fillsAndUtilities(out, bids, asks, c.fills());
    return out;
  }
}
