package org.cnemarket.engine.market;

import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.ledger.LedgerRejectedException;

/**
 * The one table from the ledger port's reasons ({@code LedgerReason}: the chaincode's {@code
 * ReasonCode}, the EVM contracts' custom errors) to the market's refusals. The switch names every
 * reason, so a new one must be given its refusal here.
 */
public final class LedgerProblems {
  private LedgerProblems() {}

  /** What the ledger moved when it refused for lack of balance. */
  public enum Asset {
    CREDITS,
    CERTIFICATES
  }

  public static Refusal of(LedgerRejectedException e) {
    return of(e, Asset.CREDITS);
  }

  public static Refusal of(LedgerRejectedException e, Asset asset) {
    return switch (e.reason()) {
      case OVERDRAFT ->
          new Refusal(
              asset == Asset.CERTIFICATES
                  ? Refusal.Reason.INSUFFICIENT_CERTIFICATES
                  : Refusal.Reason.INSUFFICIENT_FUNDS,
              e.getMessage());
      case DOUBLE_CLAIM ->
          asset == Asset.CERTIFICATES
              ? new Refusal(Refusal.Reason.INSUFFICIENT_CERTIFICATES, e.getMessage())
              : rejected(e);
      case SIGNATURE -> Refusal.badSignature(e.getMessage());
      case NONCE -> new Refusal(Refusal.Reason.NONCE_USED, e.getMessage());
      case ROLE -> Refusal.forbidden(e.getMessage());
      case UNKNOWN_PARTICIPANT -> new Refusal(Refusal.Reason.UNKNOWN_PARTICIPANT, e.getMessage());
      case NOT_FOUND -> Refusal.notFound(e.getMessage());
      // A batch fills an order the ledger does not hold: a conflict between the two stores, which
      // the settlement outbox repairs from the engine's signed copy (or sets the batch aside).
      case UNKNOWN_ORDER -> rejected(e);
      case ROOT_MISMATCH, BATCH_CONFLICT, BAD_PROOF, INVALID, NOT_CONFIGURED -> rejected(e);
    };
  }

  private static Refusal rejected(LedgerRejectedException e) {
    return new Refusal(Refusal.Reason.LEDGER_REJECTED, e.reason() + ": " + e.getMessage());
  }

  /** A ledger call: refusals by the table, an unreachable ledger as unavailable. */
  @FunctionalInterface
  public interface Call<T> {
    T call() throws LedgerException;
  }

  public static <T> T call(Call<T> call) {
    return call(call, Asset.CREDITS);
  }

  public static <T> T call(Call<T> call, Asset asset) {
    try {
      return call.call();
    } catch (LedgerRejectedException e) {
      throw of(e, asset);
    } catch (LedgerException e) {
      throw Refusal.ledgerUnavailable(e.getMessage());
    }
  }
}
