package org.cnemarket.engine.auction;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.cnemarket.engine.pricing.Result;

/**
 * The O(n log n) uniform auction: sort primitive index arrays, then one linear walk of both curves.
 */
final class CurveUniformAuction implements UniformAuction {

  static final CurveUniformAuction INSTANCE = new CurveUniformAuction();

  private CurveUniformAuction() {}

  @Override
  public Result<UniformClearing> clear(List<Bid> bids, List<Ask> asks, double k) {
    Optional<String> problem =
        OrderValidation.checkK(k).or(() -> OrderValidation.check(bids, asks));
    if (problem.isPresent()) {
      return Result.invalid(problem.get());
    }
    SortedBook book = new SortedBook(bids, asks);
    // Pass 1 walks the curves for the marginal prices, totals and segment count; pass 2 repeats the
    // same
    // walk and creates the fills, whose price is only known after pass 1. Walking twice is cheaper
    // than
    // buffering up to nb + na segments (three arrays of that length) between the passes.
    Walk walk = new Walk(book);
    int segments = 0;
    long traded = 0;
    double welfare = 0;
    long lastBid = 0;
    long lastAsk = 0;
    while (walk.next()) {
      long bidPrice = book.bidPrice[walk.bid];
      long askPrice = book.askPrice[walk.ask];
      segments++;
      traded += walk.qty;
      welfare += (double) (bidPrice - askPrice) * walk.qty / 1000.0;
      lastBid = bidPrice;
      lastAsk = askPrice;
    }
    if (segments == 0) {
      return Result.ok(UniformClearing.noTrade());
    }
    long price = UniformAuction.clearingPrice(lastAsk, lastBid, k);
    Fill[] fills = new Fill[segments];
    walk = new Walk(book);
    for (int s = 0; s < segments && walk.next(); s++) {
      fills[s] = new Fill(book.bidIds[walk.bid], book.askIds[walk.ask], walk.qty, price, price);
    }
    return Result.ok(
        new UniformClearing(
            OptionalLong.of(price),
            OptionalLong.of(lastBid),
            OptionalLong.of(lastAsk),
            traded,
            welfare,
            List.of(fills))); // immutable already: the record keeps it without copying
  }

  /** Cursor over the crossing part of both curves, one segment (bid, ask, Wh) per {@link #next}. */
  private static final class Walk {
    private final SortedBook book;
    private final int nb;
    private final int na;
    private int i;
    private int j;
    private long bidLeft;
    private long askLeft;
    int bid;
    int ask;
    long qty;

    Walk(SortedBook book) {
      this.book = book;
      nb = book.bidOrder.length;
      na = book.askOrder.length;
      bidLeft = nb > 0 ? book.bidQty[book.bidOrder[0]] : 0;
      askLeft = na > 0 ? book.askQty[book.askOrder[0]] : 0;
    }

    /** Advances to the next segment where bid ≥ ask; false when the curves no longer cross. */
    boolean next() {
      while (i < nb && j < na) {
        int b = book.bidOrder[i];
        int a = book.askOrder[j];
        if (book.bidPrice[b] < book.askPrice[a]) {
          return false;
        }
        if (bidLeft == 0) {
          if (++i < nb) {
            bidLeft = book.bidQty[book.bidOrder[i]];
          }
          continue;
        }
        if (askLeft == 0) {
          if (++j < na) {
            askLeft = book.askQty[book.askOrder[j]];
          }
          continue;
        }
        long q = Math.min(bidLeft, askLeft);
        bid = b;
        ask = a;
        qty = q;
        bidLeft -= q;
        askLeft -= q;
        return true;
      }
      return false;
    }
  }
}
