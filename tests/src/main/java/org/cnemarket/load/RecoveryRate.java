package org.cnemarket.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.cnemarket.core.crypto.Secp256k1;

/**
 * The raw rate at which this machine's cores recover the signers of order digests with the same
 * code the engine uses ({@code Secp256k1.recoverAddress}): one thread per core, each cycling over
 * pre-signed orders, after a warm-up.
 */
final class RecoveryRate {
  private RecoveryRate() {}

  /** Recoveries per second of all {@code threads} together. */
  static double measure(List<PreparedOrder> sample, int threads, Duration warmup, Duration window)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    List<AtomicLong> counts = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    AtomicLong wrong = new AtomicLong();
    for (int t = 0; t < threads; t++) {
      AtomicLong count = new AtomicLong();
      counts.add(count);
      int offset = t * 7919;
      Thread w = new Thread(() -> {
        int i = offset;
        while (!stop.get()) {
          PreparedOrder o = sample.get(Math.floorMod(i++, sample.size()));
          String who = Secp256k1.recoverAddress(o.digest(), o.signed().signature()).orElse(null);
          // Checked so the work cannot be optimised away and a broken sample cannot pass unseen.
          if (!o.signed().order().trader().equals(who)) {
            wrong.incrementAndGet();
          }
          count.incrementAndGet();
        }
      }, "recover-" + t);
      w.setDaemon(true);
      workers.add(w);
    }
    workers.forEach(Thread::start);
    Thread.sleep(warmup.toMillis());
    long before = sum(counts);
    long t0 = System.nanoTime();
    Thread.sleep(window.toMillis());
    long after = sum(counts);
    long t1 = System.nanoTime();
    stop.set(true);
    for (Thread w : workers) {
      w.join();
    }
    if (wrong.get() > 0) {
      throw new IllegalStateException(wrong.get() + " recoveries did not give the order's trader");
    }
    return (after - before) * 1e9 / (t1 - t0);
  }

  private static long sum(List<AtomicLong> counts) {
    long s = 0;
    for (AtomicLong c : counts) {
      s += c.get();
    }
    return s;
  }
}
