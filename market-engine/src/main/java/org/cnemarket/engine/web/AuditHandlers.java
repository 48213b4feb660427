package org.cnemarket.engine.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cnemarket.engine.market.MarketService;

/** The auditor's view: conservation of credits per account and in sum. */
final class AuditHandlers implements Operations.Group {
  private final MarketService market;

  AuditHandlers(MarketService market) {
    this.market = market;
  }

  @Override
  public void bind(Operations ops) {
    ops.on("getConservation", this::getConservation);
  }

  void getConservation(Call call) {
    call.answer(
        200,
        () -> {
          var c = market.conservation();
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("depositsMicros", c.depositsMicros());
          m.put("availableMicros", c.availableMicros());
          m.put("escrowMicros", c.escrowMicros());
          m.put("participants", c.participants());
          m.put("accounts", c.accounts());
          m.put(
              "mismatches",
              c.mismatches().stream()
                  .map(
                      a -> {
                        Map<String, Object> x = new LinkedHashMap<>();
                        x.put("account", a.account());
                        x.put("ledgerAvailableMicros", a.ledgerAvailableMicros());
                        x.put("ledgerEscrowMicros", a.ledgerEscrowMicros());
                        x.put("engineAvailableMicros", a.engineAvailableMicros());
                        x.put("engineEscrowMicros", a.engineEscrowMicros());
                        x.put("openOrdersEscrowMicros", a.openOrdersEscrowMicros());
                        return x;
                      })
                  .toList());
          m.put("conserved", c.conserved());
          return m;
        });
  }
}
