package org.cnemarket.engine.pricing.stackelberg;

/** A user's best response to a posted price under U = w ln(1 + x) − p x. */
public final class Follower {

  private Follower() {}

  /** x*(p) = max(0, w / p − 1). */
  public static double bestResponse(double weight, double price) {
    return Math.max(0.0, weight / price - 1.0);
  }

  /** U = w ln(1 + x) − p x. */
  public static double utility(double weight, double price, double quantity) {
    return weight * Math.log1p(quantity) - price * quantity;
  }
}
