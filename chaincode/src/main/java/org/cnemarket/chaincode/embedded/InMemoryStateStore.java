package org.cnemarket.chaincode.embedded;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** A {@link StateStore} in memory, for tests and throw-away ledgers. Thread-safe. */
public final class InMemoryStateStore implements StateStore {
  private final NavigableMap<String, byte[]> state = new TreeMap<>(KEY_ORDER);
  private final Map<String, List<HistoryEntry>> history = new HashMap<>();

  @Override
  public synchronized byte[] get(String key) {
    byte[] v = state.get(key);
    return v == null ? null : v.clone();
  }

  @Override
  public synchronized List<Entry> range(String startInclusive, String endExclusive) {
    NavigableMap<String, byte[]> view =
        endExclusive == null || endExclusive.isEmpty()
            ? state.tailMap(startInclusive, true)
            : compareKeysOrEmpty(startInclusive, endExclusive);
    List<Entry> out = new ArrayList<>(view.size());
    view.forEach((k, v) -> out.add(new Entry(k, v.clone())));
    return out;
  }

  private NavigableMap<String, byte[]> compareKeysOrEmpty(String start, String end) {
    // TreeMap.subMap throws when start > end; an inverted range is simply empty.
    return KEY_ORDER.compare(start, end) > 0
        ? new TreeMap<>(KEY_ORDER)
        : state.subMap(start, true, end, false);
  }

  @Override
  public synchronized List<HistoryEntry> history(String key) {
    return List.copyOf(history.getOrDefault(key, List.of()));
  }

  @Override
  public synchronized void commit(String txId, Instant timestamp, List<Write> writes) {
    long millis = timestamp.toEpochMilli();
    for (Write w : writes) {
      if (w.isDelete()) {
        state.remove(w.key());
      } else {
        state.put(w.key(), w.value().clone());
      }
      history
          .computeIfAbsent(w.key(), k -> new ArrayList<>())
          .add(new HistoryEntry(txId, millis, w.isDelete() ? null : w.value().clone()));
    }
  }

  /** Number of live keys. */
  public synchronized int size() {
    return state.size();
  }

  /** A copy of the whole committed state, in key order (for tests comparing snapshots). */
  public synchronized NavigableMap<String, String> snapshot() {
    NavigableMap<String, String> out = new TreeMap<>(KEY_ORDER);
    state.forEach((k, v) -> out.put(k, new String(v, StandardCharsets.UTF_8)));
    return out;
  }
}
