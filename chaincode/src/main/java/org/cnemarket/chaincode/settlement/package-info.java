/**
 * The {@code settlement} contract: applies a round's settlement batch exactly once (by batch id),
 * paying sellers from buy-order escrow and refunding closed orders.
 */
package org.cnemarket.chaincode.settlement;
