package org.cnemarket.wallet;

/**
 * An account's credit on the ledger.
 *
 * @param account the address
 * @param availableMicros free micro-credits
 * @param escrowMicros micro-credits locked by open buy orders
 */
public record Balance(String account, long availableMicros, long escrowMicros) {}
