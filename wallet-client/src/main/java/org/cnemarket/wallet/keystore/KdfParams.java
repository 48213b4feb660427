package org.cnemarket.wallet.keystore;

/**
 * Scrypt cost parameters of a new keystore. {@link #STANDARD} is geth's and web3j's default (N =
 * 2^18, about 256 MiB and a second or so to unlock); {@link #LIGHT} is their "light" setting (N =
 * 2^12, p = 6), cheap enough for tests and throw-away keys.
 *
 * @param n CPU/memory cost, a power of two
 * @param r block size
 * @param p parallelism
 */
public record KdfParams(int n, int r, int p) {
  public static final KdfParams STANDARD = new KdfParams(1 << 18, 8, 1);
  public static final KdfParams LIGHT = new KdfParams(1 << 12, 8, 6);

  public KdfParams {
    if (n < 2 || Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException("scrypt n must be a power of two greater than 1");
    }
    if (r < 1 || p < 1) {
      throw new IllegalArgumentException("scrypt r and p must be positive");
    }
    // Bounds keep a hostile keystore from asking for gigabytes of memory.
    if ((long) n * r > (1L << 22)) {
      throw new IllegalArgumentException("scrypt n * r is too large (at most 2^22)");
    }
    if ((long) r * p >= (1 << 30)) {
      throw new IllegalArgumentException("scrypt r * p is too large");
    }
  }
}
