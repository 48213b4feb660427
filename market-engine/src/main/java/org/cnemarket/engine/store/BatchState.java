package org.cnemarket.engine.store;

/** Where a batch is in settlement, without its payload; {@code txId} is null until it settled. */
public record BatchState(BatchStatus status, String txId) {}
