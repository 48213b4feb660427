package org.cnemarket.core.codec;

import java.math.BigInteger;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Typed, strict access to the fields of a parsed JSON object, with messages that name the field.
 */
public final class Fields {
  private final Map<String, Object> map;
  private final String what;

  public Fields(Map<String, Object> map, String what) {
    this.map = map;
    this.what = what;
  }

  public static Fields of(Object value, String what) {
    if (!(value instanceof Map)) {
      throw new JsonException(what + " must be a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) value;
    return new Fields(m, what);
  }

  /** The underlying parsed object, read-only. */
  public Map<String, Object> rawMap() {
    return Collections.unmodifiableMap(map);
  }

  public boolean has(String key) {
    return map.containsKey(key) && map.get(key) != null;
  }

  public String string(String key) {
    Object v = required(key);
    if (!(v instanceof String str)) {
      throw new JsonException(what + "." + key + " must be a string");
    }
    return str;
  }

  public String string(String key, String fallback) {
    return has(key) ? string(key) : fallback;
  }

  public long longValue(String key) {
    Object v = required(key);
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof String str) {
      try {
        return Long.parseLong(str);
      } catch (NumberFormatException e) {
        throw new JsonException(what + "." + key + " must be an integer");
      }
    }
    throw new JsonException(what + "." + key + " must be an integer that fits 64 bits");
  }

  /**
   * A uint64 (0 to 2^64 - 1, as a JSON number or decimal string) in a long's 64 bits: values from
   * 2^63 come back negative; read them with {@link Long#toUnsignedString}.
   */
  public long uint64(String key) {
    Object v = required(key);
    BigInteger b;
    if (v instanceof Long || v instanceof Integer || v instanceof Short) {
      b = BigInteger.valueOf(((Number) v).longValue());
    } else if (v instanceof BigInteger big) {
      b = big;
    } else if (v instanceof String str && str.matches("[0-9]{1,20}")) {
      b = new BigInteger(str);
    } else {
      throw new JsonException(what + "." + key + " must be an integer");
    }
    if (b.signum() < 0 || b.bitLength() > 64) {
      throw new JsonException(what + "." + key + " must be a uint64 (0 to 18446744073709551615)");
    }
    return b.longValue();
  }

  /** A uint64 held in a long's bits, as JSON writes it (a BigInteger from 2^63). */
  public static Object uint64Json(long bits) {
    return bits >= 0 ? (Object) bits : new BigInteger(Long.toUnsignedString(bits));
  }

  public long longValue(String key, long fallback) {
    return has(key) ? longValue(key) : fallback;
  }

  public int intValue(String key) {
    long v = longValue(key);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new JsonException(what + "." + key + " is out of range");
    }
    return (int) v;
  }

  public boolean bool(String key) {
    Object v = required(key);
    if (!(v instanceof Boolean b)) {
      throw new JsonException(what + "." + key + " must be true or false");
    }
    return b;
  }

  public List<Object> list(String key) {
    Object v = required(key);
    if (!(v instanceof List)) {
      throw new JsonException(what + "." + key + " must be an array");
    }
    @SuppressWarnings("unchecked")
    List<Object> l = (List<Object>) v;
    return l;
  }

  public Fields object(String key) {
    return of(required(key), what + "." + key);
  }

  private Object required(String key) {
    Object v = map.get(key);
    if (v == null) {
      throw new JsonException(what + "." + key + " is required");
    }
    return v;
  }
}
