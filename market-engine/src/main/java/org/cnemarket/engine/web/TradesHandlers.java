package org.cnemarket.engine.web;

import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.engine.market.TradeQueries;

/** Trades of closed rounds and their Merkle proofs. */
final class TradesHandlers implements Operations.Group {
  private final TradeQueries trades;

  TradesHandlers(TradeQueries trades) {
    this.trades = trades;
  }

  @Override
  public void bind(Operations ops) {
    ops.on("listTrades", this::listTrades)
        .on("getTrade", this::getTrade)
        .on("getTradeProof", this::getTradeProof);
  }

  void listTrades(Call call) {
    String participant = Params.addressOrNull(call.query("participant"));
    String kind = Params.market(call.query("kind"));
    long from = Params.number(call.query("fromSlot"), "fromSlot", 0);
    long to = Params.number(call.query("toSlot"), "toSlot", Long.MAX_VALUE);
    Params.Page page = Params.page(call);
    call.answer(
        200,
        () ->
            Views.items(
                trades.trades(participant, kind, from, to, page.offset(), page.limit()).stream()
                    .map(RecordCodec::trade)
                    .toList()));
  }

  void getTrade(Call call) {
    String id = Params.hash(call.path("id"));
    call.answer(200, () -> RecordCodec.trade(trades.get(id)));
  }

  void getTradeProof(Call call) {
    String id = Params.hash(call.path("id"));
    call.answer(200, () -> Views.proof(id, trades.proof(id)));
  }
}
