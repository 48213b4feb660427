package org.cnemarket.core.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.util.BigIntegers;

/**
 * secp256k1 keys, deterministic (RFC 6979) low-s signing and public-key recovery, as Ethereum. The
 * curve arithmetic is this package's own ({@link FieldP}, {@link Jacobian}, {@link EcMult}); Bouncy
 * Castle gives the curve parameters, RFC 6979's nonces and modular inversions.
 */
public final class Secp256k1 {
  private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
  static final ECDomainParameters CURVE =
      new ECDomainParameters(PARAMS.getCurve(), PARAMS.getG(), PARAMS.getN(), PARAMS.getH());
  private static final BigInteger HALF_N = PARAMS.getN().shiftRight(1);

  /** How many signers' public keys {@link #verify} remembers. */
  public static final int KNOWN_KEYS_LIMIT = 4096;

  /** Window of a remembered key's tables: 16 odd multiples and their λ images, 2.5 KB each. */
  static final int KEY_WINDOW = 6;

  /** Window of R's table in a recovery (R is used once, for both GLV halves of its scalar). */
  static final int RECOVERY_WINDOW = 5;

  /** Window of each R's table in a batch (R is used once, for a 128-bit coefficient). */
  static final int BATCH_WINDOW = 4;

  private static final Map<String, KnownKey> KNOWN_KEYS = new ConcurrentHashMap<>();

  static {
    // Recovery skips the n·R = O check, which holds only for a curve of cofactor 1.
    if (!PARAMS.getH().equals(BigInteger.ONE)) {
      throw new IllegalStateException("secp256k1 parameters with cofactor " + PARAMS.getH());
    }
    if (!PARAMS.getN().equals(Glv.N)
        || !PARAMS.getCurve().getField().getCharacteristic().equals(FieldP.P)
        || !PARAMS.getG().getAffineXCoord().toBigInteger().equals(EcMult.GX)
        || !PARAMS.getG().getAffineYCoord().toBigInteger().equals(EcMult.GY)) {
      throw new IllegalStateException("secp256k1 parameters differ from this package's constants");
    }
  }

  /**
   * A remembered public key Q: its 64-byte encoding and the tables of Q and 2^64·Q for {@link
   * EcMult.Sum} (5 KB together).
   */
  record KnownKey(byte[] encoded, long[] table, long[] high) {
    static KnownKey of(long[] point) {
      return new KnownKey(
          encode(point),
          EcMult.table(point, KEY_WINDOW),
          EcMult.table(EcMult.timesTwoTo64(point), KEY_WINDOW));
    }
  }

  private Secp256k1() {}

  /** A private key and its address. */
  public record KeyPair(BigInteger privateKey, String address) {
    public KeyPair {
      if (privateKey.signum() <= 0 || privateKey.compareTo(CURVE.getN()) >= 0) {
        throw new IllegalArgumentException("private key out of range");
      }
    }

    public static KeyPair fromPrivateKey(BigInteger d) {
      return new KeyPair(d, addressOf(publicKeyOf(d)));
    }

    public static KeyPair fromPrivateKeyHex(String hex) {
      return fromPrivateKey(new BigInteger(1, Hex.decode(hex, 32)));
    }

    public static KeyPair generate(SecureRandom random) {
      BigInteger d;
      do {
        d = new BigInteger(256, random);
      } while (d.signum() == 0 || d.compareTo(CURVE.getN()) >= 0);
      return fromPrivateKey(d);
    }

    public String privateKeyHex() {
      return Hex.encode(Abi.uint256(privateKey));
    }

    public Signature sign(byte[] hash32) {
      return Secp256k1.sign(hash32, privateKey);
    }

    @Override
    public String toString() {
      return "KeyPair[address=" + address + "]";
    }
  }

