package org.cnemarket.wallet;

import org.cnemarket.core.model.SignedOrder;

/**
 * An order as the engine stores it.
 *
 * @param orderId the order id
 * @param signed the order and its signature
 * @param filled quantity filled so far (Wh or milli compute units)
 * @param status OPEN, FILLED or CLOSED
 */
public record OrderView(String orderId, SignedOrder signed, long filled, String status) {}
