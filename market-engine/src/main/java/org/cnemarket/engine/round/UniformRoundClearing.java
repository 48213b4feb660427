package org.cnemarket.engine.round;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnemarket.core.model.OrderKind;

/**
 * Clears each market of a slot with a uniform-price k-double auction on the step curves:
 * bids by price descending, asks ascending, matched while bid ≥ ask; every fill clears at
 * a* + k (b* − a*) of the marginal pair, rounded down to whole micro-credits.
 */
public final class UniformRoundClearing implements RoundClearing {
  private final long kNumerator;
  private final long kDenominator;

  /** k = kNumerator / kDenominator in [0, 1]. */
  public UniformRoundClearing(long kNumerator, long kDenominator) {
    if (kDenominator <= 0 || kNumerator < 0 || kNumerator > kDenominator) {
      throw new IllegalArgumentException("k must be a fraction in [0, 1]");
    }
    this.kNumerator = kNumerator;
    this.kDenominator = kDenominator;
  }

  @Override
  public ClearingOutcome clear(long round, long slot, List<OpenOrder> orders) {
    List<Fill> fills = new ArrayList<>();
    Map<String, Object> results = new LinkedHashMap<>();
    for (OrderKind.Market market : OrderKind.Market.values()) {
      List<OpenOrder> bids = new ArrayList<>();
      List<OpenOrder> asks = new ArrayList<>();
      for (OpenOrder o : orders) {
        if (o.order().kind().market() == market && o.remaining() > 0) {
          (o.order().kind().side() == OrderKind.Side.BUY ? bids : asks).add(o);
        }
      }
      bids.sort(Comparator.comparingLong((OpenOrder o) -> -o.order().priceMicros()).thenComparing(OpenOrder::orderId));
      asks.sort(Comparator.comparingLong((OpenOrder o) -> o.order().priceMicros()).thenComparing(OpenOrder::orderId));
      List<long[]> matched = new ArrayList<>();
      List<String[]> ids = new ArrayList<>();
      int i = 0;
      int j = 0;
      long bidLeft = bids.isEmpty() ? 0 : bids.get(0).remaining();
      long askLeft = asks.isEmpty() ? 0 : asks.get(0).remaining();
      long marginalBid = 0;
      long marginalAsk = 0;
      while (i < bids.size() && j < asks.size()
          && bids.get(i).order().priceMicros() >= asks.get(j).order().priceMicros()) {
        long q = Math.min(bidLeft, askLeft);
        marginalBid = bids.get(i).order().priceMicros();
        marginalAsk = asks.get(j).order().priceMicros();
        matched.add(new long[] {q});
        ids.add(new String[] {bids.get(i).orderId(), asks.get(j).orderId()});
        bidLeft -= q;
        askLeft -= q;
        if (bidLeft == 0 && ++i < bids.size()) {
          bidLeft = bids.get(i).remaining();
        }
        if (askLeft == 0 && ++j < asks.size()) {
          askLeft = asks.get(j).remaining();
        }
      }
      long price = matched.isEmpty()
          ? 0
          : marginalAsk + Math.multiplyExact(marginalBid - marginalAsk, kNumerator) / kDenominator;
      long volume = 0;
      for (int m = 0; m < matched.size(); m++) {
        fills.add(new Fill(market, ids.get(m)[0], ids.get(m)[1], matched.get(m)[0], price));
        volume += matched.get(m)[0];
      }
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("priceMicros", price);
      r.put("volume", volume);
      r.put("bids", (long) bids.size());
      r.put("asks", (long) asks.size());
      results.put(market.name().toLowerCase(java.util.Locale.ROOT), r);
    }
    Map<String, Object> mechanism = new LinkedHashMap<>();
    mechanism.put("energy", "uniform-k-double-auction");
    mechanism.put("compute", "uniform-k-double-auction");
    mechanism.put("k", kNumerator + "/" + kDenominator);
    return new ClearingOutcome(fills, mechanism, results);
  }
}
