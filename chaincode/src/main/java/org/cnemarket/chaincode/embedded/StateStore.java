package org.cnemarket.chaincode.embedded;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The committed world state that {@link EmbeddedStub} reads and {@link ChaincodeRunner#submit}
 * writes: a sorted key-value map plus the history of every key.
 *
 * <p>Contract for implementations (the engine provides an H2-backed one):
 *
 * <ul>
 *   <li>Keys are ordered by Unicode code point, which is the UTF-8 byte order Fabric's state
 *       database (LevelDB) uses; {@link #KEY_ORDER} implements it. Java's {@code String.compareTo}
 *       differs for characters above U+FFFF, which composite-key range ends use (U+10FFFF).
 *   <li>{@link #commit} applies a whole write set atomically, or nothing.
 *   <li>Reads see committed state only; a transaction's own writes are not visible to it (as in
 *       Fabric).
 * </ul>
 */
public interface StateStore {

  /** Code point (= UTF-8 byte) order of keys. */
  Comparator<String> KEY_ORDER = StateStore::compareKeys;

  /** A committed key and value. */
  record Entry(String key, byte[] value) {}

  /**
   * One committed change of a key.
   *
   * @param txId the transaction that made it
   * @param timestampMillis the transaction's timestamp, epoch milliseconds
   * @param value the value written, or {@code null} for a delete
   */
  record HistoryEntry(String txId, long timestampMillis, byte[] value) {
    public boolean isDelete() {
      return value == null;
    }
  }

  /** The committed value of {@code key}, or {@code null} when absent. */
  byte[] get(String key);

  /**
   * Committed entries with {@code startInclusive <= key < endExclusive} in {@link #KEY_ORDER}; an
   * empty {@code endExclusive} means no upper bound.
   */
  List<Entry> range(String startInclusive, String endExclusive);

  /** Every committed change of {@code key}, oldest first; empty when it never existed. */
  List<HistoryEntry> history(String key);

  /**
   * Applies {@code writes} atomically (a {@code null} value deletes) and appends one history entry
   * per written key under {@code txId} and {@code timestamp}.
   */
  void commit(String txId, Instant timestamp, List<Write> writes);

  /** Compares two keys by code point. */
  static int compareKeys(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }
}
