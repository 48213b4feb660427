package org.cnemarket.engine.round;

import java.util.List;

/** Prices and matches one slot's open orders. Implementations are pure and deterministic. */
public interface RoundClearing {
  ClearingOutcome clear(long round, long slot, List<OpenOrder> orders);
}
