package org.cnemarket.engine.pricing.stackelberg;

/**
 * Outcome of verifying a claimed equilibrium.
 *
 * @param passed every follower at its best response and no leader gains more than ε
 * @param worstFollowerDeviation max |x − x*| / max(1, x*) over followers
 * @param worstLeaderGain max relative profit gain any leader finds on the grid (≤ 0 at an optimum)
 * @param detail where the worst deviation was found
 */
public record Verdict(
    boolean passed, double worstFollowerDeviation, double worstLeaderGain, String detail) {}
