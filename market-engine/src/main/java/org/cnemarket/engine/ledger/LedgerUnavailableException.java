package org.cnemarket.engine.ledger;

/** The ledger could not be reached or did not confirm in time; the outcome is unknown. */
public final class LedgerUnavailableException extends LedgerException {
  public LedgerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
