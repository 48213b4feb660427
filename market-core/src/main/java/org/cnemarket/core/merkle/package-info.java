/**
 * Sorted-pair Keccak Merkle trees and proofs, compatible with OpenZeppelin MerkleProof, and the
 * same trees cut into tiles to be stored and read a few nodes at a time.
 */
package org.cnemarket.core.merkle;
