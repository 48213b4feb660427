package org.cnemarket.engine.pricing.stackelberg;

/**
 * One provider's optimal posted price against its followers.
 *
 * @param marginalCost m, cost per compute unit
 * @param price p*, price per compute unit
 * @param demand Σ_j x_j*(p*), compute units sold
 * @param profit (p* − m) · demand
 * @param buyers number of users with positive demand
 * @param capacityBound whether capacity pushed the price above the unconstrained optimum
 */
public record ProviderSolution(
    double marginalCost,
    double price,
    double demand,
    double profit,
    int buyers,
    boolean capacityBound) {}
