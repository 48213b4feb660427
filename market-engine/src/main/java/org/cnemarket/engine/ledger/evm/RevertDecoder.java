package org.cnemarket.engine.ledger.evm;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.engine.ledger.LedgerReason;
import org.cnemarket.engine.ledger.LedgerRejectedException;

/**
 * Maps revert data (custom errors of the contracts and of OpenZeppelin) to the port's reason codes.
 */
final class RevertDecoder {
  private record Known(String signature, LedgerReason reason) {}

  private static final Map<String, Known> BY_SELECTOR = new HashMap<>();

  static {
    add("RoleViolation(address,uint8)", LedgerReason.ROLE);
    add("AccessControlUnauthorizedAccount(address,bytes32)", LedgerReason.ROLE);
    add("BadSignature()", LedgerReason.SIGNATURE);
    add("ECDSAInvalidSignature()", LedgerReason.SIGNATURE);
    add("NonceUsed(address,uint64)", LedgerReason.NONCE);
    add("UnknownParticipant(address)", LedgerReason.UNKNOWN_PARTICIPANT);
    add("Overdraft(address,uint256,uint256)", LedgerReason.OVERDRAFT);
    add("EscrowOverdraft(address,uint256,uint256)", LedgerReason.OVERDRAFT);
    add("ERC20InsufficientBalance(address,uint256,uint256)", LedgerReason.OVERDRAFT);
    add("ERC1155InsufficientBalance(address,uint256,uint256,uint256)", LedgerReason.OVERDRAFT);
    add("NotConserved(uint256,uint256)", LedgerReason.INVALID);
    add("BatchConflict(bytes32)", LedgerReason.BATCH_CONFLICT);
    add("BadProof(bytes32,bytes32)", LedgerReason.BAD_PROOF);
    add("DoubleClaim(address,uint64,uint64)", LedgerReason.DOUBLE_CLAIM);
    add("Invalid(string)", LedgerReason.INVALID);
    add("NotFound(bytes32)", LedgerReason.NOT_FOUND);
    add("Error(string)", LedgerReason.INVALID);
    add("Panic(uint256)", LedgerReason.INVALID);
  }

  private RevertDecoder() {}

  private static void add(String signature, LedgerReason reason) {
    BY_SELECTOR.put(selector(signature), new Known(signature, reason));
  }

  static String selector(String signature) {
    return Hex.encode(Arrays.copyOf(Keccak.hash(signature), 4));
  }

  /** The rejection a revert with {@code data} (hex, may be null) stands for. */
  static LedgerRejectedException decode(String rawData, String nodeMessage) {
    String data = rawData == null ? null : rawData.trim().replace("\"", "");
    if (data == null || data.length() < 10) {
      return new LedgerRejectedException(LedgerReason.INVALID, "reverted: " + nodeMessage);
    }
    String sel = data.substring(0, 10).toLowerCase(Locale.ROOT);
    Known k = BY_SELECTOR.get(sel);
    if (k == null) {
      return new LedgerRejectedException(
          LedgerReason.INVALID, "reverted with unknown error " + sel + ": " + nodeMessage);
    }
    String detail = k.signature();
    if (k.signature().equals("Invalid(string)") || k.signature().equals("Error(string)")) {
      detail =
          k.signature().substring(0, k.signature().indexOf('('))
              + ": "
              + abiString(data.substring(10));
    }
    return new LedgerRejectedException(k.reason(), "contract rejected: " + detail);
  }

  private static String abiString(String argsHex) {
    try {
      byte[] b = Hex.decode(argsHex);
      int len = new BigInteger(1, Arrays.copyOfRange(b, 32, 64)).intValueExact();
      return new String(b, 64, len, StandardCharsets.UTF_8);
    } catch (RuntimeException e) {
      return "(undecodable)";
    }
  }
}
