package org.cnemarket.engine.round.energy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnemarket.core.model.Units;
import org.cnemarket.engine.auction.Ask;
import org.cnemarket.engine.auction.Bid;
import org.cnemarket.engine.auction.Fill;
import org.cnemarket.engine.auction.McAfeeAuction;
import org.cnemarket.engine.auction.McAfeeClearing;
import org.cnemarket.engine.pricing.Result;

/**
 * McAfee trade reduction in whole lots: truthful for unit traders; sellers receive a_t, buyers pay
 * b_t, and the spread is the platform's, settled as a fee.
 */
final class McAfeeEnergy implements EnergyMechanism {

  @Override
  public String name() {
    return "mcafee";
  }

  @Override
  public String description() {
    return "truthful trade reduction; the spread is a platform fee";
  }

  @Override
  public boolean tradesInLots() {
    return true;
  }

  @Override
  public Result<EnergyClearing> clear(List<Bid> bids, List<Ask> asks, EnergySettings settings) {
    // Each order takes part with the whole lots its remainder holds.
    long lot = settings.lotWh();
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
    if (lotBids.isEmpty() || lotAsks.isEmpty()) {
      return Result.ok(
          new EnergyClearing(
              List.of(), 0, Map.of("outcome", McAfeeClearing.Outcome.NO_TRADE.name())));
    }
    return McAfeeAuction.clear(lotBids, lotAsks, lot).map(McAfeeEnergy::clearing);
  }

  private static EnergyClearing clearing(McAfeeClearing mc) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("outcome", mc.outcome().name());
    details.put("buyerPriceMicros", mc.buyerPriceMicros().orElse(0));
    details.put("sellerPriceMicros", mc.sellerPriceMicros().orElse(0));
    List<EnergyTrade> trades = new ArrayList<>();
    for (Fill f : mc.fills()) {
      long fee =
          Units.amountMicros(f.quantityWh(), f.buyerPriceMicros())
              - Units.amountMicros(f.quantityWh(), f.sellerPriceMicros());
      trades.add(new EnergyTrade(f.bidId(), f.askId(), f.quantityWh(), f.sellerPriceMicros(), fee));
    }
    return new EnergyClearing(trades, mc.sellerPriceMicros().orElse(0), details);
  }

  @Override
  public Result<Map<String, Object>> whatIf(
      List<Bid> bids, List<Ask> asks, EnergySettings settings) {
    if (settings.lotWh() <= 0) {
      return Result.invalid("missing field 'lotWh' in input");
    }
    return McAfeeAuction.clear(bids, asks, settings.lotWh())
        .map(
            c -> {
              Map<String, Object> out = new LinkedHashMap<>();
              out.put("outcome", c.outcome().name());
              out.put("lotWh", c.lotWh());
              out.put("efficientLots", c.efficientLots());
              out.put("tradedLots", c.tradedLots());
              out.put("buyerPriceMicros", WhatIfReports.optional(c.buyerPriceMicros()));
              out.put("sellerPriceMicros", WhatIfReports.optional(c.sellerPriceMicros()));
              out.put("platformSurplusMicros", c.platformSurplusMicros());
              WhatIfReports.fillsAndUtilities(out, bids, asks, c.fills());
              return out;
            });
  }
}
