package org.cnemarket.engine.auction;

/** Stable merge sort of the indices 0..n-1 under a primitive comparator (no Integer boxing). */
final class IndexSort {

  @FunctionalInterface
  interface IndexComparator {
    int compare(int a, int b);
  }

  private static final int INSERTION_THRESHOLD = 24;

  private IndexSort() {}

  static int[] sort(int n, IndexComparator cmp) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    int[] tmp = new int[n];
    mergeSort(a, tmp, 0, n, cmp);
    return a;
  }

  private static void mergeSort(int[] a, int[] tmp, int lo, int hi, IndexComparator cmp) {
    if (hi - lo <= INSERTION_THRESHOLD) {
      for (int i = lo + 1; i < hi; i++) {
        int v = a[i];
        int j = i - 1;
        while (j >= lo && cmp.compare(a[j], v) > 0) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = v;
      }
      return;
    }
    int mid = (lo + hi) >>> 1;
    mergeSort(a, tmp, lo, mid, cmp);
    mergeSort(a, tmp, mid, hi, cmp);
    if (cmp.compare(a[mid - 1], a[mid]) <= 0) {
      return; // already ordered: common for pre-sorted books
    }
    System.arraycopy(a, lo, tmp, lo, hi - lo);
    int i = lo;
    int j = mid;
    for (int k = lo; k < hi; k++) {
      if (j >= hi || (i < mid && cmp.compare(tmp[i], tmp[j]) <= 0)) {
        a[k] = tmp[i++];
      } else {
        a[k] = tmp[j++];
      }
    }
  }
}
