package org.cnemarket.engine.web;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per caller: {@code burst} requests at once, refilled at {@code perSecond}. Kept in
 * memory on purpose: a limit is protection, not state, and losing it on restart is harmless.
 */
public final class RateLimiter {
  private final double perSecond;
  private final int burst;
  private final LongSupplier nanos;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  private static final class Bucket {
    double tokens;
    long lastNanos;

    Bucket(double tokens, long lastNanos) {
      this.tokens = tokens;
      this.lastNanos = lastNanos;
    }
  }

  public RateLimiter(double perSecond, int burst, LongSupplier nanos) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanos = nanos;
  }

  /**
   * Takes one token for {@code caller}; returns 0 when allowed, else seconds to wait (at least 1).
   */
  public long acquire(String caller) {
    long now = nanos.getAsLong();
    if (buckets.size() > 100_000) {
      // Bound memory under a flood of distinct callers: old buckets are full anyway after a while.
      buckets.clear();
    }
    Bucket b = buckets.computeIfAbsent(caller, k -> new Bucket(burst, now));
    synchronized (b) {
      b.tokens = Math.min(burst, b.tokens + (now - b.lastNanos) / 1e9 * perSecond);
      b.lastNanos = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - b.tokens) / perSecond));
    }
  }
}
