package org.cnemarket.core.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.cnemarket.core.crypto.Abi;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Keccak;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

  @Provide
  Arbitrary<List<byte[]>> leaves() {
    return Arbitraries.integers()
        .between(1, 70)
        .map(
            n -> {
              List<byte[]> l = new ArrayList<>();
              for (int i = 0; i < n; i++) {
                l.add(Keccak.hash("leaf-" + n + "-" + i));
              }
              return l;
            });
  }

  @Property(tries = 60)
  void everyLeafVerifiesAgainstTheRoot(@ForAll("leaves") List<byte[]> leaves) {
    MerkleTree t = MerkleTree.of(leaves);
    for (int i = 0; i < leaves.size(); i++) {
      assertThat(MerkleTree.verify(t.proof(i), t.root(), leaves.get(i))).as("leaf %d", i).isTrue();
    }
  }

  @Property(tries = 60)
  void aChangedLeafOrProofDoesNotVerify(
      @ForAll("leaves") List<byte[]> leaves,
      @ForAll @IntRange(min = 0, max = 69) int pick,
      @ForAll @IntRange(min = 0, max = 255) int bit) {
    MerkleTree t = MerkleTree.of(leaves);
    int i = pick % leaves.size();
    byte[] leaf = leaves.get(i).clone();
    leaf[bit % 32] ^= (byte) (1 << (bit % 8));
    assertThat(MerkleTree.verify(t.proof(i), t.root(), leaf)).isFalse();
    List<byte[]> proof = t.proof(i);
    if (!proof.isEmpty()) {
      List<byte[]> bad = new ArrayList<>(proof);
      byte[] sibling = bad.get(bit % bad.size()).clone();
      sibling[bit % 32] ^= 1;
      bad.set(bit % bad.size(), sibling);
      assertThat(MerkleTree.verify(bad, t.root(), leaves.get(i))).isFalse();
      assertThat(MerkleTree.verify(proof.subList(0, proof.size() - 1), t.root(), leaves.get(i)))
          .isFalse();
    }
  }

  @Test
  void innerNodesHashTheSortedPairAsOpenZeppelin() {
    byte[] a = Keccak.hash("a");
    byte[] b = Keccak.hash("b");
    assertThat(MerkleTree.hashPair(a, b)).isEqualTo(MerkleTree.hashPair(b, a));
    assertThat(MerkleTree.of(List.of(a, b)).root()).isEqualTo(MerkleTree.hashPair(a, b));
  }

  /**
   * Roots and proofs that {@code StandardMerkleTree.of([[7], [1007], ...], ['uint256'])} gives (npm
   * 1.0.8).
   */
  @Test
  void rootsAndProofsAreThoseOfOpenZeppelinsStandardMerkleTree() {
    Map<Integer, String> roots =
        Map.of(
            1, "0x607bca8f7c1c56da874da29cd62c3769b9880d38a258a91fc6dd1cfb6b4d1a8e",
            2, "0x99411926c617f9ee06b00867b94e86a07c8656ce32768c4227db5eca73b33dd4",
            3, "0x26dfa017654cfb285bbeed168a7293416361cbca3eeb31cd19dd1fff00c25d88",
            5, "0xf2ddcb3453f957694a8585e3c33b12323603dc91c9ddbb323006729451b334bb",
            7, "0xe13c148d692310e0c65f1f6f53c67f1bee2069641f0deedd352ed6900b9c22c7");
    roots.forEach(
        (n, root) -> {
          List<byte[]> leaves = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            leaves.add(MerkleTree.leafHash(Abi.encode(Abi.uint(i * 1000L + 7))));
          }
          assertThat(Hex.encode(MerkleTree.of(leaves).root())).as("root of %d", n).isEqualTo(root);
        });
    List<byte[]> seven = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      seven.add(MerkleTree.leafHash(Abi.encode(Abi.uint(i * 1000L + 7))));
    }
    assertThat(MerkleTree.of(seven).proof(6).stream().map(Hex::encode).toList())
        .containsExactly(
            "0x2d3c2aca70e9b31b30420284d8768d5d6414437cd7c106816ba180ddf18bc849",
            "0xb1e72aad29888097357069118ec9c724f9740de98e813545808b050c87abd4a4",
            "0xbaaa3ff6fa99132fa1a4495571bf4cc3a021a63f51a0f46503a5f7c456132448");
  }

  @Test
  void aSingleLeafIsItsOwnRootAndAnEmptyTreeHasAZeroRoot() {
    byte[] a = Keccak.hash("only");
    assertThat(MerkleTree.of(List.of(a)).root()).isEqualTo(a);
    assertThat(MerkleTree.of(List.of(a)).proof(0)).isEmpty();
    assertThat(MerkleTree.of(List.of()).root()).isEqualTo(new byte[32]);
  }
}
