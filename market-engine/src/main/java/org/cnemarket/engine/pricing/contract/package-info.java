/**
 * Contract-theory incentive menus: the platform screens providers by private type θ with a menu of
 * (committed green capacity, reward) pairs that is individually rational and incentive compatible.
 */
package org.cnemarket.engine.pricing.contract;
