package org.cnemarket.engine.market;

import java.util.function.BooleanSupplier;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.store.MarketStore;

/** Whether the engine can serve: its database and ledger answer; what waits for the operator. */
public final class Readiness {
  /**
   * The answer: {@code ledgerProblem} is null when the ledger answered; set-aside batches make the
   * engine degraded, not down.
   */
  public record Report(
      boolean databaseUp,
      String ledgerProblem,
      String ledgerBackend,
      long ledgerHeight,
      long setAsideBatches,
      long ordersPendingLedger) {}

  private final MarketStore store;
  private final Ledger ledger;
  private final BooleanSupplier databasePing;

  public Readiness(MarketService market, BooleanSupplier databasePing) {
    this.store = market.store();
    this.ledger = market.ledger();
    this.databasePing = databasePing;
  }

  public Report check() {
    if (!databasePing.getAsBoolean()) {
      return new Report(false, null, ledger.backend(), 0, 0, 0);
    }
    store.rounds().last();
    long height;
    try {
      height = ledger.status().height();
    } catch (Exception e) {
      return new Report(true, e.getMessage(), ledger.backend(), 0, 0, 0);
    }
    return new Report(
        true,
        null,
        ledger.backend(),
        height,
        store.outbox().setAsideCount(),
        store.orders().pendingCount());
  }
}
