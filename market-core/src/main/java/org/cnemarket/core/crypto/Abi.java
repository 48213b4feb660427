package org.cnemarket.core.crypto;

import java.math.BigInteger;
import java.util.Arrays;

/** Solidity {@code abi.encode} for the static types the canonical records use. */
public final class Abi {
  private Abi() {}

  public static byte[] uint256(BigInteger value) {
    if (value.signum() < 0 || value.bitLength() > 256) {
      throw new IllegalArgumentException("uint256 out of range: " + value);
    }
    byte[] raw = value.toByteArray();
    byte[] out = new byte[32];
    int copy = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
    return out;
  }

  /** An unsigned value that fits a Java long (the records never exceed 2^63 - 1). */
  public static byte[] uint(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("unsigned value is negative: " + value);
    }
    byte[] out = new byte[32];
    for (int i = 0; i < 8; i++) {
      out[31 - i] = (byte) (value >>> (8 * i));
    }
    return out;
  }

  /** A uint64 held in a long's 64 bits (nonces use the whole unsigned range). */
  public static byte[] uint64(long bits) {
    byte[] out = new byte[32];
    for (int i = 0; i < 8; i++) {
      out[31 - i] = (byte) (bits >>> (8 * i));
    }
    return out;
  }

  /** An address (20 bytes) left-padded to a word. */
  public static byte[] address(String address) {
    byte[] a = Hex.decode(address, 20);
    byte[] out = new byte[32];
    System.arraycopy(a, 0, out, 12, 20);
    return out;
  }

  public static byte[] bytes32(byte[] value) {
    if (value.length != 32) {
      throw new IllegalArgumentException("bytes32 needs 32 bytes, got " + value.length);
    }
    return value.clone();
  }

  public static byte[] bytes32(String hex) {
    return Hex.decode(hex, 32);
  }

  /** Concatenates words: {@code abi.encode} of static values is just that. */
  public static byte[] encode(byte[]... words) {
    int n = 0;
    for (byte[] w : words) {
      n += w.length;
    }
    byte[] out = new byte[n];
    int off = 0;
    for (byte[] w : words) {
      System.arraycopy(w, 0, out, off, w.length);
      off += w.length;
    }
    return out;
  }

  static byte[] copy(byte[] b) {
    return Arrays.copyOf(b, b.length);
  }
}
