/** Ethereum-compatible primitives: Keccak-256, secp256k1 keys and signatures, ABI words, hex. */
package org.cnemarket.core.crypto;
