package org.cnemarket.engine.round.energy;

import org.cnemarket.engine.auction.ZoneFees;

/**
 * What an energy mechanism may be tuned with. A round takes them from its recorded parameters; a
 * what-if instance from its input.
 *
 * @param k the k of a k-double price, between 0 (sellers' price) and 1 (buyers' price)
 * @param lotWh the lot McAfee trades in; 0 when the instance gave none
 * @param zoneFees transfer fees between zones (the welfare LP charges them)
 */
public record EnergySettings(double k, long lotWh, ZoneFees zoneFees) {}
