package org.cnemarket.chaincode;

import org.hyperledger.fabric.shim.ChaincodeException;

/**
 * The stable reason codes of rejected transactions; each travels as the payload of the {@link
 * ChaincodeException}, so clients branch on the code, never on the message.
 */
public enum ReasonCode {
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
  /** A different batch was already settled under this batch id. */
  BATCH_CONFLICT,
  /** A Merkle proof does not lead to the stored batch root. */
  BAD_PROOF,
  /** Retiring certificates that are not held: a green Wh is claimed at most once. */
  DOUBLE_CLAIM,
  /** Malformed or inconsistent arguments. */
  INVALID,
  /** The thing asked for does not exist. */
  NOT_FOUND,
  /**
   * A batch fills an order the ledger never accepted (or no longer holds): the engine takes its
   * signed copy onto the ledger again and retries.
   */
  UNKNOWN_ORDER,
  /** The chaincode has no EIP-712 domain yet ({@code config:Configure}). */
  NOT_CONFIGURED;

  /** An exception rejecting the transaction with this code. */
  public ChaincodeException reject(String message) {
    // The Fabric gateway passes on only the message, not the payload: lead with the code.
    return new ChaincodeException(name() + ": " + message, name());
  }
}
