package org.cnemarket.engine.auction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The packed (price, index) sort must give exactly the comparator order, ties by id included. */
class PriceOrderTest {

  /**
   * Few prices (long tie runs) and ids that share prefixes, are prefixes of each other, or use high
   * chars.
   */
  @Provide
  Arbitrary<List<String>> ids() {
    return Arbitraries.strings()
        .withChars('a', 'b', '\u0000', '\u00e9', '\uffff')
        .ofMinLength(0)
        .ofMaxLength(6)
        .list()
        .ofMinSize(0)
        .ofMaxSize(60);
  }

  @Property(tries = 500)
  void packedSortEqualsComparatorSort(@ForAll("ids") List<String> idList, @ForAll long seed) {
    int n = idList.size();
    String[] ids =
        idList.toArray(
            String[]::new); // duplicates too: then the index decides, as in a stable sort
    long[] prices = new long[n];
    Random r = new Random(seed);
    int distinct = 1 + r.nextInt(4);
    for (int i = 0; i < n; i++) {
      prices[i] = 40_000 + r.nextInt(distinct);
    }
    for (boolean descending : new boolean[] {true, false}) {
      assertThat(PriceOrder.sort(prices, ids, descending))
          .containsExactly(PriceOrder.comparatorSort(prices, ids, descending));
    }
  }

  @Test
  void longTieRunAndUnpackablePrices() {
    int n = 200;
    String[] ids = new String[n];
    long[] prices = new long[n];
    long[] huge = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = "id" + (i * 7919 % n);
      prices[i] = i % 3 == 0 ? 5 : 7;
      huge[i] = i % 2 == 0 ? Long.MAX_VALUE : 0;
    }
    for (boolean descending : new boolean[] {true, false}) {
      assertThat(PriceOrder.sort(prices, ids, descending))
          .containsExactly(PriceOrder.comparatorSort(prices, ids, descending));
      assertThat(PriceOrder.sort(huge, ids, descending))
          .containsExactly(PriceOrder.comparatorSort(huge, ids, descending));
    }
  }

  @Test
  void prefixOrderAgreesWithCompareTo() {
    List<String> s = List.of("", "a", "a\u0000", "ab", "abcd", "abcde", "\uffff", "\u00e9x", "b");
    for (String x : s) {
      for (String y : s) {
        int p = Long.compareUnsigned(PriceOrder.prefix(x), PriceOrder.prefix(y));
        if (p != 0) {
          assertThat(Integer.signum(p)).isEqualTo(Integer.signum(x.compareTo(y)));
        }
      }
    }
  }

  @Property(tries = 300)
  void distinctAgreesWithHashSet(@ForAll("ids") List<String> idList) {
    // Only a "true" must be exact: false may also mean "let the HashSet decide".
    if (OrderValidation.distinct(idList.toArray(String[]::new))) {
      assertThat(new HashSet<>(idList)).hasSize(idList.size());
    }
    assertThat(OrderValidation.distinct(idList.stream().distinct().toArray(String[]::new)))
        .isTrue();
  }

  @Test
  void distinctOnManyIds() {
    String[] ids = new String[100_000];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = "o" + i;
    }
    assertThat(OrderValidation.distinct(ids)).isTrue();
    ids[77_777] = "o12345";
    assertThat(OrderValidation.distinct(ids)).isFalse();
  }
}
