package org.cnemarket.agents.agent;

/** Per-trader nonces, strictly increasing from a start (e.g. the slot times a stride). */
public final class Nonces {
  private long next;

  public Nonces(long start) {
    this.next = start;
  }

  public long next() {
    return next++;
  }

  /** Never go back below {@code floor} (e.g. after a restart). */
  public void atLeast(long floor) {
    next = Math.max(next, floor);
  }
}
