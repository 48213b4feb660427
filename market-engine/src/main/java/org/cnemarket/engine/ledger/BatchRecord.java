package org.cnemarket.engine.ledger;

/** What the ledger holds of a settled batch: enough to verify any trade's proof. */
public record BatchRecord(
    String batchId,
    long round,
    long slot,
    String merkleRoot,
    String inputsHash,
    String outputsHash,
    long tradeCount,
    String txId) {}
