package org.cnemarket.engine.ledger;

/**
 * @param batchId the batch
 * @param txId the ledger transaction that settled it
 * @param blockNumber the block it is in
 * @param alreadySettled true when this call found the batch already settled
 */
public record SettlementReceipt(
    String batchId, String txId, long blockNumber, boolean alreadySettled) {}
