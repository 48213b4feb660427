package org.cnemarket.engine.auction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class McAfeePropertiesTest {

  record UnitMarket(long[] bidValues, long[] askCosts) {}

  @Provide
  Arbitrary<UnitMarket> markets() {
    Arbitrary<long[]> side =
        Arbitraries.longs().between(0, 20).array(long[].class).ofMinSize(1).ofMaxSize(8);
    return side.flatMap(b -> side.map(a -> new UnitMarket(b, a)));
  }

  private static List<Bid> bids(long[] prices) {
    List<Bid> out = new ArrayList<>();
    for (int i = 0; i < prices.length; i++) {
      out.add(Bid.of("b" + i, 1, prices[i]));
    }
    return out;
  }

  private static List<Ask> asks(long[] prices) {
    List<Ask> out = new ArrayList<>();
    for (int i = 0; i < prices.length; i++) {
      out.add(Ask.of("a" + i, 1, prices[i]));
    }
    return out;
  }

  /**
   * Utility of buyer i with true value v: (v − price) if it trades; prices are per lot here (lot =
   * 1).
   */
  private static long buyerUtility(McAfeeClearing c, String id, long value) {
    return c.fills().stream()
        .filter(f -> f.bidId().equals(id))
        .mapToLong(f -> value - f.buyerPriceMicros())
        .sum();
  }

  private static long sellerUtility(McAfeeClearing c, String id, long cost) {
    return c.fills().stream()
        .filter(f -> f.askId().equals(id))
        .mapToLong(f -> f.sellerPriceMicros() - cost)
        .sum();
  }

  @Property(tries = 300)
  void individuallyRationalAndWeaklyBudgetBalanced(@ForAll("markets") UnitMarket m) {
    McAfeeClearing c =
        McAfeeAuction.clear(bids(m.bidValues()), asks(m.askCosts()), 1).orElseThrow();
    for (int i = 0; i < m.bidValues().length; i++) {
      assertThat(buyerUtility(c, "b" + i, m.bidValues()[i])).isGreaterThanOrEqualTo(0);
    }
    for (int i = 0; i < m.askCosts().length; i++) {
      assertThat(sellerUtility(c, "a" + i, m.askCosts()[i])).isGreaterThanOrEqualTo(0);
    }
    assertThat(c.platformSurplusMicros()).isGreaterThanOrEqualTo(0);
    for (Fill f : c.fills()) {
      assertThat(f.buyerPriceMicros()).isGreaterThanOrEqualTo(f.sellerPriceMicros());
    }
  }

  @Property(tries = 200)
  void noSingleTraderGainsByMisreporting(@ForAll("markets") UnitMarket m) {
    McAfeeClearing truthful =
        McAfeeAuction.clear(bids(m.bidValues()), asks(m.askCosts()), 1).orElseThrow();
    for (int i = 0; i < m.bidValues().length; i++) {
      long value = m.bidValues()[i];
      long honest = buyerUtility(truthful, "b" + i, value);
      for (long report = 0; report <= 21; report++) {
        long[] lie = m.bidValues().clone();
        lie[i] = report;
        McAfeeClearing c = McAfeeAuction.clear(bids(lie), asks(m.askCosts()), 1).orElseThrow();
        assertThat(buyerUtility(c, "b" + i, value))
            .as("buyer b%d reporting %d", i, report)
            .isLessThanOrEqualTo(honest);
      }
    }
    for (int j = 0; j < m.askCosts().length; j++) {
      long cost = m.askCosts()[j];
      long honest = sellerUtility(truthful, "a" + j, cost);
      for (long report = 0; report <= 21; report++) {
        long[] lie = m.askCosts().clone();
        lie[j] = report;
        McAfeeClearing c = McAfeeAuction.clear(bids(m.bidValues()), asks(lie), 1).orElseThrow();
        assertThat(sellerUtility(c, "a" + j, cost))
            .as("seller a%d reporting %d", j, report)
            .isLessThanOrEqualTo(honest);
      }
    }
  }
}
