/**
 * Contract-theory incentive menus: the platform screens providers by private type θ with a menu of
 * (committed green capacity, reward) pairs that is individually rational and incentive compatible.
 * {@link org.cnemarket.engine.pricing.contract.ContractDesigner} is the round's model (α ln(1 + q),
 * cost c q / θ); {@link org.cnemarket.engine.pricing.contract.ScreeningSolver} and {@link
 * org.cnemarket.engine.pricing.contract.NumericScreeningSolver} solve the general screening problem
 * (valuation, cost form, reservation utility) that {@link
 * org.cnemarket.engine.pricing.contract.ScreeningChecker} checks from the constraints alone.
 */
package org.cnemarket.engine.pricing.contract;
