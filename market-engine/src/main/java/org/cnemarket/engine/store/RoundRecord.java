package org.cnemarket.engine.store;

/** A closed round. {@code summaryJson} holds prices, volumes and mechanism results. */
public record RoundRecord(
    long round,
    long slot,
    String batchId,
    int tradeCount,
    String summaryJson,
    String inputsJson,
    String outputsJson,
    String inputsHash,
    String outputsHash,
    long closedAtMillis) {}
