package org.cnemarket.engine.ledger;

import java.util.Objects;

/** The ledger refused the request (a rule was broken); nothing changed. Retrying will not help. */
public final class LedgerRejectedException extends LedgerException {
  private final LedgerReason reason;

  public LedgerRejectedException(LedgerReason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public LedgerReason reason() {
    return reason;
  }
}
