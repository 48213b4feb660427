package org.cnemarket.engine.ledger;

/** Credits of an account in micro-credits: spendable and locked in escrow. */
public record Balance(String account, long availableMicros, long escrowMicros) {
  public long totalMicros() {
    return Math.addExact(availableMicros, escrowMicros);
  }
}
