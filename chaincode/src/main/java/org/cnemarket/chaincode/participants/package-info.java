/** The {@code participants} contract: registration by signed EIP-712 {@code Registration}. */
package org.cnemarket.chaincode.participants;
