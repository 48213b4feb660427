package org.cnemarket.core.crypto;

import static org.cnemarket.core.crypto.FieldP.LIMBS;
import static org.cnemarket.core.crypto.Jacobian.AFFINE;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Multiplications on secp256k1: Σ kᵢ·Pᵢ by interleaving (Strauss) the width-w NAFs of every scalar
 * over one shared run of doublings, with GLV halves for full-size scalars and affine tables of odd
 * multiples (so every addition is a mixed one); a large static table for G; and k·G for signing
 * from a fixed-base table without doublings.
 */
final class EcMult {
  static final BigInteger GX =
      new BigInteger("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798", 16);
  static final BigInteger GY =
      new BigInteger("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8", 16);

  /** Window of the static tables of G and 2^64·G: 1024 odd multiples each, 160 KB with λ images. */
  static final int G_WINDOW = 12;

  private static final long[] BETA_FE = FieldP.of(Glv.BETA);

  private EcMult() {}

  /** The affine point (x, y). */
  static long[] affine(BigInteger x, BigInteger y) {
    long[] p = new long[AFFINE];
    FieldP.set(p, 0, x);
    FieldP.set(p, LIMBS, y);
    return p;
  }

  /**
   * Affine odd multiples P, 3P, …, (2^(w−1) − 1)P of the affine point p, followed by those of λ·P
   * (same y, x times β).
   */
  static long[] table(long[] p, int w) {
    int count = 1 << (w - 2);
    long[] jac = new long[count * 3 * LIMBS];
    Jacobian.oddMultiples(p, 0, count, jac, 0);
    long[] out = new long[2 * count * AFFINE];
    Jacobian.toAffineAll(jac, count, out, 0);
    withLambda(out, count);
    return out;
  }

  /** Fills entries count..2·count−1 of a table with λ times entries 0..count−1. */
  static void withLambda(long[] table, int count) {
    for (int i = 0; i < count; i++) {
      int from = i * AFFINE;
      int to = (count + i) * AFFINE;
      FieldP.mul(table, to, table, from, BETA_FE, 0);
      FieldP.normalize(table, to, table, to);
      FieldP.copy(table, to + LIMBS, table, from + LIMBS);
    }
  }

  /** 2^64·P for the affine point p, affine. */
  static long[] timesTwoTo64(long[] p) {
    Jacobian j = new Jacobian();
    j.setAffine(p, 0, false);
    for (int i = 0; i < 64; i++) {
      j.twice();
    }
    long[] out = new long[AFFINE];
    j.toAffine(out, 0);
    return out;
  }

  private static final BigInteger MASK64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  /** The static tables of G and of 2^64·G (each with its λ images), made on first use. */
  private static final class GTable {
    static final long[] TABLE = table(affine(GX, GY), G_WINDOW);
    static final long[] HIGH = table(timesTwoTo64(affine(GX, GY)), G_WINDOW);
  }

  /**
   * A sum Σ kᵢ·Pᵢ being gathered: each term is a table of odd multiples with one scalar's NAF.
   * Full-size scalars are split with GLV into two terms over the table's two halves.
   */
  static final class Sum {
    private long[][] tables;
    private int[] offsets;
    private int[][] nafs;
    private boolean[] negated;
    private int terms;
    private int maxLength;

    Sum(int expectedTerms) {
      int n = Math.max(4, expectedTerms);
      tables = new long[n][];
      offsets = new int[n];
      nafs = new int[n][];
      negated = new boolean[n];
    }

    /** Adds k·G, k any integer (reduced mod n). */
    Sum addG(BigInteger k) {
      return addSplit(k, GTable.TABLE, G_WINDOW);
    }

    /**
     * Adds k·G in four terms of about 64 bits: worth it when every other term is as short, since
     * the doublings shared by all terms are then halved.
     */
    Sum addG4(BigInteger k) {
      return addSplit4(k, GTable.TABLE, GTable.HIGH, G_WINDOW);
    }

    /**
     * Adds k·P in four terms of about 64 bits (each GLV half split at bit 64), given the tables of
     * P and of 2^64·P from {@link #table}; k any integer (reduced mod n).
     */
    Sum addSplit4(BigInteger k, long[] low, long[] high, int w) {
      BigInteger[] halves = Glv.split(k);
      int count = 1 << (w - 2);
      for (int h = 0; h < 2; h++) {
        BigInteger a = halves[h].abs();
        BigInteger lo = a.and(MASK64);
        BigInteger hi = a.shiftRight(64);
        if (halves[h].signum() < 0) {
          lo = lo.negate();
          hi = hi.negate();
        }
        addTerm(lo, low, h * count * AFFINE, w);
        addTerm(hi, high, h * count * AFFINE, w);
      }
      return this;
    }

    /**
     * Adds k·P for a table from {@link #table}(P, w) (both halves), k any integer (reduced mod n).
     */
    Sum addSplit(BigInteger k, long[] table, int w) {
      BigInteger[] halves = Glv.split(k);
      int count = 1 << (w - 2);
      addTerm(halves[0], table, 0, w);
      addTerm(halves[1], table, count * AFFINE, w);
      return this;
    }

