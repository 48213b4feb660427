package org.cnemarket.engine.settlement;

import java.nio.file.Path;
import java.util.Optional;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.engine.ledger.BatchRecord;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.ledger.LedgerUnavailableException;
import org.cnemarket.engine.store.MarketStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One market per ledger: batch ids are {@code keccak256(domainSeparator, round)}, so two engine
 * data directories settling under the same EIP-712 domain on one shared ledger (a Fabric channel)
 * would both try to settle round 1. An engine therefore starts only when the ledger holds no round
 * beyond what its own data directory recorded; otherwise it stops with a message naming the round
 * found, instead of failing later with a batch conflict.
 */
public final class LedgerContinuity {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerContinuity.class);

  private LedgerContinuity() {}

  /** The ledger's batch for the round after the last one {@code store} recorded, if it has one. */
  public static Optional<BatchRecord> roundAhead(
      MarketStore store, Ledger ledger, Eip712.Domain domain) throws LedgerException {
    long next = store.rounds().last() + 1;
    return ledger.batch(SettlementBatch.batchId(domain, next));
  }

  /**
   * Throws {@link IllegalStateException} with what to do when the ledger is ahead of {@code store}.
   * A ledger that cannot be reached now is not a reason to refuse to start (the outbox waits for
   * it); the check is then logged as skipped.
   */
  public static void requireNoRoundAhead(
      MarketStore store, Ledger ledger, Eip712.Domain domain, Path dataDir) throws LedgerException {
    Optional<BatchRecord> ahead;
    try {
      ahead = roundAhead(store, ledger, domain);
    } catch (LedgerUnavailableException e) {
      LOG.warn(
          "could not check that the ledger holds no later round of this market: {}",
          e.getMessage());
      return;
    }
    if (ahead.isPresent()) {
      BatchRecord b = ahead.get();
      throw new IllegalStateException(
          String.format(
              "the %s ledger (%s) already holds round %d of this market (batch %s, transaction %s), which the data"
                  + " directory %s has not recorded: another engine data directory runs this market on that ledger."
                  + " Start the engine with the data directory that settled it, or give this market a ledger of its"
                  + " own (a new Fabric channel or EVM contracts)",
              ledger.backend(),
              ledger.status().network(),
              b.round(),
              b.batchId(),
              b.txId(),
              dataDir));
    }
  }
}
