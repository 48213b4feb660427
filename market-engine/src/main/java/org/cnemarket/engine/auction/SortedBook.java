package org.cnemarket.engine.auction;

import java.util.List;
import java.util.concurrent.ForkJoinTask;

/**
 * Bids and asks copied into primitive arrays and sorted by index (bids by price desc, asks asc,
 * ties by id, see {@link PriceOrder}) without boxing: the hot path of the curve walk reads only
 * these arrays.
 */
final class SortedBook {

  final long[] bidQty;
  final long[] bidPrice;
  final int[] bidOrder;
  final long[] askQty;
  final long[] askPrice;
  final int[] askOrder;
  final String[]
      bidIds; // by input index: fills read ids here instead of dereferencing the orders again
  final String[] askIds;

  private static final int PARALLEL_MIN_ORDERS = 1 << 14;

  SortedBook(List<Bid> bids, List<Ask> asks) {
    int nb = bids.size();
    int na = asks.size();
    bidQty = new long[nb];
    bidPrice = new long[nb];
    String[] bidIds = new String[nb];
    for (int i = 0; i < nb; i++) {
      Bid b = bids.get(i);
      bidQty[i] = b.quantityWh();
      bidPrice[i] = b.priceMicros();
      bidIds[i] = b.id();
    }
    askQty = new long[na];
    askPrice = new long[na];
    String[] askIds = new String[na];
    for (int i = 0; i < na; i++) {
      Ask a = asks.get(i);
      askQty[i] = a.quantityWh();
      askPrice[i] = a.priceMicros();
      askIds[i] = a.id();
    }
    // The two sides are independent: sort the asks on the common pool while this thread sorts the
    // bids.
    // Each side's order is fixed by its keys alone, so the result is the same as sorting in
    // sequence.
    if (Math.min(nb, na) >= PARALLEL_MIN_ORDERS) {
      ForkJoinTask<int[]> asksSorted =
          ForkJoinTask.adapt(() -> PriceOrder.sort(askPrice, askIds, false)).fork();
      bidOrder = PriceOrder.sort(bidPrice, bidIds, true);
      askOrder = asksSorted.join();
    } else {
      bidOrder = PriceOrder.sort(bidPrice, bidIds, true);
      askOrder = PriceOrder.sort(askPrice, askIds, false);
    }
    this.bidIds = bidIds;
    this.askIds = askIds;
  }
}
