package org.cnemarket.core.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.cnemarket.core.crypto.Keccak;
import org.junit.jupiter.api.Test;

/** Proofs read from stored tiles are the tree's proofs, whatever the size and tile height. */
class MerkleTilesTest {

  private static List<byte[]> leaves(int n, long seed, int distinct) {
    Random r = new Random(seed);
    List<byte[]> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // distinct < n repeats some leaves: equal leaves keep their list order when sorted.
      l.add(Keccak.hash("leaf-" + seed + "-" + r.nextInt(distinct)));
    }
    return l;
  }

  private static Map<Integer, byte[]> stored(MerkleTiles t) {
    Map<Integer, byte[]> m = new HashMap<>();
    for (MerkleTiles.Tile tile : t.tiles()) {
      assertThat(m.put(tile.root(), tile.hashes())).as("tile %d twice", tile.root()).isNull();
      assertThat(tile.hashes().length)
          .isPositive()
          .isLessThanOrEqualTo(MerkleTiles.tileNodes(t.height()) * 32);
    }
    // Every node but the root is stored, once.
    assertThat(m.values().stream().mapToLong(b -> b.length).sum())
        .isEqualTo(Math.max(0, 2L * t.size() - 2) * 32);
    return m;
  }

  @Property(tries = 200)
  void proofsFromStoredTilesAreTheTreesProofsAndVerify(
      @ForAll @IntRange(min = 1, max = 600) int n,
      @ForAll @IntRange(min = 1, max = 8) int height,
      @ForAll long seed,
      @ForAll boolean repeats) {
    List<byte[]> leaves = leaves(n, seed, repeats ? Math.max(1, n / 3) : Integer.MAX_VALUE);
    MerkleTree tree = MerkleTree.of(leaves);
    MerkleTiles tiles = MerkleTiles.of(leaves, height);
    Map<Integer, byte[]> stored = stored(tiles);
    assertThat(tiles.root()).isEqualTo(tree.root());
    assertThat(tiles.size()).isEqualTo(n);
    int depth = 32 - Integer.numberOfLeadingZeros(2 * n - 1) - 1;
    for (int i = 0; i < n; i++) {
      List<Integer> asked = new ArrayList<>();
      List<byte[]> proof =
          MerkleTiles.proof(
              tiles.node(i),
              height,
              n,
              t -> {
                asked.add(t);
                return stored.get(t);
              });
      assertThat(proof).as("leaf %d of %d", i, n).containsExactlyElementsOf(tree.proof(i));
      assertThat(tiles.proof(i)).containsExactlyElementsOf(tree.proof(i));
      assertThat(tiles.leaf(i)).isEqualTo(leaves.get(i));
      assertThat(MerkleTree.verify(proof, tree.root(), leaves.get(i))).isTrue();
      // One read per tile on the path: at most one per `height` levels.
      assertThat(asked)
          .doesNotHaveDuplicates()
          .hasSizeLessThanOrEqualTo((depth + height - 1) / height);
      assertThat(asked).isEqualTo(MerkleTiles.tilesOfProof(tiles.node(i), height, n));
    }
  }

  @Test
  void oneLeafIsItsOwnRootWithAnEmptyProofAndNoTiles() {
    byte[] leaf = Keccak.hash("only");
    MerkleTiles t = MerkleTiles.of(List.of(leaf));
    assertThat(t.root()).isEqualTo(leaf);
    assertThat(t.node(0)).isEqualTo(1);
    assertThat(t.tiles()).isEmpty();
    assertThat(MerkleTiles.proof(1, MerkleTiles.HEIGHT, 1, x -> null)).isEmpty();
    assertThat(MerkleTree.verify(List.of(), t.root(), leaf)).isTrue();
  }

  @Test
  void anEmptyTreeHasTheZeroRootAsMerkleTree() {
    MerkleTiles t = MerkleTiles.of(List.of());
    assertThat(t.root()).isEqualTo(MerkleTree.of(List.of()).root());
    assertThat(t.tiles()).isEmpty();
  }

  @Test
  void aMissingOrShortTileIsReportedNotGuessed() {
    List<byte[]> leaves = leaves(100, 7, Integer.MAX_VALUE);
    MerkleTiles t = MerkleTiles.of(leaves, 3);
    Map<Integer, byte[]> stored = stored(t);
    int node = t.node(0);
    int first = MerkleTiles.tilesOfProof(node, 3, 100).get(0);
    assertThatThrownBy(
            () -> MerkleTiles.proof(node, 3, 100, x -> x == first ? null : stored.get(x)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("missing");
    assertThatThrownBy(
            () -> MerkleTiles.proof(node, 3, 100, x -> x == first ? new byte[0] : stored.get(x)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not hold");
  }

  @Test
  void aLeafThatIsNot32BytesIsRefused() {
    assertThatThrownBy(() -> MerkleTiles.of(List.of(new byte[31])))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aMillionLeavesNeedFourTileReadsPerProof() {
    // 2 * 10^6 - 1 nodes: the root on level 0, the leaves on levels 19 and 20.
    int n = 1_000_000;
    for (int node : new int[] {n, 2 * n - 1, 1 << 20}) {
      assertThat(MerkleTiles.tilesOfProof(node, MerkleTiles.HEIGHT, n)).hasSize(4);
    }
    // The tiles next to the leaves are full: 2^14 of them hold levels 15 to 20.
    assertThat(MerkleTiles.tileOf(2 * n - 1, MerkleTiles.HEIGHT, n)).isEqualTo((2 * n - 1) >>> 6);
  }
}
