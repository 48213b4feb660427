package org.cnemarket.engine.ledger;

/**
 * A provider's delivery record.
 *
 * @param committed quantity sold in settled trades that were reported
 * @param delivered quantity delivered of those
 * @param successes trades delivered in full
 * @param failures trades delivered short
 */
public record Reputation(
    String provider, long committed, long delivered, long successes, long failures) {
  /** Beta reputation (s + 1) / (s + f + 2) in basis points. */
  public long scoreBps() {
    return (successes + 1) * 10_000 / (successes + failures + 2);
  }
}
