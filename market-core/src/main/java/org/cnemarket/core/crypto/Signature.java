package org.cnemarket.core.crypto;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * A recoverable secp256k1 signature in Ethereum's 65-byte {@code r || s || v} form, v = 27 or 28.
 */
public record Signature(BigInteger r, BigInteger s, int v) {
  public Signature {
    if (r.signum() <= 0 || s.signum() <= 0 || r.bitLength() > 256 || s.bitLength() > 256) {
      throw new IllegalArgumentException("signature r and s must be in [1, 2^256)");
    }
    if (v != 27 && v != 28) {
      throw new IllegalArgumentException("signature v must be 27 or 28, was " + v);
    }
  }

  public byte[] toBytes() {
    byte[] out = new byte[65];
    System.arraycopy(Abi.uint256(r), 0, out, 0, 32);
    System.arraycopy(Abi.uint256(s), 0, out, 32, 32);
    out[64] = (byte) v;
    return out;
  }

  public String toHex() {
    return Hex.encode(toBytes());
  }

  /** Parses 65 bytes; accepts v as 0/1 (raw recovery id) or 27/28. */
  public static Signature fromBytes(byte[] b) {
    if (b.length != 65) {
      throw new IllegalArgumentException("signature must be 65 bytes, was " + b.length);
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(b, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(b, 32, 64));
    int v = b[64] & 0xff;
    if (v < 27) {
      v += 27;
    }
    return new Signature(r, s, v);
  }

  public static Signature fromHex(String hex) {
    return fromBytes(Hex.decode(hex));
  }
}
