package org.cnemarket.engine.pricing.contract;

import org.cnemarket.engine.pricing.Result;

/**
 * Trust-driven types: a provider's delivery record mapped to one of K type levels.
 *
 * <p>Score: Beta reputation (s + 1) / (s + f + 2) with s = delivered and f = committed − delivered
 * (a uniform prior, so a newcomer scores 1/2). Mapping: K equal-width bins over [0, 1], level
 * {@code min(K − 1, floor(score · K))}; level 0 is the least trusted (θ_1), level K − 1 the most.
 */
public final class Reputation {

  private Reputation() {}

  public static Result<Double> betaScore(long delivered, long committed) {
    if (delivered < 0 || committed < 0) {
      return Result.invalid(
          "delivered and committed must be >= 0, got " + delivered + " / " + committed);
    }
    if (delivered > committed) {
      return Result.invalid("delivered " + delivered + " exceeds committed " + committed);
    }
    return Result.ok((delivered + 1.0) / (committed + 2.0));
  }

  public static Result<Integer> level(double score, int levels) {
    if (levels < 1) {
      return Result.invalid("levels must be >= 1, got " + levels);
    }
    if (!(score >= 0 && score <= 1)) {
      return Result.invalid("score must be in [0,1], got " + score);
    }
    return Result.ok((int) Math.min(levels - 1, Math.floor(score * levels)));
  }

  /** Delivery record straight to a type index in 0..levels−1. */
  public static Result<Integer> typeIndex(long delivered, long committed, int levels) {
    return betaScore(delivered, committed).flatMap(s -> level(s, levels));
  }
}
