package org.cnemarket.engine.ledger;

/** Result of a delivery report: green Wh certified to the buyer by it. */
public record DeliveryReceipt(
    String tradeId, long deliveredQuantity, long certifiedWh, boolean alreadyReported) {}
