package org.cnemarket.core.crypto;

import static org.cnemarket.core.crypto.FieldP.LIMBS;

/**
 * A mutable point of secp256k1 (y² = x³ + 7) in Jacobian coordinates (x = X/Z², y = Y/Z³), with the
 * point at infinity as a flag. Operations work in place with their own scratch space, so a
 * multiplication allocates nothing per step. Affine points are given as two field elements at an
 * offset of a {@code long[]}: x at {@code off}, y at {@code off + LIMBS}. Not thread-safe.
 */
final class Jacobian {
  /** Longs per affine point (x, y). */
  static final int AFFINE = 2 * LIMBS;

  final long[] x = new long[LIMBS];
  final long[] y = new long[LIMBS];
  final long[] z = new long[LIMBS];
  boolean infinity = true;
  private final long[] t = new long[LIMBS * 8];

  void setInfinity() {
    infinity = true;
  }

  /** This = the affine point at p[po], negated when {@code negate}. */
  void setAffine(long[] p, int po, boolean negate) {
    FieldP.copy(x, 0, p, po);
    if (negate) {
      FieldP.negate(y, 0, p, po + LIMBS);
    } else {
      FieldP.copy(y, 0, p, po + LIMBS);
    }
    FieldP.setInt(z, 0, 1);
    infinity = false;
  }

  void set(Jacobian q) {
    FieldP.copy(x, 0, q.x, 0);
    FieldP.copy(y, 0, q.y, 0);
    FieldP.copy(z, 0, q.z, 0);
    infinity = q.infinity;
  }

  /**
   * This = 2·this (dbl-2009-l: 2M + 5S; secp256k1 has no point of order 2). Values only multiplied
   * next are left loose (uncarried); the stored coordinates are weakly reduced.
   */
  void twice() {
    if (infinity) {
      return;
    }
    long[] t = this.t;
    int a = 0;
    int b = 5;
    int c = 10;
    int d = 15;
    int e = 20;
    FieldP.addLoose(t, e, y, 0, y, 0);
    FieldP.mul(z, 0, z, 0, t, e); // Z3 = 2YZ
    FieldP.sqr(t, a, x, 0); // A = X²
    FieldP.sqr(t, b, y, 0); // B = Y²
    FieldP.sqr(t, c, t, b); // C = B²
    FieldP.addLoose(t, d, x, 0, t, b);
    FieldP.sqr(t, d, t, d);
    FieldP.subLoose(t, d, t, d, t, a);
    FieldP.sub(t, d, t, d, t, c);
    FieldP.add(t, d, t, d, t, d); // D = 2((X + B)² − A − C)
    FieldP.mulSmallLoose(t, e, t, a, 3); // E = 3A
    FieldP.sqr(x, 0, t, e); // F = E²
    FieldP.subLoose(x, 0, x, 0, t, d);
    FieldP.sub(x, 0, x, 0, t, d); // X3 = F − 2D
    FieldP.subLoose(y, 0, t, d, x, 0);
    FieldP.mul(y, 0, y, 0, t, e);
    FieldP.mulSmall(t, c, t, c, 8);
    FieldP.sub(y, 0, y, 0, t, c); // Y3 = E(D − X3) − 8C
  }

  /** This += the affine point at p[po] (negated when {@code negate}): 8M + 3S. */
  void addAffine(long[] p, int po, boolean negate) {
    if (infinity) {
      setAffine(p, po, negate);
      return;
    }
    long[] t = this.t;
    int zz = 0;
    int h = 5;
    int r = 10;
    int hh = 15;
    int hhh = 20;
    int v = 25;
    FieldP.sqr(t, zz, z, 0); // Z1²
    FieldP.mul(t, h, p, po, t, zz); // U2 = X2·Z1²
    FieldP.sub(t, h, t, h, x, 0); // H = U2 − X1
    FieldP.mul(t, zz, t, zz, z, 0); // Z1³
    FieldP.mul(t, r, p, po + LIMBS, t, zz); // S2 = Y2·Z1³
    if (negate) {
      FieldP.negate(t, r, t, r);
    }
    FieldP.sub(t, r, t, r, y, 0); // r = S2 − Y1
    if (FieldP.isZero(t, h)) {
      if (FieldP.isZero(t, r)) {
        twice(); // the same point
      } else {
        infinity = true; // its negation
      }
      return;
    }
    FieldP.mul(z, 0, z, 0, t, h); // Z3 = Z1·H
    FieldP.sqr(t, hh, t, h);
    FieldP.mul(t, hhh, t, hh, t, h);
    FieldP.mul(t, v, x, 0, t, hh); // V = X1·H²
    FieldP.sqr(x, 0, t, r);
    FieldP.subLoose(x, 0, x, 0, t, hhh);
    FieldP.sub(x, 0, x, 0, t, v);
    FieldP.sub(x, 0, x, 0, t, v); // X3 = r² − H³ − 2V
    FieldP.mul(y, 0, y, 0, t, hhh); // Y1·H³
    FieldP.subLoose(t, v, t, v, x, 0);
    FieldP.mul(t, v, t, v, t, r);
    FieldP.sub(y, 0, t, v, y, 0); // Y3 = r(V − X3) − Y1·H³
  }

