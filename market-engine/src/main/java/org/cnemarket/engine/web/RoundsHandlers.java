package org.cnemarket.engine.web;

import org.cnemarket.core.codec.Fields;
import org.cnemarket.engine.audit.Repricer;
import org.cnemarket.engine.market.LedgerProblems;
import org.cnemarket.engine.market.MarketService;
import org.cnemarket.engine.market.RoundQueries;
import org.cnemarket.engine.notify.MarketNotifications;
import org.cnemarket.engine.settlement.SettlementOutbox;

/** Rounds: closed by the operator, listed, read, and repriced from their recorded input. */
final class RoundsHandlers implements Operations.Group {
  private final MarketService market;
  private final RoundQueries rounds;
  private final SettlementOutbox outbox;
  private final MarketNotifications notifications;
  private final Repricer repricer;

  RoundsHandlers(
      MarketService market,
      RoundQueries rounds,
      SettlementOutbox outbox,
      MarketNotifications notifications,
      Repricer repricer) {
    this.market = market;
    this.rounds = rounds;
    this.outbox = outbox;
    this.notifications = notifications;
    this.repricer = repricer;
  }

  @Override
  public void bind(Operations ops) {
    ops.on("closeRound", this::closeRound)
        .on("listRounds", this::listRounds)
        .on("getRound", this::getRound)
        .on("repriceRound", this::repriceRound);
  }

  void closeRound(Call call) {
    Fields f = call.body("round");
    long slot;
    boolean settle;
    try {
      slot = f.longValue("slot");
      settle = !f.has("settle") || f.bool("settle");
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest(e.getMessage());
    }
    call.answer(
        201,
        () -> {
          var res = market.closeRound(slot);
          // The round's result goes out before its settlement does.
          notifications.roundClosed(res.record().round());
          if (settle) {
            // Never wait behind a pass already running: it or the next one settles this round.
            outbox.settlePendingIfIdle();
          }
          return Views.round(rounds.get(res.record().round()));
        });
  }

  void listRounds(Call call) {
    Params.Page page = Params.page(call);
    call.answer(
        200,
        () ->
            Views.items(
                rounds.rounds(page.offset(), page.limit()).stream().map(Views::round).toList()));
  }

  void getRound(Call call) {
    long n = Params.number(call.path("round"), "round");
    call.answer(200, () -> Views.round(rounds.get(n)));
  }

  void repriceRound(Call call) {
    long n = Params.number(call.path("round"), "round");
    call.answer(
        200,
        () -> {
          rounds.get(n);
          return LedgerProblems.call(() -> repricer.reprice(n)).toJson();
        });
  }
}
