package org.cnemarket.engine.web;

import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.model.Role;
import org.cnemarket.engine.auth.Principal;
import org.cnemarket.engine.market.Deliveries;
import org.cnemarket.engine.market.TradeQueries;

/** Delivery: meter readings of settled trades, and what a participant's trades add up to. */
final class DeliveryHandlers implements Operations.Group {
  private final Deliveries deliveries;
  private final TradeQueries trades;

  DeliveryHandlers(Deliveries deliveries, TradeQueries trades) {
    this.deliveries = deliveries;
    this.trades = trades;
  }

  @Override
  public void bind(Operations ops) {
    ops.on("reportMeterReading", this::reportMeterReading)
        .on("listMeterReadings", this::listMeterReadings)
        .on("carbonReport", this::carbonReport);
  }

  void reportMeterReading(Call call) {
    Fields body = call.body("body");
    Principal who = call.principal();
    String tradeId = Params.lower(body.string("tradeId", null));
    call.answer(
        201,
        () ->
            Views.reading(
                deliveries.report(
                    tradeId,
                    JsonBodies.nonNegative(body, "deliveredQuantity"),
                    who.address(),
                    who.role() == Role.OPERATOR)));
  }

  void listMeterReadings(Call call) {
    Principal who = call.principal();
    // Producers and buyers see their own deliveries only.
    String participant = who.readsAll() ? Params.lower(call.query("participant")) : who.address();
    String market = call.query("market");
    long from = Params.number(call.query("fromSlot"), "fromSlot", 0);
    long to = Params.number(call.query("toSlot"), "toSlot", Long.MAX_VALUE);
    Params.Page page = Params.page(call);
    call.answer(
        200,
        () ->
            Views.items(
                deliveries
                    .readings(participant, market, from, to, page.offset(), page.limit())
                    .stream()
                    .map(Views::reading)
                    .toList()));
  }

  void carbonReport(Call call) {
    String participant = Params.lower(call.query("participant"));
    long from = Params.number(call.query("fromSlot"), "fromSlot", 0);
    long to = Params.number(call.query("toSlot"), "toSlot", Long.MAX_VALUE);
    call.answer(200, () -> Views.carbon(trades.carbon(participant, from, to)));
  }
}
