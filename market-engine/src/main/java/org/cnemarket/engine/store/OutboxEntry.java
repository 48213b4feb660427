package org.cnemarket.engine.store;

/** A settlement batch waiting for (or past) its ledger commit. */
public record OutboxEntry(
    String batchId,
    long round,
    String payloadJson,
    BatchStatus status,
    int attempts,
    String lastError,
    String txId,
    long blockNumber) {}
