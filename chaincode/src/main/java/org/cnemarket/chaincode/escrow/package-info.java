/**
 * The {@code escrow} contract: deposits, order acceptance (signature, role, nonce) and the escrow
 * that buy orders lock until settlement pays sellers or closing refunds the buyer.
 */
package org.cnemarket.chaincode.escrow;
