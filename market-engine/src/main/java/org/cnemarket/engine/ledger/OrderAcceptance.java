package org.cnemarket.engine.ledger;

/**
 * What the ledger did with one order of {@link Ledger#acceptOrders}.
 *
 * @param status ACCEPTED, ALREADY_ACCEPTED (an idempotent repeat) or REFUSED
 * @param reason why the ledger refused (SIGNATURE, NONCE, OVERDRAFT, ...), else null
 * @param message the ledger's message when refused, else null
 */
public record OrderAcceptance(Status status, LedgerReason reason, String message) {
  /** The outcome of one order. */
  public enum Status {
    ACCEPTED,
    ALREADY_ACCEPTED,
    REFUSED
  }

  public static final OrderAcceptance ACCEPTED = new OrderAcceptance(Status.ACCEPTED, null, null);
  public static final OrderAcceptance ALREADY =
      new OrderAcceptance(Status.ALREADY_ACCEPTED, null, null);

  public static OrderAcceptance refused(LedgerReason reason, String message) {
    return new OrderAcceptance(Status.REFUSED, reason, message);
  }

  /** True when the order is on the ledger after the call. */
  public boolean onLedger() {
    return status != Status.REFUSED;
  }
}
