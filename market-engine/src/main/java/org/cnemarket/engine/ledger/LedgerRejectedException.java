package org.cnemarket.engine.ledger;

/** The ledger refused the request (a rule was broken); nothing changed. Retrying will not help. */
public final class LedgerRejectedException extends LedgerException {
  /**
   * The reason every adapter gives when a batch fills an order the ledger does not hold: the engine
   * can take its signed copy onto the ledger again, so this refusal is repairable.
   */
  public static final String UNKNOWN_ORDER = "UNKNOWN_ORDER";

  private final String reason;

  /**
   * @param reason a stable code: ROLE, SIGNATURE, NONCE, UNKNOWN_PARTICIPANT, OVERDRAFT,
   *     ROOT_MISMATCH, BATCH_CONFLICT, BAD_PROOF, DOUBLE_CLAIM, INVALID, NOT_FOUND, UNKNOWN_ORDER
   */
  public LedgerRejectedException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
