package org.cnemarket.engine.auction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

class UniformAuctionPropertiesTest {

  @Provide
  Arbitrary<Markets.Book> books() {
    return Markets.books(25, 20, 30);
  }

  @Property(tries = 300)
  void fastEqualsReference(
      @ForAll("books") Markets.Book book, @ForAll @DoubleRange(min = 0, max = 1) double k) {
    assertThat(UniformAuction.fast().clear(book.bids(), book.asks(), k))
        .isEqualTo(UniformAuction.reference().clear(book.bids(), book.asks(), k));
  }

  @Property(tries = 300)
  void individuallyRationalAndBudgetBalanced(
      @ForAll("books") Markets.Book book, @ForAll @DoubleRange(min = 0, max = 1) double k) {
    UniformClearing c = UniformAuction.fast().clear(book.bids(), book.asks(), k).orElseThrow();
    Map<String, Bid> bids =
        book.bids().stream().collect(Collectors.toMap(Bid::id, Function.identity()));
    Map<String, Ask> asks =
        book.asks().stream().collect(Collectors.toMap(Ask::id, Function.identity()));
    Map<String, Long> boughtWh = new HashMap<>();
    Map<String, Long> soldWh = new HashMap<>();
    for (Fill f : c.fills()) {
      assertThat(f.buyerPriceMicros()).isLessThanOrEqualTo(bids.get(f.bidId()).priceMicros());
      assertThat(f.sellerPriceMicros()).isGreaterThanOrEqualTo(asks.get(f.askId()).priceMicros());
      // Budget balance: what buyers pay is exactly what sellers receive.
      assertThat(f.buyerPriceMicros()).isEqualTo(f.sellerPriceMicros());
      assertThat(f.quantityWh()).isPositive();
      boughtWh.merge(f.bidId(), f.quantityWh(), Long::sum);
      soldWh.merge(f.askId(), f.quantityWh(), Long::sum);
    }
    boughtWh.forEach((id, q) -> assertThat(q).isLessThanOrEqualTo(bids.get(id).quantityWh()));
    soldWh.forEach((id, q) -> assertThat(q).isLessThanOrEqualTo(asks.get(id).quantityWh()));
  }
}
