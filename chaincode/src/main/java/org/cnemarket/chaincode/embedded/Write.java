package org.cnemarket.chaincode.embedded;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of a transaction's write set.
 *
 * @param key the state key
 * @param value the new value, or {@code null} when the transaction deletes the key
 */
public record Write(String key, byte[] value) {
  public Write {
    Objects.requireNonNull(key, "key");
  }

  public static Write put(String key, byte[] value) {
    return new Write(key, Objects.requireNonNull(value, "value"));
  }

  public static Write delete(String key) {
    return new Write(key, null);
  }

  public boolean isDelete() {
    return value == null;
  }

  /** The value as UTF-8, or null for a delete. */
  public String valueString() {
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Write w && key.equals(w.key) && Arrays.equals(value, w.value);
  }

  @Override
  public int hashCode() {
    return 31 * key.hashCode() + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return value == null ? "Write[delete " + key + "]" : "Write[" + key + "=" + valueString() + "]";
  }
}
