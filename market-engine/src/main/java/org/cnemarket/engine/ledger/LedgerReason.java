package org.cnemarket.engine.ledger;

import java.util.Optional;

/**
 * Why the ledger refused a request: the chaincode's {@code ReasonCode}, mirrored by name so the
 * port does not depend on the chaincode, plus the codes only the engine's adapters give. Every
 * adapter turns its backend's code text into one of these through {@link #of}.
 */
public enum LedgerReason {
  /** The submitting identity, or the participant, lacks the role the action needs. */
  ROLE,
  /** A participant signature does not recover to the address it claims. */
  SIGNATURE,
  /** A participant nonce was already used for something else. */
  NONCE,
  /** The account is not registered. */
  UNKNOWN_PARTICIPANT,
  /** Not enough credits or certificates. */
  OVERDRAFT,
  /** A batch's Merkle root is not its trades' root (checked by the adapters, not the chaincode). */
  ROOT_MISMATCH,
  /** A different batch was already settled under this batch id. */
  BATCH_CONFLICT,
  /** A Merkle proof does not lead to the stored batch root. */
  BAD_PROOF,
  /** Retiring certificates that are not held: a green Wh is claimed at most once. */
  DOUBLE_CLAIM,
  /** Malformed or inconsistent arguments, and any refusal whose code the engine does not know. */
  INVALID,
  /** The thing asked for does not exist. */
  NOT_FOUND,
  /**
   * A batch fills an order the ledger does not hold: the engine can take its signed copy onto the
   * ledger again, so this refusal is repairable.
   */
  UNKNOWN_ORDER,
  /** The ledger has no EIP-712 domain yet. */
  NOT_CONFIGURED;

  /** The reason named exactly {@code code}, if there is one. */
  public static Optional<LedgerReason> named(String code) {
    if (code == null) {
      return Optional.empty();
    }
    for (LedgerReason r : values()) {
      if (r.name().equals(code)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** The reason a backend's code stands for; a missing or unknown code is {@link #INVALID}. */
  public static LedgerReason of(String code) {
    return named(code == null ? null : code.strip()).orElse(INVALID);
  }
}
