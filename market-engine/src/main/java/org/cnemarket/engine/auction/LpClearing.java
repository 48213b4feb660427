package org.cnemarket.engine.auction;

import java.util.List;
import java.util.OptionalLong;

/**
 * Result of the welfare-maximizing clearing.
 *
 * @param uniformPriceMicros the uniform price when one is individually rational for every fill
 * @param tradedWh total energy traded
 * @param welfareMicros Σ (bid − ask − fee) · Wh / 1000: the LP objective in micro-credits
 * @param fills per-pair amounts
 * @param variables LP size after aggregation and pruning (for monitoring)
 * @param constraints LP constraint count
 */
public record LpClearing(
    OptionalLong uniformPriceMicros,
    double tradedWh,
    double welfareMicros,
    List<LpFill> fills,
    int variables,
    int constraints) {

  public LpClearing {
    fills = List.copyOf(fills);
  }
}
