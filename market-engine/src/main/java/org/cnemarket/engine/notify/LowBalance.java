package org.cnemarket.engine.notify;

import java.util.Optional;

/**
 * The low-balance rule. Buy orders lock their maximum cost in escrow when accepted, so a
 * participant whose credits (spendable plus escrow still locked for its open orders) are below what
 * its last round of buy orders locked cannot place the next rounds' orders: they would be refused
 * as insufficient-funds. Warned before that happens, it can top up in time.
 *
 * @param availableMicros spendable credits
 * @param escrowMicros credits locked for open buy orders
 * @param needMicros what the next {@code rounds} rounds of orders at the last round's rate lock
 * @param rounds how many rounds ahead the rule looks
 */
public record LowBalance(long availableMicros, long escrowMicros, long needMicros, int rounds) {

  /**
   * A warning when {@code available + escrow < perRound * rounds}; none for a participant that
   * bought nothing ({@code perRound == 0}).
   */
  public static Optional<LowBalance> check(
      long perRoundMicros, long availableMicros, long escrowMicros, int rounds) {
    if (perRoundMicros <= 0 || rounds < 1) {
      return Optional.empty();
    }
    long need = saturatingMultiply(perRoundMicros, rounds);
    long held = saturatingAdd(Math.max(0, availableMicros), Math.max(0, escrowMicros));
    return held < need
        ? Optional.of(new LowBalance(availableMicros, escrowMicros, need, rounds))
        : Optional.empty();
  }

  /** What the participant must add to cover the need. */
  public long shortfallMicros() {
    return needMicros - saturatingAdd(Math.max(0, availableMicros), Math.max(0, escrowMicros));
  }

  private static long saturatingMultiply(long a, long b) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    return (hi == 0 && lo >= 0) ? lo : Long.MAX_VALUE;
  }

  private static long saturatingAdd(long a, long b) {
    long r = a + b;
    return r < 0 ? Long.MAX_VALUE : r;
  }
}
