package org.cnemarket.engine.auction;

import java.util.List;
import org.cnemarket.engine.pricing.Result;

/**
 * Uniform-price k-double auction on step curves (one slot, one zone: green shares and zones are
 * ignored here; use {@link WelfareLp} when they must be honoured).
 *
 * <p>Bids are sorted by price descending, asks ascending, ties by id; the curves are walked to the
 * last Wh where bid ≥ ask. With b* and a* the marginal prices, every fill clears at {@code p = a* +
 * rint(k · (b* − a*))} (half to even), so a* ≤ p ≤ b*: individually rational and budget balanced.
 * Fills pair curve segments greedily in curve order.
 */
public interface UniformAuction {

  /** Default k: split the marginal spread evenly. */
  double DEFAULT_K = 0.5;

  /** The O(n log n) curve walk on primitive arrays. */
  static UniformAuction fast() {
    return CurveUniformAuction.INSTANCE;
  }

  /** The straightforward O(n²) reference used to test {@link #fast()}. */
  static UniformAuction reference() {
    return NaiveUniformAuction.INSTANCE;
  }

  Result<UniformClearing> clear(List<Bid> bids, List<Ask> asks, double k);

  default Result<UniformClearing> clear(List<Bid> bids, List<Ask> asks) {
    return clear(bids, asks, DEFAULT_K);
  }

  /**
   * The clearing price for marginal prices b* ≥ a*; shared so both implementations agree exactly.
   */
  static long clearingPrice(long marginalAskMicros, long marginalBidMicros, double k) {
    long spread = marginalBidMicros - marginalAskMicros;
    return marginalAskMicros + (long) Math.rint(k * spread);
  }
}