  /** The 64-byte uncompressed public key (x || y), without the 0x04 prefix. */
  public static byte[] publicKeyOf(BigInteger privateKey) {
    long[] q = new long[Jacobian.AFFINE];
    // The point at infinity (a key ≡ 0 mod n) encodes as 64 zero bytes, as before.
    return EcMult.multiplyG(privateKey).toAffineSecret(q, 0) ? encode(q) : new byte[64];
  }

  /** The Ethereum address (lower-case hex) of a 64-byte public key. */
  public static String addressOf(byte[] publicKey64) {
    byte[] h = Keccak.hash(publicKey64);
    return Hex.encode(Arrays.copyOfRange(h, 12, 32));
  }

  /**
   * Deterministic (RFC 6979, HMAC-SHA256) low-s signature, the same r and s as Bouncy Castle's
   * {@code ECDSASigner}. The recovery id comes from the parity of R's y coordinate, known while
   * signing, so signing costs one fixed-base multiplication and no recovery (its timing: see {@link
   * EcMult#multiplyG}).
   */
  public static Signature sign(byte[] hash32, BigInteger privateKey) {
    requireHash(hash32);
    BigInteger n = CURVE.getN();
    if (privateKey.signum() <= 0 || privateKey.compareTo(n) >= 0) {
      throw new IllegalArgumentException("private key out of range");
    }
    BigInteger e = new BigInteger(1, hash32);
    HMacDSAKCalculator kCalculator = new HMacDSAKCalculator(new SHA256Digest());
    kCalculator.init(n, privateKey, hash32);
    while (true) {
      BigInteger k = kCalculator.nextK();
      // Fixed-base multiplication: its table is computed once per process.
      long[] p = new long[Jacobian.AFFINE];
      EcMult.multiplyG(k).toAffineSecret(p, 0); // 0 < k < n: never infinity
      BigInteger x = FieldP.toBigInteger(p, 0);
      BigInteger r = x.mod(n);
      if (r.signum() == 0) {
        continue;
      }
      BigInteger s = BigIntegers.modOddInverse(n, k).multiply(e.add(privateKey.multiply(r))).mod(n);
      if (s.signum() == 0) {
        continue;
      }
      if (x.compareTo(n) >= 0) {
        // R.x ≥ n (probability about 2^-128): Ethereum's v cannot say so.
        throw new IllegalStateException("could not find a recovery id for the signature");
      }
      int recId = FieldP.isOdd(p, FieldP.LIMBS) ? 1 : 0;
      // Ethereum (EIP-2) accepts only the low-s form; negating s mirrors R, flipping y's parity.
      if (s.compareTo(HALF_N) > 0) {
        s = n.subtract(s);
        recId ^= 1;
      }
      return new Signature(r, s, 27 + recId);
    }
  }

  /** The address that signed {@code hash32}, or empty when the signature is invalid. */
  public static Optional<String> recoverAddress(byte[] hash32, Signature sig) {
    requireHash(hash32);
    if (!validRange(sig)) {
      return Optional.empty();
    }
    long[] q = recoverPoint(sig.v() - 27, sig.r(), sig.s(), hash32);
    return q == null ? Optional.empty() : Optional.of(addressOf(encode(q)));
  }

  /**
   * True when {@code sig} over {@code hash32} was made by {@code address} (case-insensitive): the
   * same answer as recovering the signer and comparing addresses. Once a signature of an address
   * has been recovered, its public key is remembered (at most {@link #KNOWN_KEYS_LIMIT} keys), and
   * later signatures of that address are checked against it directly: no square root to decompress
   * R, no hash of the key, and the key's multiplication table is kept with it.
   */
  public static boolean verify(byte[] hash32, Signature sig, String address) {
    requireHash(hash32);
    String who = address.toLowerCase(Locale.ROOT);
    if (!validRange(sig)) {
      return false;
    }
    KnownKey known = KNOWN_KEYS.get(who);
    if (known != null) {
      return signedBy(hash32, sig, known);
    }
    long[] q = recoverPoint(sig.v() - 27, sig.r(), sig.s(), hash32);
    if (q == null || !addressOf(encode(q)).equals(who)) {
      return false;
    }
    if (KNOWN_KEYS.size() >= KNOWN_KEYS_LIMIT) {
      // Bounded: start over rather than grow (each key holds a few KB of precomputed points).
      KNOWN_KEYS.clear();
    }
    KNOWN_KEYS.putIfAbsent(who, KnownKey.of(q));
    return true;
  }

