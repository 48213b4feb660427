package org.cnemarket.engine.ledger.fabric;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.ledger.LedgerReason;
import org.cnemarket.engine.ledger.LedgerRejectedException;
import org.cnemarket.engine.ledger.LedgerUnavailableException;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;

/**
 * Turns gateway errors into the port's exceptions.
 *
 * <p>How a chaincode rejection reaches the client: the contract throws {@code
 * ChaincodeException(message, payload)}; the Java shim answers the peer with status 500, that
 * message and that payload. The Fabric 2.5 Gateway does <em>not</em> forward the payload: it fails
 * the Evaluate or Endorse call (gRPC status UNKNOWN) and attaches one {@link ErrorDetail} per
 * endorsing peer whose message is {@code "chaincode response 500, <message>"} (evaluate also
 * repeats it in the status description: {@code "evaluate call to endorser returned error: chaincode
 * response 500, <message>"}). So the reason code must be in the message text: the chaincode's
 * messages start with the code, {@code "OVERDRAFT: account 0x.. has 5 available"} (also accepted:
 * {@code "[OVERDRAFT] ..."}, or the code anywhere as a whole word). A chaincode error without a
 * known code maps to {@code INVALID}.
 *
 * <p>The orderer refusing a transaction outright ({@code status=BAD_REQUEST}, for example {@code
 * message payload is N bytes and exceeds maximum allowed 10485760 bytes}) is final: the transaction
 * was not ordered and never will be, so it is a rejection ({@code INVALID}) rather than a fault to
 * retry.
 *
 * <p>Anything else (deadline exceeded, peer unavailable, no peers to satisfy the endorsement
 * policy, ordering service down) leaves the outcome unknown or is an infrastructure fault: {@link
 * LedgerUnavailableException}.
 */
final class Rejections {
  private static final Pattern CHAINCODE_RESPONSE =
      Pattern.compile("chaincode response (\\d{3}), (.*)", Pattern.DOTALL);
  private static final Pattern LEADING = Pattern.compile("^\\[?([A-Z][A-Z_]*)\\]?(?::|\\s|$)");
  private static final Pattern WORD = Pattern.compile("\\b([A-Z][A-Z_]+)\\b");

  private Rejections() {}

  /** The reason code of a chaincode message; {@code INVALID} when it names none. */
  static LedgerReason reasonOf(String chaincodeMessage) {
    if (chaincodeMessage == null) {
      return LedgerReason.INVALID;
    }
    String m = chaincodeMessage.strip();
    Matcher lead = LEADING.matcher(m);
    if (lead.find()) {
      Optional<LedgerReason> leading = LedgerReason.named(lead.group(1));
      if (leading.isPresent()) {
        return leading.get();
      }
    }
    Matcher w = WORD.matcher(m);
    while (w.find()) {
      Optional<LedgerReason> word = LedgerReason.named(w.group(1));
      if (word.isPresent()) {
        return word.get();
      }
    }
    return LedgerReason.INVALID;
  }

  /**
   * The chaincode's own message if {@code text} is a gateway rendering of a chaincode error
   * response (status 400-599), else empty.
   */
  static Optional<String> chaincodeMessage(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = CHAINCODE_RESPONSE.matcher(text);
    if (m.find() && Integer.parseInt(m.group(1)) >= 400) {
      return Optional.of(m.group(2).strip());
    }
    return Optional.empty();
  }

  /** Maps a failed gateway call; {@code what} names the call for the message. */
  static LedgerException map(String what, GatewayException e) {
    List<String> texts = new ArrayList<>();
    List<ErrorDetail> details;
    try {
      details = e.getDetails();
    } catch (RuntimeException unreadable) {
      details = List.of();
    }
    for (ErrorDetail d : details) {
      texts.add(d.getMessage());
    }
    Status status = e.getStatus();
    if (status.getDescription() != null) {
      texts.add(status.getDescription());
    }
    for (String t : texts) {
      Optional<String> cc = chaincodeMessage(t);
      if (cc.isPresent()) {
        return new LedgerRejectedException(reasonOf(cc.get()), what + " rejected: " + cc.get());
      }
    }
    for (String t : texts) {
      if (t != null && t.contains("status=BAD_REQUEST")) {
        return new LedgerRejectedException(
            LedgerReason.INVALID, what + " refused by the orderer: " + t);
      }
    }
    StringBuilder msg = new StringBuilder(what).append(" failed: ").append(status.getCode());
    if (status.getDescription() != null) {
      msg.append(' ').append(status.getDescription());
    }
    for (ErrorDetail d : details) {
      msg.append("; ")
          .append(d.getMspId())
          .append('@')
          .append(d.getAddress())
          .append(": ")
          .append(d.getMessage());
    }
    return new LedgerUnavailableException(msg.toString(), e);
  }
}
