package org.cnemarket.engine.pricing.contract;

/**
 * One menu item.
 *
 * @param quantity committed green capacity q (units)
 * @param reward reward R paid for it (credits)
 */
public record Contract(double quantity, double reward) {}