  /** One signature to check with {@link #verifyAll}. */
  public record Check(byte[] hash32, Signature signature, String address) {}

  /** Below this many signatures of known signers, checking each alone is cheaper. */
  static final int MIN_BATCH = 4;

  /**
   * Checks many signatures; answers for each exactly as {@link #verify} would. Signatures of
   * signers whose key is known are checked together: every valid signature has R = (e/s)·G +
   * (r/s)·Q, so with coefficients z drawn from a hash of the whole batch (128 bits each), Σ z·R =
   * (Σ z·e/s)·G + Σ_Q (Σ z·r/s)·Q holds when all are valid and, if any is not, with probability
   * 2⁻¹²⁸ at most. That is one multi-scalar multiplication, whose doublings are shared and whose
   * scalars for R are half length, in place of one double multiplication per signature; a signer's
   * many orders add to one scalar of its key. When the sum does not vanish, each is checked alone
   * to say which failed. R is taken with the parity v names, as recovery does.
   */
  public static boolean[] verifyAll(List<Check> checks) {
    int size = checks.size();
    boolean[] ok = new boolean[size];
    boolean[] batched = new boolean[size];
    KnownKey[] keys = new KnownKey[size];
    long[][] rPoints = new long[size][];
    int count = 0;
    for (int i = 0; i < size; i++) {
      Check c = checks.get(i);
      requireHash(c.hash32());
      String who = c.address().toLowerCase(Locale.ROOT);
      KnownKey q = KNOWN_KEYS.get(who);
      if (q == null || !validRange(c.signature())) {
        // The first signature of a signer is recovered (and its key remembered), as verify does.
        ok[i] = verify(c.hash32(), c.signature(), who);
        continue;
      }
      long[] r =
          c.signature().r().compareTo(FieldP.P) < 0
              ? decompress(c.signature().r(), c.signature().v() == 28)
              : null;
      if (r == null) {
        continue; // no point has x = r: no key can have made it
      }
      keys[i] = q;
      rPoints[i] = r;
      batched[i] = true;
      count++;
    }
    if (count == 0) {
      return ok;
    }
    if (count >= MIN_BATCH && sumVanishes(checks, batched, keys, rPoints, count)) {
      for (int i = 0; i < size; i++) {
        ok[i] |= batched[i];
      }
      return ok;
    }
    for (int i = 0; i < size; i++) {
      if (batched[i]) {
        Check c = checks.get(i);
        ok[i] = signedBy(c.hash32(), c.signature(), keys[i]);
      }
    }
    return ok;
  }

  /** Fewest signatures a core is given by {@link #verifyAllParallel}. */
  static final int MIN_CHUNK = 64;

  /**
   * {@link #verifyAll} over chunks of {@code checks}, one per core of the common fork-join pool.
   */
  public static boolean[] verifyAllParallel(List<Check> checks) {
    int size = checks.size();
    int chunks =
        Math.max(1, Math.min(ForkJoinPool.getCommonPoolParallelism() + 1, size / MIN_CHUNK));
    if (chunks == 1) {
      return verifyAll(checks);
    }
    boolean[] ok = new boolean[size];
    IntStream.range(0, chunks)
        .parallel()
        .forEach(
            c -> {
              int from = (int) ((long) size * c / chunks);
              int to = (int) ((long) size * (c + 1) / chunks);
              boolean[] part = verifyAll(checks.subList(from, to));
              System.arraycopy(part, 0, ok, from, part.length);
            });
    return ok;
  }

