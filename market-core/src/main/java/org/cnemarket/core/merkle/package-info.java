/** Sorted-pair Keccak Merkle trees and proofs, compatible with OpenZeppelin MerkleProof. */
package org.cnemarket.core.merkle;