  /** This += q (12M + 4S). */
  void add(Jacobian q) {
    if (q.infinity) {
      return;
    }
    if (infinity) {
      set(q);
      return;
    }
    long[] t = this.t;
    int z1z1 = 0;
    int z2z2 = 5;
    int u1 = 10;
    int h = 15;
    int s1 = 20;
    int r = 25;
    int hh = 30;
    int hhh = 35;
    FieldP.sqr(t, z1z1, z, 0);
    FieldP.sqr(t, z2z2, q.z, 0);
    FieldP.mul(t, u1, x, 0, t, z2z2);
    FieldP.mul(t, h, q.x, 0, t, z1z1);
    FieldP.sub(t, h, t, h, t, u1); // H = U2 − U1
    FieldP.mul(t, z2z2, t, z2z2, q.z, 0);
    FieldP.mul(t, s1, y, 0, t, z2z2); // S1 = Y1·Z2³
    FieldP.mul(t, z1z1, t, z1z1, z, 0);
    FieldP.mul(t, r, q.y, 0, t, z1z1);
    FieldP.sub(t, r, t, r, t, s1); // r = S2 − S1
    if (FieldP.isZero(t, h)) {
      if (FieldP.isZero(t, r)) {
        twice();
      } else {
        infinity = true;
      }
      return;
    }
    FieldP.mul(z, 0, z, 0, q.z, 0);
    FieldP.mul(z, 0, z, 0, t, h); // Z3 = Z1·Z2·H
    FieldP.sqr(t, hh, t, h);
    FieldP.mul(t, hhh, t, hh, t, h);
    FieldP.mul(t, u1, t, u1, t, hh); // V = U1·H²
    FieldP.sqr(x, 0, t, r);
    FieldP.sub(x, 0, x, 0, t, hhh);
    FieldP.sub(x, 0, x, 0, t, u1);
    FieldP.sub(x, 0, x, 0, t, u1); // X3 = r² − H³ − 2V
    FieldP.sub(t, u1, t, u1, x, 0);
    FieldP.mul(t, u1, t, u1, t, r);
    FieldP.mul(t, s1, t, s1, t, hhh);
    FieldP.sub(y, 0, t, u1, t, s1); // Y3 = r(V − X3) − S1·H³
  }

  /**
   * Writes this point's canonical affine x and y at out[oo] (one inversion, in variable time: for
   * public points); false, writing nothing, at infinity.
   */
  boolean toAffine(long[] out, int oo) {
    return toAffine(out, oo, false);
  }

  /** As {@link #toAffine}, with a constant-time inversion: for points derived from secrets. */
  boolean toAffineSecret(long[] out, int oo) {
    return toAffine(out, oo, true);
  }

  private boolean toAffine(long[] out, int oo, boolean secret) {
    if (infinity) {
      return false;
    }
    long[] zi = new long[LIMBS * 2];
    if (secret) {
      FieldP.invert(zi, 0, z, 0);
    } else {
      FieldP.invertVar(zi, 0, z, 0);
    }
    FieldP.sqr(zi, LIMBS, zi, 0);
    FieldP.mul(out, oo, x, 0, zi, LIMBS);
    FieldP.normalize(out, oo, out, oo);
    FieldP.mul(zi, LIMBS, zi, LIMBS, zi, 0);
    FieldP.mul(out, oo + LIMBS, y, 0, zi, LIMBS);
    FieldP.normalize(out, oo + LIMBS, out, oo + LIMBS);
    return true;
  }

  /**
   * Affine forms of {@code count} finite Jacobian points given as (X, Y, Z) at jac[3·LIMBS·i], with
   * one inversion for all (Montgomery's trick, variable time: for public points): written as (x, y)
   * at out[outOff + AFFINE·i].
   */
  static void toAffineAll(long[] jac, int count, long[] out, int outOff) {
    int stride = 3 * LIMBS;
    long[] prefix = new long[count * LIMBS];
    FieldP.copy(prefix, 0, jac, 2 * LIMBS);
    for (int i = 1; i < count; i++) {
      FieldP.mul(prefix, i * LIMBS, prefix, (i - 1) * LIMBS, jac, i * stride + 2 * LIMBS);
    }
    long[] t = new long[LIMBS * 3];
    int inv = 0;
    int zi = 5;
    int zi2 = 10;
    FieldP.invertVar(t, inv, prefix, (count - 1) * LIMBS); // 1 / (Z0·…·Z(count−1))
    for (int i = count - 1; i >= 0; i--) {
      int j = i * stride;
      if (i > 0) {
        FieldP.mul(t, zi, t, inv, prefix, (i - 1) * LIMBS); // 1/Zi
        FieldP.mul(t, inv, t, inv, jac, j + 2 * LIMBS); // 1 / (Z0·…·Z(i−1))
      } else {
        FieldP.copy(t, zi, t, inv);
      }
      int o = outOff + i * AFFINE;
      FieldP.sqr(t, zi2, t, zi);
      FieldP.mul(out, o, jac, j, t, zi2);
      FieldP.normalize(out, o, out, o);
      FieldP.mul(t, zi2, t, zi2, t, zi);
      FieldP.mul(out, o + LIMBS, jac, j + LIMBS, t, zi2);
      FieldP.normalize(out, o + LIMBS, out, o + LIMBS);
    }
  }

  /** Stores this finite point's (X, Y, Z) at jac[off]. */
  void store(long[] jac, int off) {
    FieldP.copy(jac, off, x, 0);
    FieldP.copy(jac, off + LIMBS, y, 0);
    FieldP.copy(jac, off + 2 * LIMBS, z, 0);
  }

  /**
   * Jacobian odd multiples P, 3P, …, (2·count − 1)P of the affine point at p[po], stored at jac[off
   * + 3·LIMBS·i]. No special case arises: P has prime order n and the multiples are small.
   */
  static void oddMultiples(long[] p, int po, int count, long[] jac, int off) {
    Jacobian acc = new Jacobian();
    acc.setAffine(p, po, false);
    acc.store(jac, off);
    if (count == 1) {
      return;
    }
    Jacobian twoP = new Jacobian();
    twoP.setAffine(p, po, false);
    twoP.twice();
    for (int i = 1; i < count; i++) {
      acc.add(twoP);
      acc.store(jac, off + i * 3 * LIMBS);
    }
  }
}
