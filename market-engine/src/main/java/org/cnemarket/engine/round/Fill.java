package org.cnemarket.engine.round;

import org.cnemarket.core.model.OrderKind;

/** One match of a buy order with a sell order: quantity at a price, before it becomes a trade. */
public record Fill(OrderKind.Market market, String buyOrderId, String sellOrderId, long quantity, long priceMicros) {}
