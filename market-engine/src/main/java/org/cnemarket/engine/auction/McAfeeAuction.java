package org.cnemarket.engine.auction;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.cnemarket.engine.pricing.Result;

/**
 * McAfee (1992) trade reduction on unit lots. Each order is a number of lots of {@code lotWh} (its
 * quantity must be a multiple); truthfulness is the classic single-unit result, so single-lot
 * orders are the intended use. Curves are walked in lots without expanding them into units.
 *
 * <p>p0 = (b_{t+1} + a_{t+1}) / 2 is rounded down to a whole micro-credit; because a_t ≤ p0 ≤ b_t
 * is tested exactly (on doubled integers) the rounded price stays within [a_t, b_t], and it depends
 * only on non-trading orders, so rounding does not affect truthfulness.
 */
public final class McAfeeAuction {

  private McAfeeAuction() {}

  public static Result<McAfeeClearing> clear(List<Bid> bids, List<Ask> asks, long lotWh) {
    if (lotWh <= 0) {
      return Result.invalid("lotWh must be > 0, got " + lotWh);
    }
    Optional<String> problem = OrderValidation.check(bids, asks);
    if (problem.isPresent()) {
      return Result.invalid(problem.get());
    }
    for (Bid b : bids) {
      if (b.quantityWh() % lotWh != 0) {
        return Result.invalid(
            "bid "
                + b.id()
                + ": quantityWh "
                + b.quantityWh()
                + " is not a multiple of lotWh "
                + lotWh);
      }
    }
    for (Ask a : asks) {
      if (a.quantityWh() % lotWh != 0) {
        return Result.invalid(
            "ask "
                + a.id()
                + ": quantityWh "
                + a.quantityWh()
                + " is not a multiple of lotWh "
                + lotWh);
      }
    }
    SortedBook book = new SortedBook(bids, asks);
    Curve bidCurve = new Curve(book.bidOrder, book.bidQty, book.bidPrice, lotWh);
    Curve askCurve = new Curve(book.askOrder, book.askQty, book.askPrice, lotWh);

    // Count t, the efficient unit trades, walking both curves in lots.
    long t = 0;
    long bt = 0;
    long at = 0;
    while (bidCurve.hasUnit() && askCurve.hasUnit() && bidCurve.price() >= askCurve.price()) {
      long q = Math.min(bidCurve.left, askCurve.left);
      bt = bidCurve.price();
      at = askCurve.price();
      t += q;
      bidCurve.take(q);
      askCurve.take(q);
    }
    if (t == 0) {
      return Result.ok(noTrade(0, lotWh));
    }
    if (bidCurve.hasUnit() && askCurve.hasUnit()) {
      long sum = bidCurve.price() + askCurve.price(); // b_{t+1} + a_{t+1}
      if (2 * at <= sum && sum <= 2 * bt) {
        long p0 = Math.floorDiv(sum, 2);
        return Result.ok(
            settle(bids, asks, book, lotWh, t, t, p0, p0, McAfeeClearing.Outcome.SINGLE_PRICE));
      }
    }
    if (t == 1) {
      return Result.ok(noTrade(1, lotWh));
    }
    return Result.ok(
        settle(bids, asks, book, lotWh, t, t - 1, bt, at, McAfeeClearing.Outcome.TRADE_REDUCTION));
  }

  private static McAfeeClearing noTrade(long efficient, long lotWh) {
    return new McAfeeClearing(
        McAfeeClearing.Outcome.NO_TRADE,
        efficient,
        0,
        lotWh,
        OptionalLong.empty(),
        OptionalLong.empty(),
        0.0,
        List.of());
  }

  private static McAfeeClearing settle(
      List<Bid> bids,
      List<Ask> asks,
      SortedBook book,
      long lotWh,
      long efficient,
      long lots,
      long buyerPrice,
      long sellerPrice,
      McAfeeClearing.Outcome outcome) {
    Curve bidCurve = new Curve(book.bidOrder, book.bidQty, book.bidPrice, lotWh);
    Curve askCurve = new Curve(book.askOrder, book.askQty, book.askPrice, lotWh);
    List<Fill> fills = new ArrayList<>();
    long remaining = lots;
    while (remaining > 0) {
      bidCurve.hasUnit();
      askCurve.hasUnit();
      long q = Math.min(remaining, Math.min(bidCurve.left, askCurve.left));
      fills.add(
          new Fill(
              bids.get(bidCurve.current()).id(),
              asks.get(askCurve.current()).id(),
              q * lotWh,
              buyerPrice,
              sellerPrice));
      bidCurve.take(q);
      askCurve.take(q);
      remaining -= q;
    }
    double surplus = (double) (buyerPrice - sellerPrice) * lots * lotWh / 1000.0;
    return new McAfeeClearing(
        outcome,
        efficient,
        lots,
        lotWh,
        OptionalLong.of(buyerPrice),
        OptionalLong.of(sellerPrice),
        surplus,
        fills);
  }

  /** Cursor over a sorted side, in lots; skips empty orders. */
  private static final class Curve {
    private final int[] order;
    private final long[] qty;
    private final long[] prices;
    private final long lotWh;
    private int pos = -1;
    long left;

    Curve(int[] order, long[] qty, long[] prices, long lotWh) {
      this.order = order;
      this.qty = qty;
      this.prices = prices;
      this.lotWh = lotWh;
    }

    boolean hasUnit() {
      while (left == 0) {
        if (++pos >= order.length) {
          pos = order.length;
          return false;
        }
        left = qty[order[pos]] / lotWh;
      }
      return true;
    }

    int current() {
      return order[pos];
    }

    long price() {
      return prices[order[pos]];
    }

    void take(long lots) {
      left -= lots;
    }
  }
}
