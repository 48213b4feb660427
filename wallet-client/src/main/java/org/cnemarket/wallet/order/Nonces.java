package org.cnemarket.wallet.order;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Default nonces: the current time in milliseconds, strictly increasing within this JVM, so two
 * orders signed in the same millisecond still get different nonces.
 */
public final class Nonces {
  private static final AtomicLong LAST = new AtomicLong();

  private Nonces() {}

  public static long next() {
    long now = System.currentTimeMillis();
    return LAST.updateAndGet(prev -> Math.max(prev + 1, now));
  }
}
