package org.cnemarket.engine.round;

import java.util.List;
import java.util.Map;

/**
 * What a round's pricing produced.
 *
 * @param fills the matches, in a deterministic order
 * @param mechanism the mechanisms and parameters used (recorded with the round's inputs)
 * @param results prices and volumes per market (recorded as the round's outputs)
 */
public record ClearingOutcome(
    List<Fill> fills, Map<String, Object> mechanism, Map<String, Object> results) {
  public ClearingOutcome {
    fills = List.copyOf(fills);
    mechanism = Map.copyOf(mechanism);
    results = Map.copyOf(results);
  }
}
