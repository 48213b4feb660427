package org.cnemarket.engine.store;

/** Where a settlement batch in the outbox stands (the {@code outbox.status} column). */
public enum BatchStatus {
  /** Waiting for its ledger commit. */
  PENDING,
  /** Committed on the ledger; its credit movements applied to the account view. */
  SETTLED,
  /** The ledger refused it: kept out of the line until an operator re-plans it. */
  SET_ASIDE
}
