package org.cnemarket.engine.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.eip712.TypedData;
import org.cnemarket.engine.auth.Principal;
import org.cnemarket.engine.market.MarketService;
import org.cnemarket.engine.market.RoundQueries;
import org.cnemarket.engine.market.SettlementQueries;
import org.cnemarket.engine.round.RoundParameters;

/** The market itself: its EIP-712 domain and ledger, and the mechanism parameters of its rounds. */
final class MarketHandlers implements Operations.Group {
  private final MarketService market;
  private final RoundQueries rounds;
  private final SettlementQueries settlement;

  MarketHandlers(MarketService market, RoundQueries rounds, SettlementQueries settlement) {
    this.market = market;
    this.rounds = rounds;
    this.settlement = settlement;
  }

  @Override
  public void bind(Operations ops) {
    ops.on("getMarket", this::getMarket)
        .on("getMechanismParameters", this::getMechanismParameters)
        .on("setMechanismParameters", this::setMechanismParameters);
  }

  void getMarket(Call call) {
    call.answer(200, this::marketInfo);
  }

  /** The parameters in effect, and the changes the operator made, newest first. */
  void getMechanismParameters(Call call) {
    Params.Page page = Params.page(call);
    call.answer(
        200,
        () -> {
          var changes = market.parameterChanges(page.offset(), page.limit());
          var current = market.parameterChanges(0, 1);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("current", Views.parameterChange(current.get(0), null));
          m.put("nextRound", rounds.lastRound() + 1);
          m.put("changes", changes.stream().map(c -> Views.parameterChange(c, null)).toList());
          return m;
        });
  }

  /** The operator's change (the gate lets only the operator through), from the next round. */
  void setMechanismParameters(Call call) {
    Fields f = call.body("parameters");
    String energy;
    long kPermille;
    String compute;
    long lotWh;
    try {
      energy = f.string("energy");
      kPermille = f.longValue("kPermille");
      compute = f.string("compute");
      lotWh = f.longValue("lotWh", RoundParameters.DEFAULT_LOT_WH);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest(e.getMessage());
    }
    Principal who = call.principal();
    String setBy = who != null && who.address() != null ? who.address() : "operator token";
    call.answer(
        200,
        () -> {
          var c = market.setParameters(energy, kPermille, compute, lotWh, setBy);
          String note =
              (c.changed() ? "applies from round " : "in effect since round ")
                  + c.fromRound()
                  + ", the "
                  + (c.changed() ? "next round to close" : "round it was set for")
                  + "; rounds already closed keep the parameters their inputs recorded";
          return Views.parameterChange(c, note);
        });
  }

  private Map<String, Object> marketInfo() {
    var d = market.domain();
    Map<String, Object> dom = new LinkedHashMap<>();
    dom.put("name", d.name());
    dom.put("version", d.version());
    dom.put("chainId", d.chainId());
    dom.put("verifyingContract", d.verifyingContract());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("domain", dom);
    // The mechanisms rounds clear with (set when the engine starts), for consoles and clients.
    m.put("parameters", market.parameters().toJson());
    // Everything a client in any language needs for eth_signTypedData_v4, without reading Java.
    m.put("typedData", TypedData.definition(d));
    m.put("lastRound", rounds.lastRound());
    rounds.lastClosedSlot().ifPresent(s -> m.put("lastClosedSlot", s));
    m.put("ledger", Views.ledgerStatus(settlement.ledgerStatus()));
    return m;
  }
}
