package org.cnemarket.engine.web;

import org.cnemarket.core.codec.Fields;
import org.cnemarket.engine.market.OperatorRounds;
import org.cnemarket.engine.market.RoundQueries;

/** Rounds: closed by the operator, listed, read, and repriced from their recorded input. */
final class RoundsHandlers implements Operations.Group {
  private final OperatorRounds operator;
  private final RoundQueries rounds;

  RoundsHandlers(OperatorRounds operator, RoundQueries rounds) {
    this.operator = operator;
    this.rounds = rounds;
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
    call.answer(201, () -> Views.round(operator.close(slot, settle)));
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
    call.answer(200, () -> operator.reprice(n).toJson());
  }
}
