/**
 * The {@code settlement} contract: applies a round's settlement batch exactly once (by batch id)
 * from its header and net movements per order, paying sellers from buy-order escrow and refunding
 * closed orders. The trades are not stored: each is proven against the batch's Merkle root.
 */
package org.cnemarket.chaincode.settlement;
