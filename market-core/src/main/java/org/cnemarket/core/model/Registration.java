package org.cnemarket.core.model;

import java.util.Locale;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.crypto.Signature;
import org.cnemarket.core.eip712.Eip712;

/**
 * A participant's signed request to join with a role: proves it holds the key of its address.
 *
 * @param account the address (lower-case)
 * @param role the role asked for
 * @param name display name
 * @param nonce a number used once per account; a uint64 in the long's 64 bits
 * @param signature EIP-712 signature of {@code Registration} by {@code account}
 */
public record Registration(
    String account, Role role, String name, long nonce, Signature signature) {
  public Registration {
    account = account.toLowerCase(Locale.ROOT);
  }

  public byte[] digest(Eip712.Domain domain) {
    return Eip712.registrationDigest(domain, account, role, name, nonce);
  }

  public boolean verify(Eip712.Domain domain) {
    return Secp256k1.verify(digest(domain), signature, account);
  }

  public static Registration sign(
      Eip712.Domain domain, Secp256k1.KeyPair key, Role role, String name, long nonce) {
    Signature sig = key.sign(Eip712.registrationDigest(domain, key.address(), role, name, nonce));
    return new Registration(key.address(), role, name, nonce, sig);
  }
}
