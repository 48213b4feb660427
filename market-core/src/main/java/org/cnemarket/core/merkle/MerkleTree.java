package org.cnemarket.core.merkle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.cnemarket.core.crypto.Keccak;

/**
 * OpenZeppelin's standard Merkle tree ({@code StandardMerkleTree} of
 * {@code @openzeppelin/merkle-tree}): a leaf is {@code
 * keccak256(bytes.concat(keccak256(abi.encode(values))))} ({@link #leafHash}), the leaves are
 * sorted, laid out as a complete binary tree in an array (leaf {@code k} of the sorted order at
 * {@code size - 1 - k}) and every inner node hashes the sorted pair of its children. The double
 * hash makes a leaf (keccak of keccak) distinct from an inner node (keccak of 64 bytes), so an
 * inner node with a shortened proof never verifies as a leaf computed from values; the root and
 * proofs are byte for byte those of the npm library, and proofs verify with {@code MerkleProof}.
 */
public final class MerkleTree {
  /** The nodes in the library's array layout: root at 0, children of i at 2i+1 and 2i+2. */
  private final byte[][] nodes;

  /** The node index of each leaf, by its position in the list given to {@link #of}. */
  private final int[] nodeOfLeaf;

  private MerkleTree(byte[][] nodes, int[] nodeOfLeaf) {
    this.nodes = nodes;
    this.nodeOfLeaf = nodeOfLeaf;
  }

  /** The standard leaf of ABI-encoded values: keccak256(keccak256(encoded)). */
  public static byte[] leafHash(byte[] abiEncoded) {
    return Keccak.hash(Keccak.hash(abiEncoded));
  }

  /** A tree over leaf hashes (from {@link #leafHash}); proofs are asked for by list position. */
  public static MerkleTree of(List<byte[]> leaves) {
    int n = leaves.size();
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      if (leaves.get(i).length != 32) {
        throw new IllegalArgumentException("leaf " + i + " is not 32 bytes");
      }
      order[i] = i;
    }
    // The library sorts leaves by their hash as unsigned numbers (stable: equal leaves keep order).
    Arrays.sort(order, Comparator.comparing(leaves::get, Arrays::compareUnsigned));
    if (n == 0) {
      return new MerkleTree(new byte[0][], new int[0]);
    }
    byte[][] nodes = new byte[2 * n - 1][];
    int[] nodeOfLeaf = new int[n];
    for (int k = 0; k < n; k++) {
      int node = nodes.length - 1 - k;
      nodes[node] = leaves.get(order[k]).clone();
      nodeOfLeaf[order[k]] = node;
    }
    for (int i = nodes.length - 1 - n; i >= 0; i--) {
      nodes[i] = hashPair(nodes[2 * i + 1], nodes[2 * i + 2]);
    }
    return new MerkleTree(nodes, nodeOfLeaf);
  }

  /** The root; 32 zero bytes for an empty tree (the library refuses to build one). */
  public byte[] root() {
    return nodes.length == 0 ? new byte[32] : nodes[0].clone();
  }

  public int size() {
    return nodeOfLeaf.length;
  }

  /**
   * The sibling path, leaf to root, of the leaf at position {@code index} of the list given to
   * {@link #of}.
   */
  public List<byte[]> proof(int index) {
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException("no leaf " + index + " in a tree of " + size());
    }
    List<byte[]> proof = new ArrayList<>();
    for (int i = nodeOfLeaf[index]; i > 0; i = (i - 1) / 2) {
      int sibling = i % 2 == 1 ? i + 1 : i - 1;
      proof.add(nodes[sibling].clone());
    }
    return proof;
  }

  /**
   * Recomputes the root from a leaf hash and its proof and compares, as {@code MerkleProof.verify}.
   * Callers compute {@code leaf} from the values ({@link #leafHash}), never take it from the
   * sender.
   */
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
