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

  /** Window of the static table of G: 2^(w−2) odd multiples (1024 for w = 12, 80 KB). */
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
    private int[] lengths;
    private boolean[] negated;
    private int terms;
    private int maxLength;

    Sum(int expectedTerms) {
      int n = Math.max(4, expectedTerms);
      tables = new long[n][];
      offsets = new int[n];
      nafs = new int[n][];
      lengths = new int[n];
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
        lengths = Arrays.copyOf(lengths, n);
        negated = Arrays.copyOf(negated, n);
      }
      int[] naf = new int[Glv.MAX_NAF];
      int len = Glv.wnaf(naf, k.abs(), w);
      tables[terms] = table;
      offsets[terms] = offset;
      nafs[terms] = naf;
      lengths[terms] = len;
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

  /** Rows of 4-bit digits in the fixed-base table: k = Σ dᵢ·16^i over 64 rows. */
  private static final class Comb {
    // Row i holds d·16^i·G for d = 1..15.
    static final long[] TABLE = build();

    private static long[] build() {
      int rows = 64;
      long[] jac = new long[rows * 15 * 3 * LIMBS];
      Jacobian base = new Jacobian();
      base.setAffine(affine(GX, GY), 0, false);
      Jacobian acc = new Jacobian();
      for (int row = 0; row < rows; row++) {
        acc.set(base);
        for (int d = 1; d <= 15; d++) {
          acc.store(jac, (row * 15 + d - 1) * 3 * LIMBS);
          if (d < 15) {
            acc.add(base);
          }
        }
        for (int i = 0; i < 4; i++) {
          base.twice(); // 16^(row+1)·G
        }
      }
      long[] out = new long[rows * 15 * AFFINE];
      Jacobian.toAffineAll(jac, rows * 15, out, 0);
      return out;
    }
  }

  /**
   * k·G for 0 < k < n, by 64 mixed additions from the fixed-base table and no doublings. Not
   * constant-time: the additions skipped for zero digits and the table rows read depend on k.
   */
  static Jacobian multiplyG(BigInteger k) {
    long[] table = Comb.TABLE;
    Jacobian acc = new Jacobian();
    byte[] b = k.toByteArray();
    for (int row = 0; row < 64; row++) {
      int byteIndex = b.length - 1 - (row >>> 1);
      if (byteIndex < 0) {
        break;
      }
      int d = ((b[byteIndex] & 0xFF) >>> ((row & 1) * 4)) & 0xF;
      if (d != 0) {
        acc.addAffine(table, (row * 15 + d - 1) * AFFINE, false);
      }
    }
    return acc;
  }
}
