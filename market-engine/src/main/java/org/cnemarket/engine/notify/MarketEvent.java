package org.cnemarket.engine.notify;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cnemarket.core.codec.Json;

/**
 * One notification. {@code audience} is the participant it concerns, or null for a public event (a
 * round result) that every subscriber may see.
 */
public record MarketEvent(
    long id, String type, String audience, Map<String, Object> data, long atMillis) {
  public static final String ROUND = "round";
  public static final String FILL = "fill";
  public static final String SETTLEMENT = "settlement";
  public static final String LOW_BALANCE = "low-balance";

  public MarketEvent {
    data = Map.copyOf(data);
  }

  /** Whether a subscriber signed in as {@code address} (null: anonymous) may see this event. */
  public boolean visibleTo(String address) {
    return audience == null || audience.equals(address);
  }

  /** The JSON body streams and webhooks carry: {id, type, atMillis, audience?, data}. */
  public String json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("type", type);
    m.put("atMillis", atMillis);
    if (audience != null) {
      m.put("audience", audience);
    }
    m.put("data", data);
    return Json.write(m);
  }
}
