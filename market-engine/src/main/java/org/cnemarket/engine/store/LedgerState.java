package org.cnemarket.engine.store;

/**
 * Where an engine record (registration, deposit, order) stands on its way to the ledger: the engine
 * records first and takes each record onto the ledger afterwards, so a crash in between is finished
 * on start-up, never lost.
 */
public enum LedgerState {
  /** Recorded by the engine, not yet confirmed by the ledger. */
  PENDING,
  /** On the ledger. */
  DONE,
  /** The ledger refused it. */
  REFUSED
}
