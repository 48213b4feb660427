package org.cnemarket.engine.store;

/** Where an order stands in the market (the {@code orders.status} column holds its name). */
public enum OrderStatus {
  /** May still trade. */
  OPEN,
  /** Its whole quantity traded. */
  FILLED,
  /** Its last slot closed before it was filled. */
  CLOSED,
  /** The ledger refused it after the engine had accepted it (its escrow is released). */
  REJECTED
}
