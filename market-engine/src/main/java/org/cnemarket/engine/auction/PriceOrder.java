package org.cnemarket.engine.auction;

import java.util.Arrays;

/**
 * The order of one side of the book: price (ascending or descending), ties by id, remaining ties by
 * index — exactly what a stable sort of 0..n-1 under the (price, id) comparator gives.
 *
 * <p>Fast path: (price, index) packed into one long per order and sorted with {@link
 * Arrays#sort(long[])}, then each run of equal prices re-ordered by id. Comparing ids is the
 * expensive part (three dereferences per String), so each id's first four chars are packed into a
 * long up front, while the orders are still read in list order; the full String comparison is only
 * needed when those prefixes are equal.
 */
final class PriceOrder {

  /** Runs of equal prices up to this length are insertion-sorted; longer ones merge-sorted. */
  private static final int INSERTION_RUN = 16;

  private PriceOrder() {}

  /**
   * @param prices ≥ 0 (validated by {@link OrderValidation})
   * @param ids tie-break, compared with {@link String#compareTo}
   * @param descending bids: highest price first
   */
  static int[] sort(long[] prices, String[] ids, boolean descending) {
    int n = prices.length;
    long max = 0;
    for (long p : prices) {
      max = Math.max(max, p);
    }
    int indexBits = Math.max(1, 32 - Integer.numberOfLeadingZeros(n - 1));
    if (n == 0 || max >>> (63 - indexBits) != 0) {
      return comparatorSort(
          prices, ids, descending); // prices too large to pack: never at realistic prices
    }
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      long p = descending ? max - prices[i] : prices[i];
      keys[i] = p << indexBits | i;
    }
    Arrays.sort(keys);
    long mask = (1L << indexBits) - 1;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = (int) (keys[i] & mask);
    }
    long[] idPrefix = null;
    int i = 0;
    while (i < n) {
      long p = keys[i] >>> indexBits;
      int end = i + 1;
      while (end < n && keys[end] >>> indexBits == p) {
        end++;
      }
      if (end - i > 1) {
        if (idPrefix == null) {
          idPrefix = prefixes(ids);
        }
        sortRunById(order, i, end, ids, idPrefix);
      }
      i = end;
    }
    return order;
  }

  /** The reference order: stable merge sort under the (price, id) comparator. */
  static int[] comparatorSort(long[] prices, String[] ids, boolean descending) {
    return IndexSort.sort(
        prices.length,
        (x, y) -> {
          int c =
              descending ? Long.compare(prices[y], prices[x]) : Long.compare(prices[x], prices[y]);
          return c != 0 ? c : ids[x].compareTo(ids[y]);
        });
  }

  /**
   * The first four UTF-16 chars, 16 bits each, missing chars as 0. Unsigned order of different
   * prefixes is the {@link String#compareTo} order (a shorter string pads with 0 ≤ any char); equal
   * prefixes decide nothing.
   */
  static long prefix(String s) {
    long k = 0;
    int len = s.length();
    for (int c = 0; c < 4; c++) {
      k = k << 16 | (c < len ? s.charAt(c) : 0);
    }
    return k;
  }

  private static long[] prefixes(String[] ids) {
    long[] out = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = prefix(ids[i]);
    }
    return out;
  }

  private static int compareIds(int x, int y, String[] ids, long[] idPrefix) {
    int c = Long.compareUnsigned(idPrefix[x], idPrefix[y]);
    return c != 0 ? c : ids[x].compareTo(ids[y]);
  }

  /**
   * Stable (the run is in index order), so equal ids stay in index order as in the comparator sort.
   */
  private static void sortRunById(int[] order, int from, int to, String[] ids, long[] idPrefix) {
    if (to - from <= INSERTION_RUN) {
      for (int i = from + 1; i < to; i++) {
        int v = order[i];
        int j = i - 1;
        while (j >= from && compareIds(order[j], v, ids, idPrefix) > 0) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = v;
      }
      return;
    }
    int[] run = Arrays.copyOfRange(order, from, to);
    int[] sorted = IndexSort.sort(run.length, (x, y) -> compareIds(run[x], run[y], ids, idPrefix));
    for (int i = 0; i < sorted.length; i++) {
      order[from + i] = run[sorted[i]];
    }
  }
}
