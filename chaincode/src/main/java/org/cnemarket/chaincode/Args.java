package org.cnemarket.chaincode;

import java.util.Locale;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Signature;

/**
 * Parsing of string transaction arguments; malformed input is INVALID (SIGNATURE for signatures).
 */
public final class Args {
  private Args() {}

  public static String address(String name, String value) {
    if (value == null || !Hex.isHex(value, 20)) {
      throw ReasonCode.INVALID.reject(name + " must be a 0x address");
    }
    return value.toLowerCase(Locale.ROOT);
  }

  public static String hash32(String name, String value) {
    if (value == null || !Hex.isHex(value, 32)) {
      throw ReasonCode.INVALID.reject(name + " must be 32 bytes of 0x hex");
    }
    return value.toLowerCase(Locale.ROOT);
  }

  /** A uint64 (0 to 2^64 - 1, decimal) in a long's 64 bits, as signed nonces are. */
  public static long uint64(String name, String value) {
    String v = value == null ? "" : value.trim();
    try {
      if (!v.isEmpty() && Character.isDigit(v.charAt(0))) {
        return Long.parseUnsignedLong(v);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ReasonCode.INVALID.reject(
        name + " must be a uint64 (0 to 18446744073709551615), was '" + value + "'");
  }

  public static long integer(String name, String value) {
    try {
      return Long.parseLong(value == null ? "" : value.trim());
    } catch (NumberFormatException e) {
      throw ReasonCode.INVALID.reject(name + " must be an integer, was '" + value + "'");
    }
  }

  public static long nonNegative(String name, String value) {
    long v = integer(name, value);
    if (v < 0) {
      throw ReasonCode.INVALID.reject(name + " must not be negative");
    }
    return v;
  }

  public static long positive(String name, String value) {
    long v = integer(name, value);
    if (v <= 0) {
      throw ReasonCode.INVALID.reject(name + " must be positive");
    }
    return v;
  }

  public static Signature signature(String value) {
    try {
      return Signature.fromHex(value);
    } catch (IllegalArgumentException e) {
      throw ReasonCode.SIGNATURE.reject("malformed signature: " + e.getMessage());
    }
  }

  /** An opaque id: 1..128 printable ASCII characters. */
  public static String id(String name, String value) {
    if (value == null || !value.matches("[\\x21-\\x7e]{1,128}")) {
      throw ReasonCode.INVALID.reject(name + " must be 1 to 128 printable ASCII characters");
    }
    return value;
  }
}
