package org.cnemarket.core.merkle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * The nodes of a {@link MerkleTree} cut into tiles, to be stored once and read a few at a time: a
 * proof reads one tile per {@code height} levels, never the whole tree.
 *
 * <p>Nodes are numbered as in the tree's array, counted from 1: the root is 1, the children of
 * {@code m} are {@code 2m} and {@code 2m + 1}, the sibling of {@code m} is {@code m ^ 1}, and leaf
 * {@code k} of the sorted order is node {@code 2n - 1 - k}. A tile is named by its root, a node on
 * a level that is a multiple of {@code height}; it holds that node's descendants on the {@code
 * height} levels below, level by level, 32 bytes each (not the root itself, which is the tile
 * above's). A node and its sibling are always in the same tile. Tiles at the bottom are cut short
 * where the tree ends: the nodes of a tile that exist are a prefix of its layout.
 */
public final class MerkleTiles {
  /** Levels per tile by default: 126 nodes, at most 4032 bytes; 4 tiles for 10^6 leaves. */
  public static final int HEIGHT = 6;

  /** The most leaves one tree holds: its nodes fit one array. */
  public static final int MAX_LEAVES = 1 << 25;

  /** A stored piece of the tree: the nodes below {@code root} as laid out above. */
  public record Tile(int root, byte[] hashes) {}

  private final int height;
  private final byte[] nodes; // node m at (m - 1) * 32
  private final int[] nodeOfLeaf;

  private MerkleTiles(int height, byte[] nodes, int[] nodeOfLeaf) {
    this.height = height;
    this.nodes = nodes;
    this.nodeOfLeaf = nodeOfLeaf;
  }

  /** The tree of {@code leaves} (as {@link MerkleTree#of}) in tiles of {@link #HEIGHT} levels. */
  public static MerkleTiles of(List<byte[]> leaves) {
    return of(leaves, HEIGHT);
  }

  /** The tree of {@code leaves} in tiles of {@code height} levels. */
  public static MerkleTiles of(List<byte[]> leaves, int height) {
    checkHeight(height);
    int n = leaves.size();
    if (n > MAX_LEAVES) {
      throw new IllegalArgumentException("more than " + MAX_LEAVES + " leaves: " + n);
    }
    for (int i = 0; i < n; i++) {
      if (leaves.get(i).length != 32) {
        throw new IllegalArgumentException("leaf " + i + " is not 32 bytes");
      }
    }
    int[] order = sortedOrder(leaves);
    int count = n == 0 ? 0 : 2 * n - 1;
    byte[] nodes = new byte[count * 32];
    int[] nodeOfLeaf = new int[n];
    for (int k = 0; k < n; k++) {
      int node = count - k;
      System.arraycopy(leaves.get(order[k]), 0, nodes, (node - 1) * 32, 32);
      nodeOfLeaf[order[k]] = node;
    }
    // One digest for every inner node: allocating one per hash costs as much as the hashing.
    KeccakDigest d = new KeccakDigest(256);
    for (int m = count - n; m >= 1; m--) {
      int a = (2 * m - 1) * 32;
      int b = 2 * m * 32;
      if (Arrays.compareUnsigned(nodes, a, a + 32, nodes, b, b + 32) > 0) {
        int t = a;
        a = b;
        b = t;
      }
      d.update(nodes, a, 32);
      d.update(nodes, b, 32);
      d.doFinal(nodes, (m - 1) * 32);
    }
    return new MerkleTiles(height, nodes, nodeOfLeaf);
  }

  /**
   * The positions of the leaves in the library's sorted order (by hash as an unsigned number, equal
   * leaves in list order): sorted by their first 8 bytes as primitives, then runs of equal prefixes
   * by the whole hash.
   */
  private static int[] sortedOrder(List<byte[]> leaves) {
    int n = leaves.size();
    long[] prefix = new long[n];
    for (int i = 0; i < n; i++) {
      long p = 0;
      byte[] l = leaves.get(i);
      for (int j = 0; j < 8; j++) {
        p = (p << 8) | (l[j] & 0xff);
      }
      prefix[i] = p;
    }
    // Keys of the top 33 bits of the prefix above the position (31 bits), the sign bit flipped
    // so that signed order is unsigned order.
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = ((prefix[i] & ~0x7fffffffL) | i) ^ Long.MIN_VALUE;
    }
    Arrays.sort(keys);
    int[] order = new int[n];
    for (int k = 0; k < n; k++) {
      order[k] = (int) (keys[k] & 0x7fffffffL);
    }
    // Runs sharing the 33 bits are ordered by the whole hash, stable on position.
    int start = 0;
    for (int k = 1; k <= n; k++) {
      if (k == n || (keys[k] >>> 31) != (keys[start] >>> 31)) {
        if (k - start > 1) {
          Integer[] run = new Integer[k - start];
          for (int r = 0; r < run.length; r++) {
            run[r] = order[start + r];
          }
          Arrays.sort(run, (x, y) -> Arrays.compareUnsigned(leaves.get(x), leaves.get(y)));
          for (int r = 0; r < run.length; r++) {
            order[start + r] = run[r];
          }
        }
        start = k;
      }
    }
    return order;
  }

  private static void checkHeight(int height) {
    if (height < 1 || height > 10) {
      throw new IllegalArgumentException("tile height must be 1 to 10: " + height);
    }
  }

  public int height() {
    return height;
  }

  public int size() {
    return nodeOfLeaf.length;
  }

  /** This tree, checked to have {@code leaves} leaves: a caller's tree of its own list of them. */
  public MerkleTiles requireLeaves(int leaves) {
    if (size() != leaves) {
      throw new IllegalArgumentException(
          "a tree of " + size() + " leaves is not the tree of " + leaves + " leaves");
    }
    return this;
  }

  /** The root; 32 zero bytes for an empty tree, as {@link MerkleTree#root}. */
  public byte[] root() {
    return nodes.length == 0 ? new byte[32] : Arrays.copyOfRange(nodes, 0, 32);
  }

  /** The node of the leaf at {@code index} of the list given to {@link #of}. */
  public int node(int index) {
    return nodeOfLeaf[index];
  }

  /** The leaf at {@code index} of the list given to {@link #of}. */
  public byte[] leaf(int index) {
    int m = nodeOfLeaf[index];
    return Arrays.copyOfRange(nodes, (m - 1) * 32, m * 32);
  }

  /** The node of every leaf, by its position in the list given to {@link #of}. */
  public int[] nodesOfLeaves() {
    return nodeOfLeaf.clone();
  }

  /** Every tile with at least one node, top down. */
  public List<Tile> tiles() {
    List<Tile> out = new ArrayList<>();
    if (size() == 0) {
      return out;
    }
    int count = nodes.length / 32;
    int depth = depth(size());
    for (int level : rootLevels(depth, height)) {
      int last = Math.min((1 << level) * 2 - 1, count / 2);
      int span = span(level, depth, height);
      for (int r = 1 << level; r <= last; r++) {
        out.add(new Tile(r, tile(r, span, count)));
      }
    }
    return out;
  }

  private byte[] tile(int r, int span, int count) {
    byte[] out = new byte[tileNodes(span) * 32];
    int filled = 0;
    for (int e = 1; e <= span; e++) {
      long first = (long) r << e;
      if (first > count) {
        break;
      }
      int width = (int) Math.min(1L << e, count - first + 1);
      System.arraycopy(nodes, (int) (first - 1) * 32, out, filled, width * 32);
      filled += width * 32;
      if (width < (1 << e)) {
        break;
      }
    }
    return filled == out.length ? out : Arrays.copyOf(out, filled);
  }

  /** The level of the deepest leaves of a tree of {@code leaves} leaves (0 for one). */
  public static int depth(int leaves) {
    if (leaves < 1 || leaves > MAX_LEAVES) {
      throw new IllegalArgumentException("no tree of " + leaves + " leaves");
    }
    return 31 - Integer.numberOfLeadingZeros(2 * leaves - 1);
  }

  /**
   * The levels tiles are rooted on: counted up from the deepest level in steps of {@code height},
   * so that the many tiles near the leaves are full, and level 0 (the root's tile holds what is
   * left above).
   */
  private static List<Integer> rootLevels(int depth, int height) {
    List<Integer> levels = new ArrayList<>();
    if (depth == 0) {
      return levels;
    }
    levels.add(0);
    for (int l = depth % height; l < depth; l += height) {
      if (l > 0) {
        levels.add(l);
      }
    }
    return levels;
  }

  /** The levels below a tile root on {@code level}. */
  private static int span(int level, int depth, int height) {
    int top = depth % height;
    return level == 0 && top > 0 ? top : height;
  }

  /** The nodes a full tile of {@code height} levels holds. */
  public static int tileNodes(int height) {
    checkHeight(height);
    return (1 << (height + 1)) - 2;
  }

  /**
   * The tile that holds node {@code m} (not the root: the root is in no tile) of a tree of {@code
   * leaves} leaves.
   */
  public static int tileOf(int m, int height, int leaves) {
    int depth = depth(leaves);
    if (m < 2 || m >= 2 * leaves) {
      throw new IllegalArgumentException("node " + m + " is in no tile");
    }
    int level = 31 - Integer.numberOfLeadingZeros(m);
    int top = depth % height;
    int rootLevel = level <= top ? 0 : level - 1 - Math.floorMod(level - 1 - top, height);
    return m >>> (level - rootLevel);
  }

  /** The tiles the proof of node {@code m} reads, leaf end first. */
  public static List<Integer> tilesOfProof(int m, int height, int leaves) {
    List<Integer> out = new ArrayList<>();
    for (int x = m; x > 1; x >>>= 1) {
      int t = tileOf(x ^ 1, height, leaves);
      if (out.isEmpty() || out.get(out.size() - 1) != t) {
        out.add(t);
      }
    }
    return out;
  }

  /**
   * The proof of node {@code m} of a tree of {@code leaves} leaves, leaf to root, as {@link
   * MerkleTree#proof}, from tiles of {@code height} levels looked up by {@code tiles} (by tile
   * root; each is asked for once).
   *
   * @throws IllegalStateException when a tile is missing or too short for a node it must hold
   */
  public static List<byte[]> proof(int m, int height, int leaves, IntFunction<byte[]> tiles) {
    checkHeight(height);
    if (m < 1 || m >= 2 * leaves) {
      throw new IllegalArgumentException("no node " + m + " in a tree of " + leaves + " leaves");
    }
    List<byte[]> proof = new ArrayList<>();
    int loaded = 0;
    byte[] tile = null;
    for (int x = m; x > 1; x >>>= 1) {
      int s = x ^ 1;
      int t = tileOf(s, height, leaves);
      if (tile == null || t != loaded) {
        tile = tiles.apply(t);
        loaded = t;
        if (tile == null) {
          throw new IllegalStateException("tile " + t + " of the tree is missing");
        }
      }
      int e = (31 - Integer.numberOfLeadingZeros(s)) - (31 - Integer.numberOfLeadingZeros(t));
      int offset = ((1 << e) + (s - (t << e)) - 2) * 32;
      if (offset + 32 > tile.length) {
        throw new IllegalStateException("tile " + t + " does not hold node " + s);
      }
      proof.add(Arrays.copyOfRange(tile, offset, offset + 32));
    }
    return proof;
  }

  /** The proof of the leaf at {@code index} of the list given to {@link #of}, from this tree. */
  public List<byte[]> proof(int index) {
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException("no leaf " + index + " in a tree of " + size());
    }
    List<byte[]> proof = new ArrayList<>();
    for (int x = nodeOfLeaf[index]; x > 1; x >>>= 1) {
      int s = x ^ 1;
      proof.add(Arrays.copyOfRange(nodes, (s - 1) * 32, s * 32));
    }
    return proof;
  }
}
