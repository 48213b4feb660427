/**
 * The {@code certificates} contract: delivery reports proven by Merkle proof against the settled
 * batch root, seller reputation, green certificates (issue, transfer, retire at most once) and
 * carbon per buyer and slot.
 */
package org.cnemarket.chaincode.certificates;
