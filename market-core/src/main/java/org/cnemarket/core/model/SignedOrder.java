package org.cnemarket.core.model;

import java.util.ArrayList;
import java.util.List;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.crypto.Signature;
import org.cnemarket.core.eip712.Eip712;

/**
 * An order with its trader's EIP-712 signature. Its id is the EIP-712 digest, so the same signed
 * order always has the same id and a replay is recognised by id and by nonce.
 */
public record SignedOrder(Order order, Signature signature) {

  /** The order id: the EIP-712 digest under {@code domain}, hex. */
  public String id(Eip712.Domain domain) {
    return Hex.encode(Eip712.orderDigest(domain, order));
  }

  /** True when the signature recovers to the order's trader. */
  public boolean verify(Eip712.Domain domain) {
    return Secp256k1.verify(Eip712.orderDigest(domain, order), signature, order.trader());
  }

  /**
   * Whether each order's signature recovers to its trader, as {@link #verify} answers, checked
   * together on every core ({@link Secp256k1#verifyAllParallel}). {@code digests} are the orders'
   * EIP-712 digests under the domain, in the same order.
   */
  public static boolean[] verifyAll(List<SignedOrder> orders, List<byte[]> digests) {
    return verifyAll(orders, digests, true);
  }

  /**
   * As {@link #verifyAll(List, List)}, on the caller's thread alone when {@code onEveryCore} is
   * false: a caller that is one of many running at once already keeps the cores busy, and a
   * fork-join split would only add threads waiting on each other.
   */
  public static boolean[] verifyAll(
      List<SignedOrder> orders, List<byte[]> digests, boolean onEveryCore) {
    List<Secp256k1.Check> checks = new ArrayList<>(orders.size());
    for (int i = 0; i < orders.size(); i++) {
      SignedOrder so = orders.get(i);
      checks.add(new Secp256k1.Check(digests.get(i), so.signature(), so.order().trader()));
    }
    return onEveryCore ? Secp256k1.verifyAllParallel(checks) : Secp256k1.verifyAll(checks);
  }

  public static SignedOrder sign(Eip712.Domain domain, Order order, Secp256k1.KeyPair key) {
    return new SignedOrder(order, key.sign(Eip712.orderDigest(domain, order)));
  }
}
