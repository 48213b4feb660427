package org.cnemarket.engine.auction;

/**
 * Energy moved from one ask to one bid by the welfare LP. Quantities stay in double (LP solutions
 * with green shares are fractional); round once with {@link
 * org.cnemarket.engine.pricing.FixedPoint#roundHalfEven}.
 *
 * @param bidId buyer
 * @param askId seller
 * @param quantityWh energy, Wh
 * @param buyerPriceMicros paid per kWh by the buyer
 * @param sellerPriceMicros received per kWh by the seller (buyer price − zone fee)
 * @param feeMicrosPerKwh zone transfer fee per kWh
 * @param green whether the ask is green
 */
public record LpFill(
    String bidId,
    String askId,
    double quantityWh,
    long buyerPriceMicros,
    long sellerPriceMicros,
    long feeMicrosPerKwh,
    boolean green) {}
