package org.cnemarket.engine.round;

/** Prices and matches one slot's open orders. Implementations are pure and deterministic. */
public interface RoundClearing {
  ClearingOutcome clear(RoundInput input);
}
