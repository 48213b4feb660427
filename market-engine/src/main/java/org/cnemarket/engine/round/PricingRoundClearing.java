package org.cnemarket.engine.round;

import java.util.ArrayList;
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
import org.cnemarket.engine.auction.ZoneFees;
import org.cnemarket.engine.round.energy.EnergyClearing;
import org.cnemarket.engine.round.energy.EnergySettings;
import org.cnemarket.engine.round.energy.EnergyTrade;

/**
 * A round as the market runs it. Energy clears first by the round's {@link
 * org.cnemarket.engine.round.energy.EnergyMechanism}; each provider's energy price and carbon
 * intensity then enter its compute cost, and the round's {@link ComputeMechanism} clears compute.
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
    Map<String, Object> energySummary = new LinkedHashMap<>();
    EnergyPrices energy = clearEnergy(in, byId, fills, energySummary);
    results.put("energy", energySummary);
    results.put("compute", in.parameters().compute().clear(in, energy, fills));
    Map<String, Object> mechanism = new LinkedHashMap<>(in.parameters().toJson());
    return new ClearingOutcome(fills, mechanism, results);
  }

  private static EnergyPrices clearEnergy(
      RoundInput in, Map<String, OpenOrder> byId, List<Fill> fills, Map<String, Object> summary) {
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
    RoundParameters p = in.parameters();
    summary.put("mechanism", p.energy().name());
    summary.put("bids", (long) bids.size());
    summary.put("asks", (long) asks.size());
    long price = 0;
    List<EnergyTrade> trades = List.of();
    if (!bids.isEmpty() && !asks.isEmpty()) {
      EnergyClearing c =
          Rounds.value(
              p.energy().clear(bids, asks, new EnergySettings(p.k(), p.lotWh(), ZoneFees.none())),
              "energy " + p.energy().name());
      summary.putAll(c.details());
      price = c.priceMicros();
      trades = c.trades();
    }
    Map<String, long[]> byBuyer = new TreeMap<>();
    long volume = 0;
    long green = 0;
    long fees = 0;
    for (EnergyTrade t : trades) {
      Order bid = byId.get(t.bidId()).order();
      Order ask = byId.get(t.askId()).order();
      long wh = t.quantityWh();
      long p0 = t.priceMicros();
      long g = ask.green() ? wh : 0;
      long carbon = Units.carbonMg(wh, ask.carbonMgPerKwh());
      fills.add(
          new Fill(
              OrderKind.Market.ENERGY, t.bidId(), t.askId(), wh, p0, g, carbon, t.feeMicros()));
      fees += t.feeMicros();
      // per buyer: Wh, value (Wh·micros/kWh), green Wh, carbon mg
      long[] acc = byBuyer.computeIfAbsent(bid.trader(), k -> new long[4]);
      acc[0] += wh;
      acc[1] += wh * p0;
      acc[2] += g;
      acc[3] += carbon;
      volume += wh;
      green += g;
    }
    summary.put("priceMicros", price);
    summary.put("volumeWh", volume);
    summary.put("greenWh", green);
    summary.put("platformFeesMicros", fees);
    return new EnergyPrices(price, byBuyer, offerWh == 0 ? 0 : carbonSum / offerWh);
  }
}
