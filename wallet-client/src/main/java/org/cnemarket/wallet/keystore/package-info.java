/**
 * Ethereum V3 JSON keystores (scrypt or PBKDF2, AES-128-CTR, Keccak MAC), byte-compatible with geth
 * and web3j, so a provider's key can move between this wallet and standard Ethereum tools.
 */
package org.cnemarket.wallet.keystore;
