/** The {@code config} contract: the EIP-712 signing domain of the market. */
package org.cnemarket.chaincode.config;
