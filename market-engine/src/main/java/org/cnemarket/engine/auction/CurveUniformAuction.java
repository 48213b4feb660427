package org.cnemarket.engine.auction;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.cnemarket.engine.pricing.Result;

/** The O(n log n) uniform auction: sort primitive index arrays, then one linear walk of both curves. */
final class CurveUniformAuction implements UniformAuction {

    static final CurveUniformAuction INSTANCE = new CurveUniformAuction();

    private CurveUniformAuction() {
    }

    @Override
    public Result<UniformClearing> clear(List<Bid> bids, List<Ask> asks, double k) {
        Optional<String> problem = OrderValidation.checkK(k).or(() -> OrderValidation.check(bids, asks));
        if (problem.isPresent()) {
            return Result.invalid(problem.get());
        }
        SortedBook book = new SortedBook(bids, asks);
        int nb = bids.size();
        int na = asks.size();
        // Pass 1: walk the curves recording segment boundaries only; fills need the price, known at the end.
        int[] segBid = new int[nb + na];
        int[] segAsk = new int[nb + na];
        long[] segQty = new long[nb + na];
        int segments = 0;
        int i = 0;
        int j = 0;
        long bidLeft = nb > 0 ? book.bidQty[book.bidOrder[0]] : 0;
        long askLeft = na > 0 ? book.askQty[book.askOrder[0]] : 0;
        long traded = 0;
        double welfare = 0;
        long lastBid = 0;
        long lastAsk = 0;
        while (i < nb && j < na) {
            int b = book.bidOrder[i];
            int a = book.askOrder[j];
            if (book.bidPrice[b] < book.askPrice[a]) {
                break;
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
            segBid[segments] = b;
            segAsk[segments] = a;
            segQty[segments] = q;
            segments++;
            traded += q;
            welfare += (double) (book.bidPrice[b] - book.askPrice[a]) * q / 1000.0;
            lastBid = book.bidPrice[b];
            lastAsk = book.askPrice[a];
            bidLeft -= q;
            askLeft -= q;
        }
        if (segments == 0) {
            return Result.ok(UniformClearing.noTrade());
        }
        long price = UniformAuction.clearingPrice(lastAsk, lastBid, k);
        List<Fill> fills = new ArrayList<>(segments);
        for (int s = 0; s < segments; s++) {
            fills.add(new Fill(book.bidIds[segBid[s]], book.askIds[segAsk[s]], segQty[s], price, price));
        }
        return Result.ok(new UniformClearing(OptionalLong.of(price), OptionalLong.of(lastBid), OptionalLong.of(lastAsk),
                traded, welfare, fills));
    }
}
