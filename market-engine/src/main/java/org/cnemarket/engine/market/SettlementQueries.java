package org.cnemarket.engine.market;

import java.util.List;
import java.util.Optional;
import org.cnemarket.engine.ledger.BatchRecord;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.LedgerStatus;
import org.cnemarket.engine.store.BatchStatus;
import org.cnemarket.engine.store.MarketStore;
import org.cnemarket.engine.store.OutboxEntry;

/** Settlement batches as the engine's outbox holds them, and the ledger's side of them. */
public final class SettlementQueries {
  /** A batch the ledger refused, set aside since {@code sinceMillis}. */
  public record SetAside(OutboxEntry entry, long sinceMillis) {}

  private final MarketStore store;
  private final Ledger ledger;

  public SettlementQueries(MarketService market) {
    this.store = market.store();
    this.ledger = market.ledger();
  }

  /** Batches, newest round first. */
  public List<OutboxEntry> batches(int offset, int limit) {
    return store.outbox().list(offset, limit);
  }

  public Optional<OutboxEntry> find(String batchId) {
    return store.outbox().get(batchId);
  }

  /** The batch, or a not-found refusal. */
  public OutboxEntry get(String batchId) {
    return find(batchId).orElseThrow(() -> Refusal.notFound("no batch " + batchId));
  }

  /** Whether the batch is set aside (the ledger refused it and it waits for the operator). */
  public static boolean setAside(OutboxEntry e) {
    return e.status() == BatchStatus.SET_ASIDE;
  }

  /** The set-aside batches and since when. */
  public List<SetAside> setAsideBatches() {
    return store.outbox().setAsideEntries().stream()
        .map(e -> new SetAside(e, store.outbox().setAsideAt(e.batchId())))
        .toList();
  }

  /** The ledger's backend, height and network. */
  public LedgerStatus ledgerStatus() {
    return LedgerProblems.call(ledger::status);
  }

  /** The batch as the ledger holds it, or a not-found refusal. */
  public BatchRecord ledgerBatch(String batchId) {
    return LedgerProblems.call(() -> ledger.batch(batchId))
        .orElseThrow(() -> Refusal.notFound("batch " + batchId + " is not on the ledger"));
  }
}
