package org.cnemarket.engine.web;

import org.cnemarket.engine.market.Refusal;

/**
 * A refused request as HTTP answers it, with what an RFC 9457 problem body needs. {@code type} is a
 * stable short code (the problem type URI ends with it); nothing was changed.
 */
public final class ApiProblem extends RuntimeException {
  private final int status;
  private final String type;
  private final String title;

  public ApiProblem(int status, String type, String title, String detail) {
    super(detail);
    this.status = status;
    this.type = type;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String title() {
    return title;
  }

  /** The one table from the market's refusals to HTTP statuses. */
  public static ApiProblem of(Refusal r) {
    int status =
        switch (r.reason()) {
          case INVALID_REQUEST, MALFORMED_JSON, BAD_SIGNATURE -> 400;
          case UNAUTHORIZED -> 401;
          case FORBIDDEN -> 403;
          case NOT_FOUND -> 404;
          case ALREADY_REGISTERED,
              NONCE_USED,
              DEPOSIT_CONFLICT,
              CONTRACT_TAKEN,
              NOT_SETTLED,
              NOT_SET_ASIDE,
              ROUND_CLOSED,
              ALREADY_REPORTED ->
              409;
          case UNKNOWN_PARTICIPANT,
              SLOT_CLOSED,
              SLOT_OUT_OF_WINDOW,
              OVER_DELIVERY,
              INSUFFICIENT_FUNDS,
              INSUFFICIENT_CERTIFICATES,
              CONTRACT_NOT_FOR_TYPE,
              INVALID_MENU,
              TOO_MANY_WEBHOOKS,
              LEDGER_REJECTED ->
              422;
          case LEDGER_UNAVAILABLE, INTAKE_BUSY -> 503;
        };
    return new ApiProblem(status, r.reason().type(), r.reason().title(), r.getMessage());
  }

  public static ApiProblem badRequest(String detail) {
    return new ApiProblem(400, "invalid-request", "Invalid request", detail);
  }

  public static ApiProblem malformed(String detail) {
    return new ApiProblem(400, "malformed-json", "Malformed JSON", detail);
  }

  public static ApiProblem notFound(String detail) {
    return new ApiProblem(404, "not-found", "Not found", detail);
  }

  public static ApiProblem forbidden(String detail) {
    return new ApiProblem(403, "forbidden", "Not allowed", detail);
  }

  public static ApiProblem unauthorized(String detail) {
    return new ApiProblem(401, "unauthorized", "Authentication required", detail);
  }

  public static ApiProblem conflict(String type, String detail) {
    return new ApiProblem(409, type, "Conflict", detail);
  }

  public static ApiProblem unprocessable(String type, String title, String detail) {
    return new ApiProblem(422, type, title, detail);
  }
}
