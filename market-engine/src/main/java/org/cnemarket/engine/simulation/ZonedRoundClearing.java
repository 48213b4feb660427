package org.cnemarket.engine.simulation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cnemarket.engine.round.ClearingOutcome;
import org.cnemarket.engine.round.Fill;
import org.cnemarket.engine.round.OpenOrder;
import org.cnemarket.engine.round.RoundClearing;
import org.cnemarket.engine.round.RoundInput;

/**
 * One auction per slot and zone: the round's orders are split by zone and each zone is cleared by
 * the market's own clearing ({@code delegate}, the one {@code serve} runs), so energy and compute
 * never cross zones. Fills come out zone by zone, in zone order.
 */
public final class ZonedRoundClearing implements RoundClearing {
  private final RoundClearing delegate;

  public ZonedRoundClearing(RoundClearing delegate) {
    this.delegate = delegate;
  }

  @Override
  public ClearingOutcome clear(RoundInput in) {
    Map<Long, List<OpenOrder>> byZone = new TreeMap<>();
    for (OpenOrder o : in.orders()) {
      byZone.computeIfAbsent(o.order().zone(), z -> new ArrayList<>()).add(o);
    }
    List<Fill> fills = new ArrayList<>();
    Map<String, Object> zones = new LinkedHashMap<>();
    Map<String, Object> mechanism = new LinkedHashMap<>();
    for (Map.Entry<Long, List<OpenOrder>> e : byZone.entrySet()) {
      ClearingOutcome z =
          delegate.clear(
              new RoundInput(in.round(), in.slot(), e.getValue(), in.profiles(), in.parameters()));
      fills.addAll(z.fills());
      zones.put(Long.toString(e.getKey()), z.results());
      mechanism = z.mechanism();
    }
    Map<String, Object> mech =
        new LinkedHashMap<>(mechanism.isEmpty() ? in.parameters().toJson() : mechanism);
    mech.put("zoned", true);
    return new ClearingOutcome(fills, mech, Map.of("zones", zones));
  }
}
