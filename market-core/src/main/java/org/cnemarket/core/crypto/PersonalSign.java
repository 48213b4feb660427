package org.cnemarket.core.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * EIP-191 version 0x45 ("personal_sign"): what wallets sign for a text message such as an EIP-4361
 * sign-in message. The prefix keeps a signed message from ever being a valid transaction or EIP-712
 * digest.
 */
public final class PersonalSign {
  private PersonalSign() {}

  /** keccak256("\x19Ethereum Signed Message:\n" + byte length + message). */
  public static byte[] hash(String message) {
    byte[] m = message.getBytes(StandardCharsets.UTF_8);
    byte[] prefix =
        ("\u0019Ethereum Signed Message:\n" + m.length).getBytes(StandardCharsets.UTF_8);
    return Keccak.hash(prefix, m);
  }

  public static Signature sign(String message, Secp256k1.KeyPair key) {
    return key.sign(hash(message));
  }

  /** The address that personal-signed {@code message}, or empty when the signature is invalid. */
  public static Optional<String> recover(String message, Signature signature) {
    return Secp256k1.recoverAddress(hash(message), signature);
  }
}
