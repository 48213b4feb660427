package org.cnemarket.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

/**
 * The package's own secp256k1 arithmetic ({@link FieldP}, {@link Jacobian}, {@link Glv}, {@link
 * EcMult}) against BigInteger and Bouncy Castle's curve, with edge values mixed into the random
 * ones: 0, 1, n − 1, field elements near p and 2^256, scalars at the GLV split's extremes.
 */
class Secp256k1ArithmeticTest {
  private static final BigInteger P = FieldP.P;
  private static final BigInteger N = Secp256k1.CURVE.getN();
  private static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);
  private static final ECPoint G = Secp256k1.CURVE.getG();

  @Provide
  Arbitrary<BigInteger> fieldElements() {
    return Arbitraries.oneOf(
        Arbitraries.bigIntegers().between(BigInteger.ZERO, P.subtract(BigInteger.ONE)),
        Arbitraries.bigIntegers()
            .between(P.subtract(BigInteger.valueOf(1L << 40)), P.subtract(BigInteger.ONE)),
        Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.valueOf(1L << 40)),
        Arbitraries.of(
            BigInteger.ZERO,
            BigInteger.ONE,
            P.subtract(BigInteger.ONE),
            P.subtract(BigInteger.TWO),
            TWO_256.subtract(BigInteger.ONE).mod(P),
            BigInteger.ONE.shiftLeft(52),
            BigInteger.ONE.shiftLeft(52).subtract(BigInteger.ONE),
            BigInteger.ONE.shiftLeft(208).subtract(BigInteger.ONE)));
  }

  /** Any 256-bit value: set() must reduce those in [p, 2^256) too. */
  @Provide
  Arbitrary<BigInteger> wideElements() {
    return Arbitraries.oneOf(
        Arbitraries.bigIntegers().between(P, TWO_256.subtract(BigInteger.ONE)),
        Arbitraries.bigIntegers().between(BigInteger.ZERO, TWO_256.subtract(BigInteger.ONE)));
  }

  @Provide
  Arbitrary<BigInteger> scalars() {
    return Arbitraries.oneOf(
        Arbitraries.bigIntegers().between(BigInteger.ZERO, N.subtract(BigInteger.ONE)),
        Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.ONE.shiftLeft(130)),
        Arbitraries.bigIntegers().between(N.subtract(BigInteger.ONE.shiftLeft(64)), N),
        Arbitraries.of(
            BigInteger.ZERO,
            BigInteger.ONE,
            BigInteger.TWO,
            N.subtract(BigInteger.ONE),
            N.subtract(BigInteger.TWO),
            N.shiftRight(1),
            Glv.LAMBDA,
            N.subtract(Glv.LAMBDA),
            BigInteger.ONE.shiftLeft(128),
            BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)));
  }

  @Property(tries = 2000)
  void fieldOperationsMatchBigInteger(
      @ForAll("fieldElements") BigInteger a,
      @ForAll("fieldElements") BigInteger b,
      @ForAll @IntRange(min = 0, max = 64) int k) {
    long[] x = FieldP.of(a);
    long[] y = FieldP.of(b);
    long[] r = new long[FieldP.LIMBS];
    FieldP.mul(r, 0, x, 0, y, 0);
    assertField(r, a.multiply(b));
    FieldP.sqr(r, 0, x, 0);
    assertField(r, a.multiply(a));
    FieldP.add(r, 0, x, 0, y, 0);
    assertField(r, a.add(b));
    FieldP.sub(r, 0, x, 0, y, 0);
    assertField(r, a.subtract(b));
    FieldP.negate(r, 0, x, 0);
    assertField(r, a.negate());
    FieldP.mulSmall(r, 0, x, 0, k);
    assertField(r, a.multiply(BigInteger.valueOf(k)));
    assertThat(FieldP.isZero(x, 0)).isEqualTo(a.signum() == 0);
    assertThat(FieldP.equal(x, 0, y, 0)).isEqualTo(a.equals(b));
    assertThat(FieldP.isOdd(x, 0)).isEqualTo(a.testBit(0));
    // Chains keep the weak form within what every operation accepts.
    FieldP.add(r, 0, x, 0, y, 0);
    FieldP.add(r, 0, r, 0, r, 0);
    FieldP.sub(r, 0, r, 0, y, 0);
    FieldP.mulSmall(r, 0, r, 0, 8);
    FieldP.mul(r, 0, r, 0, r, 0);
    FieldP.sub(r, 0, x, 0, r, 0);
    FieldP.sqr(r, 0, r, 0);
    BigInteger chain = a.add(b).shiftLeft(1).subtract(b).shiftLeft(3).pow(2);
    assertField(r, a.subtract(chain).pow(2));
    // Loose (uncarried) values, as point formulas make them: into products and first terms.
    long[] loose = new long[FieldP.LIMBS];
    long[] other = new long[FieldP.LIMBS];
    FieldP.addLoose(loose, 0, x, 0, y, 0);
    FieldP.mulSmallLoose(other, 0, x, 0, Math.min(k, 3));
    FieldP.mul(r, 0, loose, 0, other, 0);
    assertField(r, a.add(b).multiply(a).multiply(BigInteger.valueOf(Math.min(k, 3))));
    FieldP.sqr(r, 0, loose, 0);
    assertField(r, a.add(b).pow(2));
    FieldP.subLoose(loose, 0, x, 0, y, 0);
    FieldP.sqr(r, 0, loose, 0);
    assertField(r, a.subtract(b).pow(2));
    FieldP.mul(r, 0, loose, 0, loose, 0);
    assertField(r, a.subtract(b).pow(2));
    FieldP.sub(r, 0, loose, 0, x, 0);
    assertField(r, b.negate());
    FieldP.add(r, 0, loose, 0, y, 0);
    assertField(r, a);
  }

  @Property(tries = 500)
  void inversionAndSquareRootMatchBigInteger(@ForAll("fieldElements") BigInteger a) {
    long[] x = FieldP.of(a);
    long[] r = new long[FieldP.LIMBS];
    BigInteger inverse = a.signum() == 0 ? BigInteger.ZERO : a.modInverse(P);
    FieldP.invert(r, 0, x, 0);
    assertField(r, inverse);
    FieldP.invertVar(r, 0, x, 0);
    assertField(r, inverse);
    boolean square = a.signum() == 0 || a.modPow(P.shiftRight(1), P).equals(BigInteger.ONE);
    assertThat(FieldP.sqrt(r, 0, x, 0)).isEqualTo(square);
    if (square) {
      BigInteger root = FieldP.toBigInteger(r, 0);
      assertThat(root.multiply(root).mod(P)).isEqualTo(a);
    }
  }

  @Property(tries = 500)
  void conversionsReduceAndRoundTrip(@ForAll("wideElements") BigInteger a) {
    long[] x = FieldP.of(a);
    assertField(x, a);
    assertThat(FieldP.toBytes(x, 0)).isEqualTo(Abi.uint256(a.mod(P)));
    long[] y = new long[FieldP.LIMBS];
    FieldP.normalize(y, 0, x, 0);
    assertThat(y).isEqualTo(FieldP.of(a.mod(P)));
  }

  @Property(tries = 1000)
  void glvHalvesRecombineAndAreShort(@ForAll("scalars") BigInteger k) {
    BigInteger[] halves = Glv.split(k);
    assertThat(halves[0].add(halves[1].multiply(Glv.LAMBDA)).mod(N)).isEqualTo(k.mod(N));
    assertThat(halves[0].abs().bitLength()).isLessThanOrEqualTo(129);
    assertThat(halves[1].abs().bitLength()).isLessThanOrEqualTo(129);
  }

  @Test
  void lambdaActsOnPointsAsBetaOnX() {
    ECPoint lg = G.multiply(Glv.LAMBDA).normalize();
    assertThat(lg.getAffineXCoord().toBigInteger()).isEqualTo(EcMult.GX.multiply(Glv.BETA).mod(P));
    assertThat(lg.getAffineYCoord().toBigInteger()).isEqualTo(EcMult.GY);
  }

  @Property(tries = 1000)
  void wnafDigitsSumToTheScalar(
      @ForAll("scalars") BigInteger k, @ForAll @IntRange(min = 2, max = 12) int w) {
    BigInteger v = k.mod(BigInteger.ONE.shiftLeft(130));
    int[] naf = new int[Glv.MAX_NAF];
    int len = Glv.wnaf(naf, v, w);
    BigInteger sum = BigInteger.ZERO;
    int lastNonZero = -w;
    for (int i = 0; i < naf.length; i++) {
      int d = naf[i];
      if (d != 0) {
        assertThat(d & 1).as("odd digit").isEqualTo(1);
        assertThat(Math.abs(d)).isLessThan(1 << (w - 1));
        assertThat(i - lastNonZero).as("spacing").isGreaterThanOrEqualTo(w);
        assertThat(i).isLessThan(len);
        lastNonZero = i;
      }
      sum = sum.add(BigInteger.valueOf(d).shiftLeft(i));
    }
    assertThat(sum).isEqualTo(v);
  }

  @Property(tries = 500)
  void oddDigitsSumToTheScalar(@ForAll("scalars") BigInteger k) {
    BigInteger odd = k.setBit(0);
    int[] digits = EcMult.oddDigits(odd);
    BigInteger sum = BigInteger.ZERO;
    for (int i = 0; i < digits.length; i++) {
      assertThat(digits[i] & 1).as("odd digit %d", i).isEqualTo(1);
      assertThat(Math.abs(digits[i])).isLessThanOrEqualTo(15);
      sum = sum.add(BigInteger.valueOf(digits[i]).shiftLeft(4 * i));
    }
    assertThat(sum).isEqualTo(odd);
  }

  @Property(tries = 300)
  void fixedBaseMultiplicationMatchesBouncyCastle(@ForAll("scalars") BigInteger k) {
    Jacobian q = EcMult.multiplyG(k);
    assertPoint(q, G.multiply(k));
    Jacobian viaSum = new EcMult.Sum(4).addG(k).compute();
    assertPoint(viaSum, G.multiply(k));
    assertPoint(new EcMult.Sum(4).addG4(k).compute(), G.multiply(k));
  }

  @Property(tries = 200)
  void jacobianAdditionHandlesEqualAndOppositePoints(
      @ForAll("scalars") BigInteger a, @ForAll("scalars") BigInteger b) {
    ECPoint pa = G.multiply(a).normalize();
    if (pa.isInfinity()) {
      return;
    }
    long[] affine =
        EcMult.affine(pa.getAffineXCoord().toBigInteger(), pa.getAffineYCoord().toBigInteger());
    Jacobian j = EcMult.multiplyG(a);
    j.addAffine(affine, 0, false); // a·G + a·G
    assertPoint(j, pa.twice());
    j = EcMult.multiplyG(a);
    j.addAffine(affine, 0, true); // a·G − a·G
    assertThat(j.infinity).isTrue();
    j = EcMult.multiplyG(b);
    j.addAffine(affine, 0, false);
    assertPoint(j, G.multiply(b).add(pa));
    Jacobian full = EcMult.multiplyG(b);
    full.add(EcMult.multiplyG(a));
    assertPoint(full, G.multiply(b).add(pa));
    Jacobian self = EcMult.multiplyG(a);
    self.add(EcMult.multiplyG(a));
    assertPoint(self, pa.twice());
  }

  /**
   * Σ kᵢ·Pᵢ by interleaving equals the sum of Bouncy Castle's products, over every kind of term.
   */
  @Property(tries = 100)
  void multiScalarSumsEqualNaiveSums(
      @ForAll long seed, @ForAll @IntRange(min = 0, max = 12) int count) {
    Random rnd = new Random(seed);
    EcMult.Sum sum = new EcMult.Sum(2);
    ECPoint expected = G.getCurve().getInfinity();
    BigInteger gk = scalar(rnd);
    sum.addG(gk);
    expected = expected.add(G.multiply(gk));
    for (int i = 0; i < count; i++) {
      ECPoint p =
          G.multiply(scalar(rnd).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE)).normalize();
      long[] affine =
          EcMult.affine(p.getAffineXCoord().toBigInteger(), p.getAffineYCoord().toBigInteger());
      BigInteger k = scalar(rnd);
      int w = 2 + rnd.nextInt(6);
      switch (rnd.nextInt(3)) {
        case 0 -> sum.addSplit(k, EcMult.table(affine, w), w);
        case 1 -> {
          long[] high = EcMult.table(EcMult.timesTwoTo64(affine), w);
          sum.addSplit4(k, EcMult.table(affine, w), high, w);
        }
        default -> {
          k = new BigInteger(129, rnd).subtract(BigInteger.ONE.shiftLeft(128)); // signed, short
          sum.addTerm(k, EcMult.table(affine, w), 0, w);
        }
      }
      expected = expected.add(p.multiply(k.mod(N)));
    }
    assertPoint(sum.compute(), expected);
  }

  @Test
  void aSumThatCancelsIsInfinity() {
    BigInteger k = new BigInteger("123456789abcdef", 16);
    ECPoint p = G.multiply(k).normalize();
    long[] affine =
        EcMult.affine(p.getAffineXCoord().toBigInteger(), p.getAffineYCoord().toBigInteger());
    Jacobian sum =
        new EcMult.Sum(4)
            .addG(k)
            .addSplit(N.subtract(BigInteger.ONE), EcMult.table(affine, 5), 5)
            .compute();
    assertThat(sum.infinity).isTrue();
  }

  @Property(tries = 300)
  void decompressionMatchesBouncyCastle(@ForAll("wideElements") BigInteger x, @ForAll boolean odd) {
    if (x.compareTo(P) >= 0) {
      return; // callers reject x ≥ p before decompressing
    }
    long[] point = Secp256k1.decompress(x, odd);
    byte[] enc = Abi.uint256(x);
    byte[] compressed = new byte[33];
    compressed[0] = (byte) (odd ? 3 : 2);
    System.arraycopy(enc, 0, compressed, 1, 32);
    ECPoint expected;
    try {
      expected = Secp256k1.CURVE.getCurve().decodePoint(compressed).normalize();
    } catch (IllegalArgumentException e) {
      expected = null;
    }
    if (expected == null) {
      assertThat(point).isNull();
    } else {
      assertThat(FieldP.toBigInteger(point, 0))
          .isEqualTo(expected.getAffineXCoord().toBigInteger());
      assertThat(FieldP.toBigInteger(point, FieldP.LIMBS))
          .isEqualTo(expected.getAffineYCoord().toBigInteger());
    }
  }

  /**
   * Recovery and checks against remembered keys answer exactly as Bouncy Castle's construction on
   * signatures spoilt every way: r or s out of range (≥ n, > n/2, ≥ p), x not on the curve, the
   * other v, another message.
   */
  @Property(tries = 300)
  void invalidSignaturesAreRejectedAsBefore(
      @ForAll("scalars") BigInteger d,
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 8) int fault) {
    BigInteger key = d.mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
    Random rnd = new Random(seed);
    byte[] hash = new byte[32];
    rnd.nextBytes(hash);
    Secp256k1.KeyPair pair = Secp256k1.KeyPair.fromPrivateKey(key);
    Signature good = Secp256k1.sign(hash, key);
    BigInteger r = good.r();
    BigInteger s = good.s();
    int v = good.v();
    switch (fault) {
      case 1 -> r = N.add(BigInteger.valueOf(rnd.nextInt(1000))); // r ≥ n
      case 2 -> r = P.add(BigInteger.valueOf(rnd.nextInt(1000))); // r ≥ p
      case 3 -> s = N.shiftRight(1).add(BigInteger.ONE); // high s
      case 4 -> s = N.add(BigInteger.valueOf(rnd.nextInt(1000))); // s ≥ n
      case 5 -> v = v == 27 ? 28 : 27;
      case 6 -> r = new BigInteger(256, rnd).mod(N).max(BigInteger.ONE); // often no point has x = r
      case 7 -> hash[rnd.nextInt(32)] ^= (byte) (1 + rnd.nextInt(255));
      case 8 -> s = new BigInteger(255, rnd).mod(N.shiftRight(1)).max(BigInteger.ONE);
      default -> {}
    }
    Signature sig = new Signature(r, s, v);
    Optional<String> expected = Secp256k1SigningTest.referenceRecover(hash, sig);
    assertThat(Secp256k1.recoverAddress(hash, sig)).isEqualTo(expected);
    boolean signedByPair = expected.filter(pair.address()::equals).isPresent();
    Secp256k1.forgetKnownKeys();
    assertThat(Secp256k1.verify(hash, sig, pair.address())).isEqualTo(signedByPair);
    byte[] other = hash.clone();
    other[0] ^= 1;
    assertThat(Secp256k1.verify(other, Secp256k1.sign(other, key), pair.address())).isTrue();
    assertThat(Secp256k1.verify(hash, sig, pair.address()))
        .as("key remembered")
        .isEqualTo(signedByPair);
    if (fault == 0) {
      assertThat(signedByPair).isTrue();
    }
  }

  @Property(tries = 100)
  void publicKeysAreBouncyCastles(@ForAll("scalars") BigInteger d) {
    BigInteger key = d.mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
    byte[] expected = G.multiply(key).normalize().getEncoded(false);
    assertThat(Secp256k1.publicKeyOf(key)).isEqualTo(Arrays.copyOfRange(expected, 1, 65));
  }

  /** A batch of many signers with some spoilt signatures answers as each alone. */
  @Property(tries = 20)
  void batchesOfManySignersAnswerAsEachAlone(@ForAll long seed) {
    Random rnd = new Random(seed);
    List<Secp256k1.KeyPair> keys = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      keys.add(Secp256k1.KeyPair.fromPrivateKey(new BigInteger(255, rnd).add(BigInteger.ONE)));
    }
    List<Secp256k1.Check> checks = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Secp256k1.KeyPair k = keys.get(rnd.nextInt(keys.size()));
      byte[] hash = new byte[32];
      rnd.nextBytes(hash);
      Signature sig = k.sign(hash);
      if (rnd.nextInt(10) == 0) {
        sig = new Signature(sig.r(), sig.s(), sig.v() == 27 ? 28 : 27);
      }
      checks.add(new Secp256k1.Check(hash, sig, k.address()));
    }
    Secp256k1.verifyAll(checks); // remembers the keys
    boolean[] ok = Secp256k1.verifyAll(checks);
    for (int i = 0; i < checks.size(); i++) {
      Secp256k1.Check c = checks.get(i);
      boolean expected =
          Secp256k1SigningTest.referenceRecover(c.hash32(), c.signature())
              .filter(c.address()::equals)
              .isPresent();
      assertThat(ok[i]).as("check %d", i).isEqualTo(expected);
    }
  }

  private static BigInteger scalar(Random rnd) {
    return switch (rnd.nextInt(6)) {
      case 0 -> BigInteger.ZERO;
      case 1 -> BigInteger.ONE;
      case 2 -> N.subtract(BigInteger.ONE);
      default -> new BigInteger(256, rnd).mod(N);
    };
  }

  private static void assertField(long[] r, BigInteger expected) {
    assertThat(r[0]).isBetween(0L, (1L << 53) - 1);
    for (int i = 1; i < 4; i++) {
      assertThat(r[i]).as("limb %d", i).isBetween(0L, (1L << 52) - 1);
    }
    assertThat(r[4]).isBetween(0L, (1L << 48) - 1);
    assertThat(FieldP.toBigInteger(r, 0)).isEqualTo(expected.mod(P));
  }

  private static void assertPoint(Jacobian j, ECPoint expected) {
    ECPoint e = expected.normalize();
    long[] a = new long[Jacobian.AFFINE];
    assertThat(j.toAffine(a, 0)).isEqualTo(!e.isInfinity());
    if (!e.isInfinity()) {
      assertThat(FieldP.toBigInteger(a, 0)).isEqualTo(e.getAffineXCoord().toBigInteger());
      assertThat(FieldP.toBigInteger(a, FieldP.LIMBS))
          .isEqualTo(e.getAffineYCoord().toBigInteger());
    }
  }
}
