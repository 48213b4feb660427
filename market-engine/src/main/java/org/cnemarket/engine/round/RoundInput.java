package org.cnemarket.engine.round;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;

/**
 * Everything a round's outcome depends on: its number and slot, the open orders with what is left
 * of each, the providers' power profiles and the mechanism parameters. Its canonical JSON is what
 * the round records and hashes, and what {@code audit reprice} recomputes from.
 */
public record RoundInput(
    long round,
    long slot,
    List<OpenOrder> orders,
    Map<String, PowerProfile> profiles,
    RoundParameters parameters) {

  public RoundInput {
    orders = List.copyOf(orders);
    profiles = Map.copyOf(new TreeMap<>(profiles));
  }

  public PowerProfile profileOf(String provider) {
    return profiles.getOrDefault(provider, PowerProfile.DEFAULT);
  }

  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("round", round);
    m.put("slot", slot);
    m.put("parameters", parameters.toJson());
    Map<String, Object> p = new TreeMap<>();
    profiles.forEach((k, v) -> p.put(k, v.toJson()));
    m.put("profiles", p);
    m.put(
        "orders",
        orders.stream()
            .map(
                o -> {
                  Map<String, Object> e = new LinkedHashMap<>();
                  e.put("orderId", o.orderId());
                  e.put("remaining", o.remaining());
                  e.put("order", RecordCodec.order(o.order()));
                  return e;
                })
            .toList());
    return Json.write(m);
  }

  public static RoundInput fromJson(String json) {
    Fields f = Fields.of(Json.parse(json), "round input");
    List<OpenOrder> orders = new ArrayList<>();
    for (Object o : f.list("orders")) {
      Fields e = Fields.of(o, "order");
      orders.add(
          new OpenOrder(
              e.string("orderId"), RecordCodec.order(e.object("order")), e.longValue("remaining")));
    }
    Map<String, PowerProfile> profiles = new TreeMap<>();
    if (!(Json.parseObject(json).get("profiles") instanceof Map<?, ?> raw)) {
      throw new IllegalArgumentException("round input.profiles must be an object");
    }
    for (Map.Entry<?, ?> e : raw.entrySet()) {
      profiles.put((String) e.getKey(), PowerProfile.fromJson(Fields.of(e.getValue(), "profile")));
    }
    return new RoundInput(
        f.longValue("round"),
        f.longValue("slot"),
        orders,
        profiles,
        RoundParameters.fromJson(f.object("parameters")));
  }
}
