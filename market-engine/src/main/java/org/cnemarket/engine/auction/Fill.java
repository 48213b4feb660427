package org.cnemarket.engine.auction;

/**
 * Energy moved from one ask to one bid. Prices are per kWh; the buyer's and seller's prices differ
 * only under McAfee trade reduction (the platform keeps the difference) or a zone fee.
 *
 * @param bidId the buyer's order
 * @param askId the seller's order
 * @param quantityWh energy, Wh
 * @param buyerPriceMicros what the buyer pays, micro-credits per kWh
 * @param sellerPriceMicros what the seller receives, micro-credits per kWh
 */
public record Fill(
    String bidId, String askId, long quantityWh, long buyerPriceMicros, long sellerPriceMicros) {}
