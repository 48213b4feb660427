package org.cnemarket.engine.store;

import org.cnemarket.core.model.SignedOrder;

/**
 * An order as the engine tracks it: how much is filled and whether it is still open; {@code seq} is
 * its place in the intake, the order in which its row was written.
 */
public record StoredOrder(
    String orderId,
    SignedOrder signed,
    long filled,
    OrderStatus status,
    long acceptedAtMillis,
    long seq) {
  public long remaining() {
    return signed.order().quantity() - filled;
  }
}
