package org.cnemarket.engine.pricing.stackelberg;

/**
 * Equilibrium of the three-tier game.
 *
 * @param energyPrice p_e set by the energy seller, per kWh
 * @param energySoldKwh min(Σ_k η_k X_k(p_e), supply)
 * @param sellerProfit (p_e − c_e) · energySoldKwh
 * @param supplyBound whether the seller's supply limited its price from below
 * @param providers the providers' equilibrium at p_e
 */
public record ThreeTierSolution(
    double energyPrice,
    double energySoldKwh,
    double sellerProfit,
    boolean supplyBound,
    MarketSolution providers) {}
