package org.cnemarket.core.merkle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cnemarket.core.crypto.Keccak;

/**
 * A binary Merkle tree over 32-byte leaves whose inner nodes hash the sorted pair of children,
 * as OpenZeppelin {@code MerkleProof} expects; an odd node is carried up unchanged. A proof is the
 * list of sibling hashes from leaf to root, so it verifies in Java, chaincode and Solidity alike.
 */
public final class MerkleTree {
  private final List<byte[][]> levels;

  private MerkleTree(List<byte[][]> levels) {
    this.levels = levels;
  }

  public static MerkleTree of(List<byte[]> leaves) {
    List<byte[][]> levels = new ArrayList<>();
    byte[][] level = new byte[leaves.size()][];
    for (int i = 0; i < level.length; i++) {
      byte[] leaf = leaves.get(i);
      if (leaf.length != 32) {
        throw new IllegalArgumentException("leaf " + i + " is not 32 bytes");
      }
      level[i] = leaf.clone();
    }
    levels.add(level);
    while (level.length > 1) {
      byte[][] next = new byte[(level.length + 1) / 2][];
      for (int i = 0; i < next.length; i++) {
        int l = 2 * i;
        next[i] = l + 1 < level.length ? hashPair(level[l], level[l + 1]) : level[l];
      }
      levels.add(next);
      level = next;
    }
    return new MerkleTree(levels);
  }

  /** The root; 32 zero bytes for an empty tree. */
  public byte[] root() {
    byte[][] top = levels.get(levels.size() - 1);
    return top.length == 0 ? new byte[32] : top[0].clone();
  }

  public int size() {
    return levels.get(0).length;
  }

  /** The sibling path of leaf {@code index}. */
  public List<byte[]> proof(int index) {
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException("no leaf " + index + " in a tree of " + size());
    }
    List<byte[]> proof = new ArrayList<>();
    int i = index;
    for (int d = 0; d < levels.size() - 1; d++) {
      byte[][] level = levels.get(d);
      int sibling = i ^ 1;
      if (sibling < level.length) {
        proof.add(level[sibling].clone());
      }
      i >>= 1;
    }
    return proof;
  }

  /** Recomputes the root from a leaf and its proof and compares, as {@code MerkleProof.verify}. */
  public static boolean verify(List<byte[]> proof, byte[] root, byte[] leaf) {
    if (root == null || leaf == null || root.length != 32 || leaf.length != 32) {
      return false;
    }
    byte[] h = leaf;
    for (byte[] p : proof) {
      if (p == null || p.length != 32) {
        return false;
      }
      h = hashPair(h, p);
    }
    return Arrays.equals(h, root);
  }

  /** keccak256 of the two nodes, the smaller (unsigned, lexicographic) first. */
  public static byte[] hashPair(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b) <= 0 ? Keccak.hash(a, b) : Keccak.hash(b, a);
  }
}
