package org.cnemarket.wallet;

import org.cnemarket.core.model.SignedOrder;

/**
 * The engine accepted a signed order.
 *
 * @param orderId the order id (its EIP-712 digest)
 * @param status the order's status, OPEN on acceptance
 * @param signed what was submitted
 */
public record OrderReceipt(String orderId, String status, SignedOrder signed) {}
