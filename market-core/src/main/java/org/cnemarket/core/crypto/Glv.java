package org.cnemarket.core.crypto;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Scalars mod n for secp256k1's multiplications: the GLV split k ≡ k1 + k2·λ (mod n) into halves of
 * about 128 bits, since λ·(x, y) = (β·x, y) costs one field product, and width-w NAF recoding.
 */
final class Glv {
  static final BigInteger N =
      new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
  static final BigInteger LAMBDA =
      new BigInteger("5363AD4CC05C30E0A5261C028812645A122E22EA20816678DF02967C1B23BD72", 16);
  static final BigInteger BETA =
      new BigInteger("7AE96A2B657C07106E64479EAC3434E99CF0497512F58995C1396C28719501EE", 16);
  // A short basis of the lattice {(a, b) : a + b·λ ≡ 0 (mod n)} (Guide to ECC, algorithm 3.74).
  private static final BigInteger A1 = new BigInteger("3086D221A7D46BCDE86C90E49284EB15", 16);
  private static final BigInteger B1 =
      new BigInteger("E4437ED6010E88286F547FA90ABFE4C3", 16).negate();
  private static final BigInteger A2 = new BigInteger("114CA50F7A8E2F3F657C1108D9D44CFD8", 16);
  private static final BigInteger B2 = A1;
  private static final BigInteger HALF_N = N.shiftRight(1);

  /** Longest NAF of a split half: halves are below 2^129, plus one digit for the last carry. */
  static final int MAX_NAF = 131;

  private Glv() {}

  /** {k1, k2} with k ≡ k1 + k2·λ (mod n), |k1|, |k2| < 2^129; k is reduced mod n first. */
  static BigInteger[] split(BigInteger k) {
    k = k.mod(N);
    BigInteger c1 = roundDiv(B2.multiply(k));
    BigInteger c2 = roundDiv(B1.negate().multiply(k));
    BigInteger k1 = k.subtract(c1.multiply(A1)).subtract(c2.multiply(A2));
    BigInteger k2 = c1.multiply(B1).add(c2.multiply(B2)).negate();
    return new BigInteger[] {k1, k2};
  }

  /** round(v / n) for v ≥ 0. */
  private static BigInteger roundDiv(BigInteger v) {
    return v.add(HALF_N).divide(N);
  }

  /**
   * Width-w NAF of k ≥ 0 into naf (zeroed first): k = Σ naf[i]·2^i, each digit zero or odd with
   * |digit| < 2^(w−1), and of any w consecutive digits at most one non-zero. Returns the number of
   * digits (index of the highest non-zero digit + 1, 0 for k = 0).
   */
  static int wnaf(int[] naf, BigInteger k, int w) {
    Arrays.fill(naf, 0);
    int len = k.bitLength();
    if (len + 1 > naf.length) {
      throw new IllegalArgumentException("scalar too long for its NAF: " + len + " bits");
    }
    long[] words = new long[(len + 63) / 64 + 1];
    for (int i = 0; i < words.length - 1; i++) {
      words[i] = k.shiftRight(64 * i).longValue();
    }
    int carry = 0;
    int bit = 0;
    int last = 0;
    while (bit < len) {
      if (bits(words, bit, 1) == carry) {
        bit++;
        continue;
      }
      int now = Math.min(w, len - bit);
      int word = bits(words, bit, now) + carry;
      carry = (word >>> (w - 1)) & 1;
      word -= carry << w;
      naf[bit] = word;
      last = bit + 1;
      bit += now;
    }
    if (carry != 0) {
      naf[bit] = 1;
      last = bit + 1;
    }
    return last;
  }

  private static int bits(long[] words, int pos, int count) {
    int w = pos >>> 6;
    int s = pos & 63;
    long v = words[w] >>> s;
    if (s + count > 64) {
      v |= words[w + 1] << (64 - s);
    }
    return (int) (v & ((1L << count) - 1));
  }
}
