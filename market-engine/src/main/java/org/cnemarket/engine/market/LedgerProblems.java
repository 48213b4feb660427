package org.cnemarket.engine.market;

import org.cnemarket.engine.ledger.LedgerRejectedException;

/** The one table from the ledger's reason codes to the problems a client can act on. */
public final class LedgerProblems {
  private LedgerProblems() {}

  public static ApiProblem of(LedgerRejectedException e) {
    return switch (e.reason()) {
      case "OVERDRAFT" ->
          ApiProblem.unprocessable("insufficient-funds", "Insufficient funds", e.getMessage());
      case "SIGNATURE" -> ApiProblem.badSignature(e.getMessage());
      case "NONCE" -> ApiProblem.conflict("nonce-used", e.getMessage());
      case "ROLE" -> ApiProblem.forbidden(e.getMessage());
      case "UNKNOWN_PARTICIPANT" ->
          ApiProblem.unprocessable("unknown-participant", "Unknown participant", e.getMessage());
      case "NOT_FOUND" -> ApiProblem.notFound(e.getMessage());
      default ->
          ApiProblem.unprocessable(
              "ledger-rejected", "Rejected by the ledger", e.reason() + ": " + e.getMessage());
    };
  }
}
