package org.cnemarket.engine.round;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.engine.auction.Ask;
import org.cnemarket.engine.auction.Bid;
import org.cnemarket.engine.auction.UniformAuction;
import org.cnemarket.engine.auction.UniformClearing;

/** Compute as a k-double auction of demand against offers, at one uniform price. */
final class UniformCompute implements ComputeMechanism {

  @Override
  public String name() {
    return "uniform";
  }

  @Override
  public String description() {
    return "k-double auction at one uniform price";
  }

  @Override
  public boolean providersSetPrices() {
    return false;
  }

  /** None of its own: the k-double auction's what-if is the energy one of the same name. */
  @Override
  public Optional<WhatIf> whatIf() {
    return Optional.empty();
  }

  @Override
  public Map<String, Object> clear(RoundInput in, EnergyPrices energy, List<Fill> fills) {
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
          Rounds.value(
              UniformAuction.fast().clear(bids, asks, in.parameters().k()), "compute auction");
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
}
