package org.cnemarket.wallet;

import java.util.Map;

/**
 * One event from the engine's stream: {@code round} (public), or the participant's {@code fill},
 * {@code settlement} and {@code low-balance}.
 *
 * @param id the event id (resume after it with Last-Event-ID)
 * @param type the event type
 * @param data the event's fields (integers are longs)
 */
public record Notification(long id, String type, Map<String, Object> data) {
  public Notification {
    data = Map.copyOf(data);
  }

  /** An integer field, or {@code fallback} when absent. */
  public long number(String key, long fallback) {
    Object v = data.get(key);
    return v instanceof Number n ? n.longValue() : fallback;
  }

  /** A text field, or "" when absent. */
  public String text(String key) {
    Object v = data.get(key);
    return v == null ? "" : v.toString();
  }
}
