package org.cnemarket.engine.store;

/** The engine database failed; the operation did not happen. */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
