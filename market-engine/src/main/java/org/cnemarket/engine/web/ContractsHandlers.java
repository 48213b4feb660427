package org.cnemarket.engine.web;

import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.crypto.Signature;
import org.cnemarket.engine.market.IncentiveService;
import org.cnemarket.engine.market.RoundQueries;

/** Incentive contracts: the epoch's menu, the contracts taken, a provider's signed choice. */
final class ContractsHandlers implements Operations.Group {
  private final IncentiveService incentives;
  private final RoundQueries rounds;

  ContractsHandlers(IncentiveService incentives, RoundQueries rounds) {
    this.incentives = incentives;
    this.rounds = rounds;
  }

  @Override
  public void bind(Operations ops) {
    ops.on("getContractMenu", this::getContractMenu)
        .on("listContracts", this::listContracts)
        .on("chooseContract", this::chooseContract);
  }

  /** The menu of {@code epoch}, or of the epoch of the next round to close. */
  void getContractMenu(Call call) {
    String e = call.query("epoch");
    Long epoch = e == null ? null : Params.number(e, "epoch");
    call.answer(
        200,
        () ->
            incentives.menuJson(
                epoch != null
                    ? epoch
                    : IncentiveService.epochOf(rounds.lastClosedSlot().orElse(-1L) + 1)));
  }

  void listContracts(Call call) {
    String e = call.query("epoch");
    long epoch = Params.number(e == null ? "" : e, "epoch");
    call.answer(200, () -> Views.items(incentives.taken(epoch)));
  }

  void chooseContract(Call call) {
    Fields f = call.body("contractChoice");
    String provider;
    long epoch;
    long index;
    long nonce;
    Signature sig;
    try {
      provider = Params.address(f.string("provider"));
      epoch = f.longValue("epoch");
      index = f.longValue("index");
      nonce = f.uint64("nonce");
      sig = Signature.fromHex(f.string("signature"));
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest(e.getMessage());
    }
    call.answer(201, () -> incentives.choose(provider, epoch, index, nonce, sig));
  }
}
