package org.cnemarket.wallet.proof;

import java.util.Optional;
import org.cnemarket.core.model.Trade;

/**
 * The outcome of checking one trade's Merkle proof against the ledger.
 *
 * @param tradeId the trade asked about
 * @param status what was found
 * @param reason a sentence saying why (for people and logs)
 * @param trade the trade record, when the engine returned one
 * @param batchId the settlement batch holding it, when known
 * @param ledgerRoot the Merkle root read from the ledger, when the batch is on it
 * @param leaf the leaf recomputed from the trade's fields, when known
 * @param proofLength number of sibling hashes in the path
 */
public record ProofCheck(
    String tradeId,
    Status status,
    String reason,
    Optional<Trade> trade,
    Optional<String> batchId,
    Optional<String> ledgerRoot,
    Optional<String> leaf,
    int proofLength) {

  /** Why a proof did or did not verify. */
  public enum Status {
    /** The path leads from the recomputed leaf to the ledger's root. */
    VERIFIED,
    /** The engine knows no such trade. */
    UNKNOWN_TRADE,
    /** The trade's batch is not (yet) on the ledger. */
    NOT_ON_LEDGER,
    /**
     * The engine's answer contradicts itself or the ledger (other trade, round, batch id,
     * arithmetic).
     */
    MISMATCH,
    /** The path does not lead to the ledger's root. */
    INVALID_PROOF
  }

  public boolean verified() {
    return status == Status.VERIFIED;
  }

  static ProofCheck failed(String tradeId, Status status, String reason) {
    return new ProofCheck(
        tradeId,
        status,
        reason,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        0);
  }
}
