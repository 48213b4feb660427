package org.cnemarket.engine.ledger;

/**
 * @param backend "embedded", "fabric" or "evm"
 * @param height blocks on the ledger
 * @param network channel name, chain id or database location
 */
public record LedgerStatus(String backend, long height, String network) {}
