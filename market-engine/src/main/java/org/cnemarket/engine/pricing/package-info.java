/**
 * Shared pieces of the pricing core: the {@link org.cnemarket.engine.pricing.Result} error-as-value
 * type, parameter validation and the fixed-point rounding applied once at the edge of every solver.
 */
package org.cnemarket.engine.pricing;
