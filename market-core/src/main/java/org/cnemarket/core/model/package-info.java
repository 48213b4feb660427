/**
 * Canonical, chain-neutral records: participants, orders, trades and settlement batches, in
 * fixed-point integer units only (Wh, milli compute units, micro-credits, basis points, mg CO2).
 */
package org.cnemarket.core.model;
