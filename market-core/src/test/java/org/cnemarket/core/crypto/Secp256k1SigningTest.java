package org.cnemarket.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.bouncycastle.asn1.x9.X9IntegerConverter;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Signing finds v from R's y parity and recovery skips the n·R check: both are compared here with
 * the plain constructions they replaced (Bouncy Castle's ECDSASigner, then trying both recovery
 * ids; recovery with the order check), on random keys and messages.
 */
class Secp256k1SigningTest {
  private static final BigInteger N = Secp256k1.CURVE.getN();

  @Provide
  Arbitrary<BigInteger> privateKeys() {
    return Arbitraries.bigIntegers().between(BigInteger.ONE, N.subtract(BigInteger.ONE));
  }

  @Provide
  Arbitrary<byte[]> hashes() {
    return Arbitraries.bytes().array(byte[].class).ofSize(32);
  }

  @Property(tries = 300)
  void signaturesAreThoseOfTheReferenceSigner(
      @ForAll("privateKeys") BigInteger d, @ForAll("hashes") byte[] hash) {
    assertThat(Secp256k1.sign(hash, d)).isEqualTo(referenceSign(hash, d));
  }

  @Property(tries = 300)
  void vRecoversTheSignerAndTheOtherVDoesNot(
      @ForAll("privateKeys") BigInteger d, @ForAll("hashes") byte[] hash) {
    Secp256k1.KeyPair key = Secp256k1.KeyPair.fromPrivateKey(d);
    Signature sig = Secp256k1.sign(hash, d);
    assertThat(sig.s()).isLessThanOrEqualTo(N.shiftRight(1));
    assertThat(Secp256k1.recoverAddress(hash, sig)).contains(key.address());
    Signature flipped = new Signature(sig.r(), sig.s(), sig.v() == 27 ? 28 : 27);
    assertThat(Secp256k1.recoverAddress(hash, flipped)).isNotEqualTo(Optional.of(key.address()));
    // Deterministic: the same key and message give the same signature.
    assertThat(Secp256k1.sign(hash.clone(), d)).isEqualTo(sig);
  }

  @Property(tries = 300)
  void recoveryAgreesWithTheCheckedConstructionOnAnyInput(
      @ForAll("hashes") byte[] hash,
      @ForAll("hashes") byte[] rBytes,
      @ForAll("hashes") byte[] sBytes,
      @ForAll @IntRange(min = 27, max = 28) int v) {
    BigInteger r = new BigInteger(1, rBytes);
    BigInteger s = new BigInteger(1, sBytes).mod(N.shiftRight(1));
    if (r.signum() == 0 || s.signum() == 0) {
      return;
    }
    Signature sig = new Signature(r, s, v);
    assertThat(Secp256k1.recoverAddress(hash, sig)).isEqualTo(referenceRecover(hash, sig));
  }

  @Property(tries = 100)
  void recoveryOfRealSignaturesAgreesWithTheCheckedConstruction(
      @ForAll("privateKeys") BigInteger d, @ForAll("hashes") byte[] hash) {
    Signature sig = Secp256k1.sign(hash, d);
    assertThat(Secp256k1.recoverAddress(hash, sig))
        .isEqualTo(referenceRecover(hash, sig))
        .contains(Secp256k1.KeyPair.fromPrivateKey(d).address());
  }

  @Property(tries = 300)
  void verifyingAgainstARememberedKeyAnswersAsRecoveryDoes(
      @ForAll("privateKeys") BigInteger d,
      @ForAll("privateKeys") BigInteger otherKey,
      @ForAll("hashes") byte[] hash,
      @ForAll("hashes") byte[] otherHash,
      @ForAll("hashes") byte[] rBytes,
      @ForAll @IntRange(min = 0, max = 5) int tamper) {
    Secp256k1.KeyPair key = Secp256k1.KeyPair.fromPrivateKey(d);
    Secp256k1.KeyPair other = Secp256k1.KeyPair.fromPrivateKey(otherKey);
    Signature good = Secp256k1.sign(hash, d);
    BigInteger randomR = new BigInteger(1, rBytes).mod(N);
    Signature probe =
        switch (tamper) {
          case 1 -> new Signature(good.r(), good.s(), good.v() == 27 ? 28 : 27);
          case 2 ->
              new Signature(randomR.signum() == 0 ? BigInteger.ONE : randomR, good.s(), good.v());
          case 3 -> new Signature(good.r(), N.subtract(good.s()), good.v());
          default -> good;
        };
    byte[] message = tamper == 4 ? otherHash : hash;
    String signer = tamper == 5 ? other.address() : key.address();
    boolean expected = referenceRecover(message, probe).filter(signer::equals).isPresent();

    Secp256k1.forgetKnownKeys();
    assertThat(Secp256k1.verify(message, probe, signer))
        .as("no key remembered")
        .isEqualTo(expected);
    // Teach both keys with genuine signatures, then ask again.
    assertThat(Secp256k1.verify(hash, good, key.address())).isTrue();
    assertThat(Secp256k1.verify(otherHash, Secp256k1.sign(otherHash, otherKey), other.address()))
        .isTrue();
    assertThat(Secp256k1.knownKeys()).isGreaterThan(0);
    assertThat(Secp256k1.verify(message, probe, signer)).as("keys remembered").isEqualTo(expected);
    assertThat(
            Secp256k1.verify(message, probe, signer.toUpperCase(Locale.ROOT).replace("0X", "0x")))
        .as("address in upper case")
        .isEqualTo(expected);
    if (tamper == 0) {
      assertThat(expected).isTrue();
    }
  }

  /**
   * The former signer: BC's RFC 6979 ECDSA, low-s, then whichever recovery id gives the key back.
   */
  private static Signature referenceSign(byte[] hash, BigInteger d) {
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(d, Secp256k1.CURVE));
    BigInteger[] rs = signer.generateSignature(hash);
    BigInteger s = rs[1].compareTo(N.shiftRight(1)) > 0 ? N.subtract(rs[1]) : rs[1];
    String address = Secp256k1.KeyPair.fromPrivateKey(d).address();
    for (int v = 27; v <= 28; v++) {
      Signature sig = new Signature(rs[0], s, v);
      if (referenceRecover(hash, sig).filter(address::equals).isPresent()) {
        return sig;
      }
    }
    throw new AssertionError("no recovery id");
  }

  /** SEC 1 4.1.6 with the n·R = O check. */
  static Optional<String> referenceRecover(byte[] hash, Signature sig) {
    if (sig.r().compareTo(N) >= 0 || sig.s().compareTo(N.shiftRight(1)) > 0) {
      return Optional.empty();
    }
    X9IntegerConverter conv = new X9IntegerConverter();
    byte[] enc = conv.integerToBytes(sig.r(), 33);
    enc[0] = (byte) (sig.v() == 28 ? 0x03 : 0x02);
    ECPoint rPoint;
    try {
      rPoint = Secp256k1.CURVE.getCurve().decodePoint(enc);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (!rPoint.multiply(N).isInfinity()) {
      return Optional.empty();
    }
    BigInteger e = new BigInteger(1, hash);
    BigInteger rInv = sig.r().modInverse(N);
    ECPoint q =
        ECAlgorithms.sumOfTwoMultiplies(
                Secp256k1.CURVE.getG(),
                rInv.multiply(e.negate()).mod(N),
                rPoint,
                rInv.multiply(sig.s()).mod(N))
            .normalize();
    if (q.isInfinity()) {
      return Optional.empty();
    }
    byte[] pub = q.getEncoded(false);
    return Optional.of(Secp256k1.addressOf(Arrays.copyOfRange(pub, 1, 65)));
  }
}
