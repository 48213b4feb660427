package org.cnemarket.engine.ledger;

/** The one checked exception of the ledger boundary. */
public class LedgerException extends Exception {
  public LedgerException(String message) {
    super(message);
  }

  public LedgerException(String message, Throwable cause) {
    super(message, cause);
  }
}