  private static boolean sumVanishes(
      List<Check> checks, boolean[] batched, KnownKey[] keys, long[][] rPoints, int count) {
    BigInteger n = CURVE.getN();
    // The coefficients commit to every signature, hash and key of the batch (Fiat-Shamir): a
    // signer cannot choose a bad signature that cancels out, and the check stays deterministic.
    byte[] transcript = new byte[count * 161];
    int off = 0;
    for (int i = 0; i < batched.length; i++) {
      if (batched[i]) {
        Check c = checks.get(i);
        System.arraycopy(c.hash32(), 0, transcript, off, 32);
        System.arraycopy(Abi.uint256(c.signature().r()), 0, transcript, off + 32, 32);
        System.arraycopy(Abi.uint256(c.signature().s()), 0, transcript, off + 64, 32);
        transcript[off + 96] = (byte) c.signature().v();
        System.arraycopy(keys[i].encoded(), 0, transcript, off + 97, 64);
        off += 161;
      }
    }
    byte[] seed = Keccak.hash(transcript);
    byte[] block = Arrays.copyOf(seed, 36);
    // Odd multiples of every R, made affine together with one inversion.
    int perR = 1 << (BATCH_WINDOW - 2);
    int stride = perR * Jacobian.AFFINE;
    long[] jac = new long[count * perR * 3 * FieldP.LIMBS];
    int[] rIndex = new int[count];
    int j = 0;
    for (int i = 0; i < batched.length; i++) {
      if (batched[i]) {
        Jacobian.oddMultiples(rPoints[i], 0, perR, jac, j * perR * 3 * FieldP.LIMBS);
        rIndex[j++] = i;
      }
    }
    long[] rTables = new long[count * stride];
    Jacobian.toAffineAll(jac, count * perR, rTables, 0);
    BigInteger gScalar = BigInteger.ZERO;
    Map<KnownKey, BigInteger> keyScalars = new IdentityHashMap<>();
    EcMult.Sum sum = new EcMult.Sum(count + 2 + 2 * count);
    for (j = 0; j < count; j++) {
      int i = rIndex[j];
      Signature sig = checks.get(i).signature();
      block[32] = (byte) (j >>> 24);
      block[33] = (byte) (j >>> 16);
      block[34] = (byte) (j >>> 8);
      block[35] = (byte) j;
      BigInteger z = new BigInteger(1, Arrays.copyOf(Keccak.hash(block), 16)).add(BigInteger.ONE);
      BigInteger zw = z.multiply(BigIntegers.modOddInverseVar(n, sig.s())).mod(n);
      BigInteger e = new BigInteger(1, checks.get(i).hash32());
      gScalar = gScalar.add(zw.multiply(e)).mod(n);
      keyScalars.merge(keys[i], zw.multiply(sig.r()).mod(n), (a, b) -> a.add(b).mod(n));
      sum.addTerm(z.negate(), rTables, j * stride, BATCH_WINDOW); // −z·R
    }
    sum.addG(gScalar);
    keyScalars.forEach((q, k) -> sum.addSplit(k, q.table(), KEY_WINDOW));
    return sum.compute().infinity;
  }

  /**
   * Whether recovery with this signature's v would give {@code q}: R = u1·G + u2·Q (u1 = e/s, u2 =
   * r/s) must be the point whose x is r and whose y has v's parity, which is exactly the R recovery
   * starts from, since Q = r⁻¹(s·R − e·G) is one-to-one in R.
   */
  private static boolean signedBy(byte[] hash32, Signature sig, KnownKey q) {
    BigInteger n = CURVE.getN();
    BigInteger e = new BigInteger(1, hash32);
    BigInteger sInv = BigIntegers.modOddInverseVar(n, sig.s());
    BigInteger u1 = e.multiply(sInv).mod(n);
    BigInteger u2 = sig.r().multiply(sInv).mod(n);
    // Both scalars in 64-bit quarters: 64 doublings instead of 128.
    Jacobian r =
        new EcMult.Sum(8).addG4(u1).addSplit4(u2, q.table(), q.high(), KEY_WINDOW).compute();
    long[] a = new long[Jacobian.AFFINE];
    return r.toAffine(a, 0)
        && FieldP.toBigInteger(a, 0).equals(sig.r())
        && FieldP.isOdd(a, FieldP.LIMBS) == (sig.v() == 28);
  }

