package org.cnemarket.core.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.cnemarket.core.crypto.Keccak;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

  @Provide
  Arbitrary<List<byte[]>> leaves() {
    return Arbitraries.integers().between(1, 70).map(n -> {
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
  void aChangedLeafOrProofDoesNotVerify(@ForAll("leaves") List<byte[]> leaves, @ForAll @IntRange(min = 0, max = 69) int pick,
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
      assertThat(MerkleTree.verify(proof.subList(0, proof.size() - 1), t.root(), leaves.get(i))).isFalse();
    }
  }

  @Test
  void innerNodesHashTheSortedPairAsOpenZeppelin() {
    byte[] a = Keccak.hash("a");
    byte[] b = Keccak.hash("b");
    assertThat(MerkleTree.hashPair(a, b)).isEqualTo(MerkleTree.hashPair(b, a));
    assertThat(MerkleTree.of(List.of(a, b)).root()).isEqualTo(MerkleTree.hashPair(a, b));
  }

  @Test
  void aSingleLeafIsItsOwnRootAndAnEmptyTreeHasAZeroRoot() {
    byte[] a = Keccak.hash("only");
    assertThat(MerkleTree.of(List.of(a)).root()).isEqualTo(a);
    assertThat(MerkleTree.of(List.of(a)).proof(0)).isEmpty();
    assertThat(MerkleTree.of(List.of()).root()).isEqualTo(new byte[32]);
  }
}
