package org.cnemarket.engine.round.energy;

/**
 * Energy one ask sells to one bid in a round.
 *
 * @param bidId the buyer's order
 * @param askId the seller's order
 * @param quantityWh energy, whole Wh
 * @param priceMicros what the seller receives, micro-credits per kWh
 * @param feeMicros what the platform keeps of the buyer's payment on top (McAfee's spread)
 */
public record EnergyTrade(
    String bidId, String askId, long quantityWh, long priceMicros, long feeMicros) {}
