package org.cnemarket.engine.auction;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Shared input checks for all auctions; returns the first problem found. */
final class OrderValidation {

  private OrderValidation() {}

  static Optional<String> check(List<Bid> bids, List<Ask> asks) {
    if (bids == null || asks == null) {
      return Optional.of("bids and asks are required");
    }
    if (bids.isEmpty()) {
      return Optional.of("empty market: no bids");
    }
    if (asks.isEmpty()) {
      return Optional.of("empty market: no asks");
    }
    // Fast path for the common valid book: the same checks, with a cache-friendly duplicate test
    // instead
    // of one HashSet node per order. Anything it does not pass is re-checked in order below, so the
    // problem reported is still the first one, with the same message.
    if (valid(bids, asks)) {
      return Optional.empty();
    }
    return firstProblem(bids, asks);
  }

  private static Optional<String> firstProblem(List<Bid> bids, List<Ask> asks) {
    Set<String> ids = new HashSet<>(bids.size() * 2);
    long total = 0;
    for (Bid b : bids) {
      if (b == null || b.id() == null || b.id().isEmpty()) {
        return Optional.of("every bid needs a non-empty id");
      }
      if (!ids.add(b.id())) {
        return Optional.of("duplicate bid id " + b.id());
      }
      if (b.quantityWh() < 0) {
        return Optional.of("bid " + b.id() + ": negative quantityWh " + b.quantityWh());
      }
      if (b.priceMicros() < 0) {
        return Optional.of("bid " + b.id() + ": negative priceMicros " + b.priceMicros());
      }
      if (b.minGreenBps() < 0 || b.minGreenBps() > 10_000) {
        return Optional.of(
            "bid " + b.id() + ": minGreenBps must be in [0,10000], got " + b.minGreenBps());
      }
      total += b.quantityWh();
      if (total < 0) {
        return Optional.of("total bid quantity overflows a long");
      }
    }
    ids.clear();
    total = 0;
    for (Ask a : asks) {
      if (a == null || a.id() == null || a.id().isEmpty()) {
        return Optional.of("every ask needs a non-empty id");
      }
      if (!ids.add(a.id())) {
        return Optional.of("duplicate ask id " + a.id());
      }
      if (a.quantityWh() < 0) {
        return Optional.of("ask " + a.id() + ": negative quantityWh " + a.quantityWh());
      }
      if (a.priceMicros() < 0) {
        return Optional.of("ask " + a.id() + ": negative priceMicros " + a.priceMicros());
      }
      if (a.carbonMgPerKwh() < 0) {
        return Optional.of("ask " + a.id() + ": negative carbonMgPerKwh " + a.carbonMgPerKwh());
      }
      total += a.quantityWh();
      if (total < 0) {
        return Optional.of("total ask quantity overflows a long");
      }
    }
    return Optional.empty();
  }

  static Optional<String> checkK(double k) {
    if (!(k >= 0 && k <= 1)) {
      return Optional.of("k must be in [0,1], got " + k);
    }
    return Optional.empty();
  }

  /** True only if {@link #firstProblem} would find nothing (false may also mean "not sure"). */
  private static boolean valid(List<Bid> bids, List<Ask> asks) {
    String[] ids = new String[bids.size()];
    long total = 0;
    int i = 0;
    for (Bid b : bids) {
      if (b == null
          || b.id() == null
          || b.id().isEmpty()
          || b.quantityWh() < 0
          || b.priceMicros() < 0
          || b.minGreenBps() < 0
          || b.minGreenBps() > 10_000) {
        return false;
      }
      total += b.quantityWh();
      if (total < 0) {
        return false;
      }
      ids[i++] = b.id();
    }
    if (!distinct(ids)) {
      return false;
    }
    ids = new String[asks.size()];
    total = 0;
    i = 0;
    for (Ask a : asks) {
      if (a == null
          || a.id() == null
          || a.id().isEmpty()
          || a.quantityWh() < 0
          || a.priceMicros() < 0
          || a.carbonMgPerKwh() < 0) {
        return false;
      }
      total += a.quantityWh();
      if (total < 0) {
        return false;
      }
      ids[i++] = a.id();
    }
    return distinct(ids);
  }

  private static final int BUCKET_BITS_MIN_N = 1 << 10;
  private static final int MAX_PROBES = 64;

  /**
   * True if no two ids are equal; false if two are, or if hashes collide so much that probing gets
   * long (then the caller's HashSet, which copes with colliding Strings, decides). The ids are
   * first partitioned by the top bits of their mixed hash, so each partition's probe table stays in
   * cache.
   */
  static boolean distinct(String[] ids) {
    int n = ids.length;
    int[] hash = new int[n];
    for (int i = 0; i < n; i++) {
      hash[i] = ids[i].hashCode() * 0x9E3779B9; // odd multiplier: a bijection that spreads the bits
    }
    // About 512 ids per partition.
    int bits = n < BUCKET_BITS_MIN_N ? 0 : Math.min(16, 31 - Integer.numberOfLeadingZeros(n) - 9);
    int buckets = 1 << bits;
    int[] start = new int[buckets + 1];
    for (int i = 0; i < n; i++) {
      start[bucket(hash[i], bits) + 1]++;
    }
    int largest = 0;
    for (int b = 0; b < buckets; b++) {
      largest = Math.max(largest, start[b + 1]);
      start[b + 1] += start[b];
    }
    int[] fill = Arrays.copyOf(start, buckets);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[fill[bucket(hash[i], bits)]++] = i;
    }
    int tableBits =
        Math.max(2, 33 - Integer.numberOfLeadingZeros(Math.max(1, largest))); // load ≤ 1/2
    if (tableBits > 24) {
      return false; // one partition holds most ids: hashes collide, leave it to the HashSet
    }
    int[] table = new int[1 << tableBits]; // id index
    int[] owner =
        new int
            [1 << tableBits]; // partition + 1 that filled the slot: no clearing between partitions
    int mask = table.length - 1;
    for (int b = 0; b < buckets; b++) {
      for (int k = start[b]; k < start[b + 1]; k++) {
        int id = order[k];
        int h = hash[id];
        int slot = (h << bits) >>> (32 - tableBits); // the bits below the partition bits
        int probes = 0;
        while (owner[slot] == b + 1) {
          int other = table[slot];
          if ((hash[other] == h && ids[other].equals(ids[id])) || ++probes > MAX_PROBES) {
            return false;
          }
          slot = slot + 1 & mask;
        }
        table[slot] = id;
        owner[slot] = b + 1;
      }
    }
    return true;
  }

  private static int bucket(int hash, int bits) {
    return bits == 0 ? 0 : hash >>> (32 - bits);
  }
}
