package org.cnemarket.engine.market;

/**
 * A request the market refuses, and why. Use cases throw it; nothing was changed. The web layer
 * turns the reason into an HTTP status and an RFC 9457 problem in one table, so the domain knows no
 * status codes.
 */
public final class Refusal extends RuntimeException {

  /** Why: a stable problem type (the problem URI ends with it) and its title. */
  public enum Reason {
    INVALID_REQUEST("invalid-request", "Invalid request"),
    MALFORMED_JSON("malformed-json", "Malformed JSON"),
    UNAUTHORIZED("unauthorized", "Authentication required"),
    FORBIDDEN("forbidden", "Not allowed"),
    NOT_FOUND("not-found", "Not found"),
    BAD_SIGNATURE("bad-signature", "Signature does not match"),
    UNKNOWN_PARTICIPANT("unknown-participant", "Unknown participant"),
    ALREADY_REGISTERED("already-registered", "Conflict"),
    NONCE_USED("nonce-used", "Conflict"),
    DEPOSIT_CONFLICT("deposit-conflict", "Conflict"),
    CONTRACT_TAKEN("contract-taken", "Conflict"),
    NOT_SETTLED("not-settled", "Conflict"),
    /** A re-plan of a batch the ledger has not refused (only set-aside batches are re-planned). */
    NOT_SET_ASIDE("not-set-aside", "Conflict"),
    /** A round for this slot closed already: rounds close slots in order. */
    ROUND_CLOSED("slot-closed", "Conflict"),
    /** An order for a slot whose round closed. */
    SLOT_CLOSED("slot-closed", "Slot closed"),
    SLOT_OUT_OF_WINDOW("slot-out-of-window", "Slot out of window"),
    OVER_DELIVERY("over-delivery", "More than contracted"),
    ALREADY_REPORTED("already-reported", "Conflict"),
    INSUFFICIENT_FUNDS("insufficient-funds", "Insufficient funds"),
    INSUFFICIENT_CERTIFICATES("insufficient-certificates", "Not enough certificates"),
    CONTRACT_NOT_FOR_TYPE("contract-not-for-type", "Contract not for this type"),
    INVALID_MENU("invalid-menu", "Invalid incentive menu"),
    /** A participant at its limit of webhooks asks for another. */
    TOO_MANY_WEBHOOKS("too-many-webhooks", "Too many webhooks"),
    LEDGER_REJECTED("ledger-rejected", "Rejected by the ledger"),
    LEDGER_UNAVAILABLE("ledger-unavailable", "Ledger unavailable"),
    /** The order intake is full or stopping: retry. */
    INTAKE_BUSY("intake-busy", "Intake busy");

    private final String type;
    private final String title;

    Reason(String type, String title) {
      this.type = type;
      this.title = title;
    }

    public String type() {
      return type;
    }

    public String title() {
      return title;
    }
  }

  private final Reason reason;

  public Refusal(Reason reason, String detail) {
    super(detail);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** The problem type, as clients see it. */
  public String type() {
    return reason.type();
  }

  public static Refusal badRequest(String detail) {
    return new Refusal(Reason.INVALID_REQUEST, detail);
  }

  public static Refusal notFound(String detail) {
    return new Refusal(Reason.NOT_FOUND, detail);
  }

  public static Refusal badSignature(String detail) {
    return new Refusal(Reason.BAD_SIGNATURE, detail);
  }

  public static Refusal forbidden(String detail) {
    return new Refusal(Reason.FORBIDDEN, detail);
  }

  public static Refusal unauthorized(String detail) {
    return new Refusal(Reason.UNAUTHORIZED, detail);
  }

  public static Refusal unknownParticipant(String address) {
    return new Refusal(
        Reason.UNKNOWN_PARTICIPANT, "no participant is registered with address " + address);
  }

  public static Refusal ledgerUnavailable(String detail) {
    return new Refusal(Reason.LEDGER_UNAVAILABLE, detail);
  }
}
