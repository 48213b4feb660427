package org.cnemarket.core.client;

import org.cnemarket.core.codec.Fields;

/** The engine refused a call (status ≥ 400) or could not be reached (status 0). */
public final class MarketClientException extends Exception {
  private final int status;
  private final String type;
  private final transient Fields problem;

  public MarketClientException(int status, String type, String detail, Fields problem) {
    super(detail);
    this.status = status;
    this.type = type;
    this.problem = problem;
  }

  /**
   * The refusal an RFC 9457 problem body describes, answered with {@code status}: its type is the
   * short code the type URI ends with.
   */
  public static MarketClientException ofProblem(int status, Fields problem) {
    String type = problem.string("type", "about:blank");
    String detail = problem.string("detail", problem.string("title", "HTTP " + status));
    return new MarketClientException(
        status, type.substring(type.lastIndexOf('/') + 1), detail, problem);
  }

  /** HTTP status, or 0 when the engine was not reached. */
  public int status() {
    return status;
  }

  /** The problem type's short code, e.g. {@code nonce-used}. */
  public String type() {
    return type;
  }

  public Fields problem() {
    return problem;
  }
}
