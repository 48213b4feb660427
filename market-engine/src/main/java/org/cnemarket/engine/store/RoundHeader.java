package org.cnemarket.engine.store;

/**
 * A closed round without its recorded input and output: what views and notifications show. At 10^5
 * orders a round's input and output are tens of MB; a status poll must not read them.
 */
public record RoundHeader(
    long round,
    long slot,
    String batchId,
    int tradeCount,
    String summaryJson,
    String inputsHash,
    String outputsHash,
    long closedAtMillis) {}