  private static boolean validRange(Signature sig) {
    return sig.r().compareTo(CURVE.getN()) < 0 && sig.s().compareTo(HALF_N) <= 0;
  }

  /** Forgets every remembered public key (tests use this to compare cold and warm checks). */
  static void forgetKnownKeys() {
    KNOWN_KEYS.clear();
  }

  static int knownKeys() {
    return KNOWN_KEYS.size();
  }

  private static void requireHash(byte[] hash32) {
    if (hash32.length != 32) {
      throw new IllegalArgumentException("message hash must be 32 bytes");
    }
  }

  // SEC 1 v2, section 4.1.6, restricted to x = r (j = 0): the only case Ethereum's v encodes.
  private static long[] recoverPoint(int recId, BigInteger r, BigInteger s, byte[] message) {
    BigInteger n = CURVE.getN();
    if (r.compareTo(FieldP.P) >= 0) {
      return null;
    }
    long[] rPoint = decompress(r, (recId & 1) == 1);
    // secp256k1 has cofactor 1: every point on the curve has order n, so no n·R = O check is
    // needed.
    if (rPoint == null) {
      return null;
    }
    BigInteger e = new BigInteger(1, message);
    BigInteger eInv = BigInteger.ZERO.subtract(e).mod(n);
    BigInteger rInv = BigIntegers.modOddInverseVar(n, r);
    BigInteger srInv = rInv.multiply(s).mod(n);
    BigInteger eInvrInv = rInv.multiply(eInv).mod(n);
    Jacobian q =
        new EcMult.Sum(4)
            .addG(eInvrInv)
            .addSplit(srInv, EcMult.table(rPoint, RECOVERY_WINDOW), RECOVERY_WINDOW)
            .compute();
    long[] out = new long[Jacobian.AFFINE];
    return q.toAffine(out, 0) ? out : null;
  }

  /** The 64-byte encoding x || y of an affine point. */
  private static byte[] encode(long[] point) {
    byte[] out = new byte[64];
    FieldP.writeBytes(point, 0, out, 0);
    FieldP.writeBytes(point, FieldP.LIMBS, out, 32);
    return out;
  }

  /** The point with this x (below p) and y of this parity, or null when x³ + 7 is no square. */
  static long[] decompress(BigInteger x, boolean yOdd) {
    long[] p = new long[Jacobian.AFFINE];
    FieldP.set(p, 0, x);
    long[] y2 = new long[FieldP.LIMBS];
    FieldP.sqr(y2, 0, p, 0);
    FieldP.mul(y2, 0, y2, 0, p, 0);
    long[] seven = new long[FieldP.LIMBS];
    FieldP.setInt(seven, 0, 7);
    FieldP.add(y2, 0, y2, 0, seven, 0);
    if (!FieldP.sqrt(p, FieldP.LIMBS, y2, 0)) {
      return null;
    }
    FieldP.normalize(p, FieldP.LIMBS, p, FieldP.LIMBS);
    if (((p[FieldP.LIMBS] & 1) != 0) != yOdd) {
      FieldP.negate(p, FieldP.LIMBS, p, FieldP.LIMBS);
      FieldP.normalize(p, FieldP.LIMBS, p, FieldP.LIMBS);
    }
    FieldP.normalize(p, 0, p, 0);
    return p;
  }
}
