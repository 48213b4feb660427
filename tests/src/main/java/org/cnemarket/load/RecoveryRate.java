package org.cnemarket.load;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.cnemarket.core.crypto.Secp256k1;

/**
 * The raw rate at which this machine's cores recover the signers of order digests with the same
 * code the engine uses ({@code Secp256k1.recoverAddress}): one thread per core, each cycling over
 * pre-signed orders, after a warm-up measured in CPU time per thread.
 */
final class RecoveryRate {
  private RecoveryRate() {}

  /**
   * Recoveries per second of all threads together (wall clock), and per second of CPU time the
   * threads actually got: on a machine shared with other work the first falls with the load, the
   * second does not.
   */
  record Rate(double perSecond, double perCpuSecond) {}

  /**
   * A short measurement between two passes (the recovery code is compiled by then): 1 CPU-second
   * per thread of warm-up, 3 seconds measured.
   */
  static Rate between(List<PreparedOrder> all, int threads) throws InterruptedException {
    return measure(sample(all), threads, Duration.ofSeconds(1), Duration.ofSeconds(3));
  }

  /** The orders a measurement cycles over: the first 4,096 of the run's. */
  static List<PreparedOrder> sample(List<PreparedOrder> all) {
    return all.subList(0, Math.min(all.size(), 4096));
  }

  static Rate measure(List<PreparedOrder> sample, int threads, Duration warmup, Duration window)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    List<AtomicLong> counts = new ArrayList<>();
    List<AtomicLong> cpuStart = new ArrayList<>();
    List<AtomicLong> cpuEnd = new ArrayList<>();
    List<AtomicLong> countStart = new ArrayList<>();
    List<AtomicLong> countEnd = new ArrayList<>();
    AtomicBoolean measuring = new AtomicBoolean();
    List<Thread> workers = new ArrayList<>();
    AtomicLong wrong = new AtomicLong();
    for (int t = 0; t < threads; t++) {
      AtomicLong count = new AtomicLong();
      counts.add(count);
      AtomicLong c0 = new AtomicLong(-1);
      AtomicLong c1 = new AtomicLong(-1);
      AtomicLong n0 = new AtomicLong();
      AtomicLong n1 = new AtomicLong();
      cpuStart.add(c0);
      cpuEnd.add(c1);
      countStart.add(n0);
      countEnd.add(n1);
      int offset = t * 7919;
      Thread w =
          new Thread(
              () -> {
                int i = offset;
                ThreadMXBean mx = ManagementFactory.getThreadMXBean();
                long local = 0;
                while (!stop.get()) {
                  if (measuring.get() && c0.get() < 0) {
                    c0.set(mx.getCurrentThreadCpuTime());
                    n0.set(local);
                  }
                  PreparedOrder o = sample.get(Math.floorMod(i++, sample.size()));
                  String who =
                      Secp256k1.recoverAddress(o.digest(), o.signed().signature()).orElse(null);
                  // Checked so the work cannot be optimised away and a broken sample cannot pass
                  // unseen.
                  if (!o.signed().order().trader().equals(who)) {
                    wrong.incrementAndGet();
                  }
                  count.incrementAndGet();
                  local++;
                }
                c1.set(mx.getCurrentThreadCpuTime());
                n1.set(local);
              },
              "recover-" + t);
      w.setDaemon(true);
      workers.add(w);
    }
    workers.forEach(Thread::start);
    // Warm up by CPU time, not wall time: on a busy machine a wall-clock warm-up may end before the
    // JIT did.
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long wallLimit = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < wallLimit
        && workers.stream().anyMatch(w -> mx.getThreadCpuTime(w.getId()) < warmup.toNanos())) {
      Thread.sleep(100);
    }
    long before = sum(counts);
    long t0 = System.nanoTime();
    measuring.set(true);
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
    long cpu = 0;
    long done = 0;
    for (int t = 0; t < threads; t++) {
      if (cpuStart.get(t).get() >= 0) {
        cpu += cpuEnd.get(t).get() - cpuStart.get(t).get();
        done += countEnd.get(t).get() - countStart.get(t).get();
      }
    }
    return new Rate((after - before) * 1e9 / (t1 - t0), cpu == 0 ? Double.NaN : done * 1e9 / cpu);
  }

  private static long sum(List<AtomicLong> counts) {
    long s = 0;
    for (AtomicLong c : counts) {
      s += c.get();
    }
    return s;
  }
}
