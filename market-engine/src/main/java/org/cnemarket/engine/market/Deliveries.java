package org.cnemarket.engine.market;

import java.time.Clock;
import java.util.List;
import org.cnemarket.core.model.Trade;
import org.cnemarket.engine.ledger.DeliveryReceipt;
import org.cnemarket.engine.store.MeterReadings;
import org.cnemarket.engine.store.MeterReadings.MeterReading;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metered deliveries: the seller (or the operator) reports how much of a trade was delivered; the
 * ledger certifies the green part against the batch's Merkle root, and the reading is kept.
 */
public final class Deliveries {
  private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

  private final MarketService market;
  private final MeterReadings readings;
  private final Clock clock;

  public Deliveries(MarketService market, MeterReadings readings, Clock clock) {
    this.market = market;
    this.readings = readings;
    this.clock = clock;
  }

  /**
   * Reports the delivery of one trade, once.
   *
   * @param reporter the reporting participant's address; null for the operator's token
   * @param operator whether the reporter is the operator (who may report any trade)
   */
  public MeterReading report(
      String tradeId, long deliveredQuantity, String reporter, boolean operator) {
    Trade t =
        market
            .store()
            .trades()
            .get(tradeId)
            .orElseThrow(() -> Refusal.notFound("no trade " + tradeId));
    if (reporter != null && !operator && !reporter.equals(t.seller())) {
      throw Refusal.forbidden(
          "only the trade's seller " + t.seller() + " or the operator reports its delivery");
    }
    if (deliveredQuantity > t.quantity()) {
      throw new Refusal(
          Refusal.Reason.OVER_DELIVERY,
          "delivered " + deliveredQuantity + " exceeds the traded quantity " + t.quantity());
    }
    if (readings.reading(tradeId).isPresent()) {
      throw alreadyReported(tradeId);
    }
    DeliveryReceipt receipt = market.reportDelivery(tradeId, deliveredQuantity);
    MeterReading m =
        new MeterReading(
            t.tradeId(),
            t.round(),
            t.slot(),
            t.market().name(),
            t.buyer(),
            t.seller(),
            t.buyOrderId(),
            t.sellOrderId(),
            t.quantity(),
            receipt.deliveredQuantity(),
            receipt.certifiedWh(),
            reporter == null ? "operator" : reporter,
            clock.millis());
    if (!readings.insertReading(m)) {
      throw alreadyReported(tradeId);
    }
    LOG.info(
        "delivery of trade {} reported: {} of {} ({} green Wh certified)",
        tradeId,
        deliveredQuantity,
        t.quantity(),
        receipt.certifiedWh());
    return m;
  }

  /** Readings by participant (buyer or seller; null = all), market (null = both) and slots. */
  public List<MeterReading> readings(
      String participant, String market, long fromSlot, long toSlot, int offset, int limit) {
    return readings.readings(participant, market, fromSlot, toSlot, offset, limit);
  }

  private static Refusal alreadyReported(String tradeId) {
    return new Refusal(
        Refusal.Reason.ALREADY_REPORTED,
        "the delivery of trade " + tradeId + " was reported already");
  }
}
