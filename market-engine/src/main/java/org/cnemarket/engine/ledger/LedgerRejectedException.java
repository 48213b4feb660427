package org.cnemarket.engine.ledger;

/** The ledger refused the request (a rule was broken); nothing changed. Retrying will not help. */
public final class LedgerRejectedException extends LedgerException {
  private final String reason;

  /**
   * @param reason a stable code: ROLE, SIGNATURE, NONCE, UNKNOWN_PARTICIPANT, OVERDRAFT,
   *     ROOT_MISMATCH, BATCH_CONFLICT, BAD_PROOF, DOUBLE_CLAIM, INVALID, NOT_FOUND
   */
  public LedgerRejectedException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
