/**
 * Canonical JSON encodings of the records that cross the ledger boundary, identical in chaincode,
 * engine and wallet.
 */
package org.cnemarket.core.codec;
