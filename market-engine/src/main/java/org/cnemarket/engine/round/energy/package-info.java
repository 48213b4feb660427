/**
 * Energy mechanisms: one class per mechanism owning its glue (how it reads a round's bids and asks,
 * what it records, what its what-if report says), and the registry that names them. Plain Java over
 * the auction kernels; no I/O.
 */
package org.cnemarket.engine.round.energy;
