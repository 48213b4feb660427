package org.cnemarket.engine.audit;

import java.util.List;
import java.util.Map;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.Trade;
import org.cnemarket.engine.ledger.BatchRecord;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.store.BatchStatus;
import org.cnemarket.engine.store.MarketStore;
import org.cnemarket.engine.store.OutboxEntry;

/**
 * Checks the engine's settled batches against any ledger: each must be on the ledger with the
 * Merkle root of the trades the engine serves (so every proof it hands out verifies against the
 * chain), and with the same inputs and outputs hashes and trade count.
 */
public final class BatchCrossCheck {
  /** The outcome; {@code problem} names the first batch that differs. */
  public record Report(boolean verified, long batches, long trades, String problem) {}

  private BatchCrossCheck() {}

  public static Report check(MarketStore store, Ledger ledger) throws LedgerException {
    long batches = 0;
    long trades = 0;
    int offset = 0;
    while (true) {
      List<OutboxEntry> page = store.outbox().list(offset, 200);
      for (OutboxEntry e : page) {
        if (e.status() != BatchStatus.SETTLED) {
          continue;
        }
        Map<String, Object> recorded = RecordCodec.batchHeader(e.payloadJson());
        List<Trade> served = store.trades().ofRound(e.round());
        String root = SettlementBatch.rootOf(served);
        BatchRecord onLedger = ledger.batch(e.batchId()).orElse(null);
        String where = "round " + e.round() + " (batch " + e.batchId() + "): ";
        if (onLedger == null) {
          return new Report(false, batches, trades, where + "not on the ledger");
        }
        if (!root.equals(onLedger.merkleRoot())) {
          return new Report(
              false,
              batches,
              trades,
              where + "the engine's trades do not hash to the ledger's root");
        }
        if (!recorded.get("inputsHash").equals(onLedger.inputsHash())
            || !recorded.get("outputsHash").equals(onLedger.outputsHash())
            || onLedger.tradeCount() != served.size()) {
          return new Report(
              false,
              batches,
              trades,
              where + "inputs, outputs or trade count differ from the ledger");
        }
        batches++;
        trades += served.size();
      }
      if (page.size() < 200) {
        return new Report(true, batches, trades, null);
      }
      offset += page.size();
    }
  }
}
