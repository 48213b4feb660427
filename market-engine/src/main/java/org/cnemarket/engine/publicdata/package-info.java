/**
 * The market data an operator may publish without sign-in, as power exchanges publish theirs:
 * per-round clearing prices, volumes, energy mix, green share and carbon, and the ledger's batch
 * roots. Nothing here names a participant.
 */
package org.cnemarket.engine.publicdata;
