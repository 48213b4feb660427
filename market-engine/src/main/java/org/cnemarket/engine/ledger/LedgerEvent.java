package org.cnemarket.engine.ledger;

/**
 * @param cursor position in the ledger's event stream (block number × 1e6 + index, or sequence)
 * @param type BATCH_SETTLED, CERTIFICATES_ISSUED, CERTIFICATES_TRANSFERRED, CERTIFICATES_RETIRED,
 *     ...
 * @param key the subject: batch id, trade id, account
 * @param payloadJson canonical JSON of the event
 */
public record LedgerEvent(long cursor, String type, String key, String payloadJson) {}
