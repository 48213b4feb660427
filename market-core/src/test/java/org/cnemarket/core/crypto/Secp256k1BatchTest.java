package org.cnemarket.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Checking signatures together answers, for each, what checking it alone answers. */
class Secp256k1BatchTest {
  static final List<Secp256k1.KeyPair> SIGNERS = new ArrayList<>();

  static {
    for (int i = 1; i <= 6; i++) {
      SIGNERS.add(Secp256k1.KeyPair.fromPrivateKey(BigInteger.valueOf(7919L * i + 13)));
    }
  }

  @Property(tries = 60)
  void batchAnswersEqualSingleAnswers(
      @ForAll long seed, @ForAll @IntRange(min = 0, max = 40) int size, @ForAll boolean cold) {
    if (cold) {
      Secp256k1.forgetKnownKeys();
    }
    Random rnd = new Random(seed);
    List<Secp256k1.Check> checks = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      checks.add(check(rnd, rnd.nextInt(6) == 0 ? rnd.nextInt(6) : -1));
    }
    boolean[] batch = Secp256k1.verifyAll(checks);
    for (int i = 0; i < size; i++) {
      Secp256k1.Check c = checks.get(i);
      assertThat(batch[i])
          .as("check %d", i)
          .isEqualTo(Secp256k1.verify(c.hash32(), c.signature(), c.address()));
    }
  }

  @Test
  void oneBadSignatureAmongManyIsFoundAndTheOthersPass() {
    Random rnd = new Random(42);
    List<Secp256k1.Check> checks = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      checks.add(check(rnd, i == 37 ? 1 : -1));
    }
    Secp256k1.verifyAll(checks.subList(0, 8)); // every signer's key is known from here on
    boolean[] ok = Secp256k1.verifyAll(checks);
    for (int i = 0; i < ok.length; i++) {
      assertThat(ok[i]).as("check %d", i).isEqualTo(i != 37);
    }
  }

  @Test
  void aValidBatchPasses() {
    Random rnd = new Random(7);
    List<Secp256k1.Check> checks = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      checks.add(check(rnd, -1));
    }
    Secp256k1.verifyAll(checks.subList(0, 20));
    assertThat(Secp256k1.verifyAll(checks)).doesNotContain(false);
  }

  /** A signature by a random signer; {@code fault} 0–5 spoils it one way, -1 leaves it valid. */
  private static Secp256k1.Check check(Random rnd, int fault) {
    Secp256k1.KeyPair key = SIGNERS.get(rnd.nextInt(SIGNERS.size()));
    byte[] hash = new byte[32];
    rnd.nextBytes(hash);
    Signature sig = key.sign(hash);
    String address = key.address();
    BigInteger n = Secp256k1.CURVE.getN();
    switch (fault) {
      case 0 -> hash[rnd.nextInt(32)] ^= 1; // another message
      case 1 -> sig = new Signature(sig.r(), sig.s().subtract(BigInteger.ONE), sig.v());
      case 2 -> sig = new Signature(sig.r(), sig.s(), sig.v() == 27 ? 28 : 27); // the other R
      case 3 -> address = SIGNERS.get((SIGNERS.indexOf(key) + 1) % SIGNERS.size()).address();
      case 4 -> sig = new Signature(sig.r(), n.subtract(sig.s()), sig.v()); // high s
      case 5 -> sig = new Signature(sig.r().add(BigInteger.ONE), sig.s(), sig.v());
      default -> {}
    }
    return new Secp256k1.Check(hash, sig, address);
  }
}
