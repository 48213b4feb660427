package org.cnemarket.chaincode.embedded;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * What one chaincode invocation produced.
 *
 * @param txId the transaction id
 * @param status the chaincode response status: 200 success, 500 rejected or failed
 * @param message the error message on failure (null on success)
 * @param payload the response payload: the result JSON on success, the reason code on a rejection
 *     (may be empty)
 * @param reasonCode on a rejection, the stable reason code (ROLE, SIGNATURE, ...); null on success
 *     or when the failure carried none (e.g. an unknown function)
 * @param writeSet everything the chaincode wrote, ordered by key. Commit it only when {@link
 *     #ok()}; on a failure it is reported for diagnosis and tests, never to be applied
 * @param event the event the chaincode set; deliver it only when {@link #ok()}
 */
public record TxResult(
    String txId,
    int status,
    String message,
    byte[] payload,
    String reasonCode,
    List<Write> writeSet,
    Optional<TxEvent> event) {

  public static final int OK = 200;

  public TxResult {
    payload = payload == null ? new byte[0] : payload;
    writeSet = List.copyOf(writeSet);
  }

  public boolean ok() {
    return status == OK;
  }

  /** The payload as UTF-8 (the result JSON of a successful call). */
  public String payloadString() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return ok()
        ? "TxResult[" + txId + " 200 " + payloadString() + ", " + writeSet.size() + " writes]"
        : "TxResult[" + txId + " " + status + " " + reasonCode + ": " + message + "]";
  }
}
