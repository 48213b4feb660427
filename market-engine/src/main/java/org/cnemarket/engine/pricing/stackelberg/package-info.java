/**
 * Compute pricing as a Stackelberg game (§2): providers lead with a unit price given their energy
 * cost, users follow with logarithmic-utility demand; optional three-tier variant with an energy
 * seller on top, and a verifier that checks claimed equilibria instead of assuming them.
 */
package org.cnemarket.engine.pricing.stackelberg;
