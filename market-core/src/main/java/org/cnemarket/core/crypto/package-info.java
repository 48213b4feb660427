/**
 * Ethereum-compatible primitives: Keccak-256, secp256k1 keys and signatures, ABI words, hex. The
 * secp256k1 arithmetic behind signing and signature checks is this package's own (field, points,
 * scalar recoding, multi-scalar sums); Bouncy Castle supplies the curve parameters, RFC 6979 nonces
 * and modular inversion.
 */
package org.cnemarket.core.crypto;
