package org.cnemarket.core.crypto;

/** Lower-case hex with a {@code 0x} prefix, the way Ethereum tools print bytes. */
public final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  public static String encode(byte[] bytes) {
    char[] out = new char[2 + bytes.length * 2];
    out[0] = '0';
    out[1] = 'x';
    for (int i = 0; i < bytes.length; i++) {
      out[2 + 2 * i] = DIGITS[(bytes[i] >> 4) & 0xf];
      out[3 + 2 * i] = DIGITS[bytes[i] & 0xf];
    }
    return new String(out);
  }

  /** Decodes hex with or without {@code 0x}; rejects odd length and non-hex characters. */
  public static byte[] decode(String hex) {
    if (hex == null) {
      throw new IllegalArgumentException("hex string is null");
    }
    String s = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    if ((s.length() & 1) != 0) {
      throw new IllegalArgumentException("hex string has odd length: " + abbreviate(hex));
    }
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(s.charAt(2 * i), 16);
      int lo = Character.digit(s.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        throw new IllegalArgumentException("not a hex string: " + abbreviate(hex));
      }
      out[i] = (byte) ((hi << 4) | lo);
    }
    return out;
  }

  /** Decodes exactly {@code length} bytes, or throws. */
  public static byte[] decode(String hex, int length) {
    byte[] b = decode(hex);
    if (b.length != length) {
      throw new IllegalArgumentException(
          "expected " + length + " bytes of hex, got " + b.length + ": " + abbreviate(hex));
    }
    return b;
  }

  /**
   * The EIP-55 mixed-case checksum form of a 20-byte address: a hex letter is upper case when the
   * matching nibble of keccak256(lower-case hex without 0x) is 8 or more.
   */
  public static String checksumAddress(String address) {
    String lower = encode(decode(address, 20)).substring(2);
    byte[] h = Keccak.hash(lower);
    StringBuilder out = new StringBuilder("0x");
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      int nibble = (h[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
      out.append(c >= 'a' && nibble >= 8 ? Character.toUpperCase(c) : c);
    }
    return out.toString();
  }

  public static boolean isHex(String s, int length) {
    try {
      decode(s, length);
      return s.startsWith("0x");
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
