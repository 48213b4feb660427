package org.cnemarket.engine.pricing.stackelberg;

/**
 * A provider's equilibrium price and sales.
 *
 * @param providerId the provider
 * @param energyPrice p_e used for its marginal cost
 * @param solution its optimal price, demand and profit
 */
public record ProviderOutcome(String providerId, double energyPrice, ProviderSolution solution) {}
