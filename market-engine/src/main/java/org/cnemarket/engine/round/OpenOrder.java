package org.cnemarket.engine.round;

import org.cnemarket.core.model.Order;

/** An order that may trade in the round, with what is left of it. */
public record OpenOrder(String orderId, Order order, long remaining) {}
