package org.cnemarket.engine.market;

import java.util.List;
import java.util.Optional;
import org.cnemarket.engine.store.BatchState;
import org.cnemarket.engine.store.BatchStatus;
import org.cnemarket.engine.store.MarketStore;
import org.cnemarket.engine.store.RoundHeader;

/** Closed rounds, their records and where their batches are in settlement. */
public final class RoundQueries {
  /** A closed round and its batch's settlement status (empty when the batch has no entry). */
  public record RoundView(RoundHeader record, Optional<BatchStatus> settlement) {}

  private final MarketStore store;

  public RoundQueries(MarketService market) {
    this.store = market.store();
  }

  /** Closed rounds, newest first. */
  public List<RoundView> rounds(int offset, int limit) {
    return store.rounds().headers(offset, limit).stream().map(this::view).toList();
  }

  /** The round, or a not-found refusal. */
  public RoundView get(long round) {
    return view(
        store.rounds().header(round).orElseThrow(() -> Refusal.notFound("no round " + round)));
  }

  /** The number of the last closed round (0 before the first). */
  public long lastRound() {
    return store.rounds().last();
  }

  /** The slot of the last closed round, if any. */
  public Optional<Long> lastClosedSlot() {
    return store.rounds().lastClosedSlot();
  }

  private RoundView view(RoundHeader r) {
    return new RoundView(r, store.outbox().state(r.batchId()).map(BatchState::status));
  }
}