    /**
     * Adds k·P, |k| < 2^130, for odd multiples of P (at table[offset]) of window w; nothing for k =
     * 0.
     */
    Sum addTerm(BigInteger k, long[] table, int offset, int w) {
      if (k.signum() == 0) {
        return this;
      }
      if (terms == tables.length) {
        int n = terms * 2;
        tables = Arrays.copyOf(tables, n);
        offsets = Arrays.copyOf(offsets, n);
        nafs = Arrays.copyOf(nafs, n);
        negated = Arrays.copyOf(negated, n);
      }
      int[] naf = new int[Glv.MAX_NAF];
      int len = Glv.wnaf(naf, k.abs(), w);
      tables[terms] = table;
      offsets[terms] = offset;
      nafs[terms] = naf;
      negated[terms] = k.signum() < 0;
      maxLength = Math.max(maxLength, len);
      terms++;
      return this;
    }

    /** The sum, in Jacobian coordinates. */
    Jacobian compute() {
      Jacobian acc = new Jacobian();
      for (int i = maxLength - 1; i >= 0; i--) {
        acc.twice();
        for (int j = 0; j < terms; j++) {
          int d = nafs[j][i];
          if (d > 0) {
            acc.addAffine(tables[j], offsets[j] + (d >> 1) * AFFINE, negated[j]);
          } else if (d < 0) {
            acc.addAffine(tables[j], offsets[j] + ((-d) >> 1) * AFFINE, !negated[j]);
          }
        }
      }
      return acc;
    }
  }

  /** The fixed-base table: row i holds d·16^i·G for the odd d = 1, 3, …, 15. */
  private static final class Comb {
    static final int ROWS = 64;
    static final int PER_ROW = 8;
    static final long[] TABLE = build();

    private static long[] build() {
      long[] jac = new long[ROWS * PER_ROW * 3 * LIMBS];
      Jacobian base = new Jacobian();
      base.setAffine(affine(GX, GY), 0, false);
      Jacobian twice = new Jacobian();
      Jacobian acc = new Jacobian();
      for (int row = 0; row < ROWS; row++) {
        twice.set(base);
        twice.twice();
        acc.set(base);
        for (int j = 0; j < PER_ROW; j++) {
          acc.store(jac, (row * PER_ROW + j) * 3 * LIMBS);
          acc.add(twice);
        }
        for (int i = 0; i < 4; i++) {
          base.twice(); // 16^(row+1)·G
        }
      }
      long[] out = new long[ROWS * PER_ROW * AFFINE];
      Jacobian.toAffineAll(jac, ROWS * PER_ROW, out, 0);
      return out;
    }
  }

  /**
   * k·G for 0 ≤ k < 2^256, by 64 mixed additions from the fixed-base table and no doublings. The
   * sequence of operations does not depend on k: k (or n − k when k is even, the result then
   * negated) is written with 64 odd digits in [−15, 15], so every row adds a point; each is read by
   * scanning its whole row and negated by a masked select. (The curve formulas' branches for equal
   * or opposite points are reached only for particular k, and BigInteger arithmetic on k is as
   * before: this is hygiene, not a constant-time guarantee.)
   */
  static Jacobian multiplyG(BigInteger k) {
    k = k.mod(Glv.N);
    if (k.signum() == 0) {
      return new Jacobian();
    }
    boolean flip = !k.testBit(0);
    if (flip) {
      k = Glv.N.subtract(k); // odd, since n is
    }
    int[] digits = oddDigits(k);
    long[] table = Comb.TABLE;
    long[] point = new long[AFFINE];
    long[] negY = new long[LIMBS];
    Jacobian acc = new Jacobian();
    for (int row = 0; row < Comb.ROWS; row++) {
      int d = digits[row];
      int sign = d >> 31; // −1 when negative
      int index = ((d ^ sign) - sign) >> 1; // (|d| − 1) / 2
      Arrays.fill(point, 0);
      int rowOff = row * Comb.PER_ROW * AFFINE;
      for (int j = 0; j < Comb.PER_ROW; j++) {
        long mask = -(long) (((j ^ index) - 1) >>> 31);
        int off = rowOff + j * AFFINE;
        for (int l = 0; l < AFFINE; l++) {
          point[l] |= table[off + l] & mask;
        }
      }
      FieldP.negate(negY, 0, point, LIMBS); // weakly reduced: enough for the addition
      long negMask = sign;
      for (int l = 0; l < LIMBS; l++) {
        point[LIMBS + l] = (point[LIMBS + l] & ~negMask) | (negY[l] & negMask);
      }
      acc.addAffine(point, 0, false);
    }
    if (flip) {
      FieldP.negate(acc.y, 0, acc.y, 0);
    }
    return acc;
  }

  /**
   * k = Σ dᵢ·16^i for odd k < 2^256, each of the 64 digits odd and in [−15, 15]: with kᵢ = ⌊k /
   * 16^i⌋ | 1 (odd), dᵢ = (kᵢ mod 32) − 16 and kᵢ = dᵢ + 16·kᵢ₊₁, the last digit k₆₃ itself.
   */
  static int[] oddDigits(BigInteger k) {
    long[] words = new long[5];
    for (int i = 0; i < 4; i++) {
      words[i] = k.shiftRight(64 * i).longValue();
    }
    int[] digits = new int[64];
    for (int i = 0; i < 63; i++) {
      int pos = 4 * i;
      long v = words[pos >>> 6] >>> (pos & 63);
      if ((pos & 63) > 59) {
        v |= words[(pos >>> 6) + 1] << (64 - (pos & 63));
      }
      digits[i] = (int) ((v & 31) | 1) - 16;
    }
    digits[63] = (int) ((words[3] >>> 60) | 1);
    return digits;
  }
}
