package org.cnemarket.engine.ledger.fabric;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.cnemarket.engine.ledger.ChaincodeEvents;
import org.cnemarket.engine.ledger.ChaincodeLedger;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.LedgerEvent;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.ledger.LedgerReason;
import org.cnemarket.engine.ledger.LedgerRejectedException;
import org.cnemarket.engine.ledger.LedgerStatus;
import org.cnemarket.engine.ledger.LedgerUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Ledger} port over a Fabric 2.5 network through the Fabric Gateway. Every mutating call
 * is one chaincode transaction: endorsed (by the peers the chaincode's endorsement policy requires;
 * the gateway peer finds them), ordered, and waited for until committed; a commit invalidated by an
 * MVCC or phantom read conflict is endorsed and submitted again per the {@link RetryPolicy}.
 * Queries are evaluated on the gateway peer. Each gateway call has the deadline set in {@link
 * FabricConfig.Deadlines}.
 *
 * <p>Events: the chaincode emits one event per transaction ({@code BatchSettled}, {@code
 * CertificatesIssued}, ...). {@link #events(long, int)} reads them from the chaincode event stream;
 * cursors are {@code block * 1_000_000 + index of the event within the block}.
 */
public final class FabricLedger extends ChaincodeLedger {
  private static final Logger LOG = LoggerFactory.getLogger(FabricLedger.class);

  /** Cursor stride: an event's cursor is {@code block * EVENTS_PER_BLOCK + index}. */
  public static final long EVENTS_PER_BLOCK = 1_000_000L;

  /** Waits between retries; replaced in tests. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final TransactionSubmitter submitter;
  private final RetryPolicy retry;
  private final String channel;
  private final Sleeper sleeper;
  private final DoubleSupplier random;

  FabricLedger(
      TransactionSubmitter submitter,
      RetryPolicy retry,
      String channel,
      Sleeper sleeper,
      DoubleSupplier random) {
    this.submitter = submitter;
    this.retry = retry;
    this.channel = channel;
    this.sleeper = sleeper;
    this.random = random;
  }

  /** Connects to the gateway peer named in {@code config}. */
  public static FabricLedger connect(FabricConfig config) throws LedgerException {
    return new FabricLedger(
        GatewaySubmitter.connect(config),
        config.retry(),
        config.channel(),
        d -> Thread.sleep(d.toMillis()),
        () -> ThreadLocalRandom.current().nextDouble());
  }

  /** Reads the JSON connection profile at {@code profile} and connects. */
  public static FabricLedger fromProfile(Path profile) throws LedgerException {
    return connect(FabricConfig.load(profile));
  }

  @Override
  public String backend() {
    return "fabric";
  }

  @Override
  public LedgerStatus status() throws LedgerException {
    return new LedgerStatus("fabric", submitter.height(), channel);
  }

  @Override
  public List<LedgerEvent> events(long cursor, int max) throws LedgerException {
    if (max <= 0) {
      return List.of();
    }
    long startBlock = cursor < 0 ? 0 : cursor / EVENTS_PER_BLOCK;
    if (startBlock >= submitter.height()) {
      return List.of();
    }
    // Re-read the cursor's block from its start so that indexes within it are exact.
    long skip = cursor < 0 ? 0 : (cursor % EVENTS_PER_BLOCK) / 2 + 1;
    int want = (int) Math.min(Integer.MAX_VALUE, max + skip);
    List<TransactionSubmitter.ChainEvent> raw =
        submitter.events(startBlock, Optional.empty(), want);
    return toLedgerEvents(raw, cursor, max);
  }

  /** Numbers raw chaincode events by block and index, keeps those after {@code cursor}. */
  static List<LedgerEvent> toLedgerEvents(
      List<TransactionSubmitter.ChainEvent> raw, long cursor, int max) {
    List<LedgerEvent> out = new ArrayList<>();
    long block = -1;
    long index = 0;
    for (TransactionSubmitter.ChainEvent e : raw) {
      if (e.blockNumber() != block) {
        block = e.blockNumber();
        index = 0;
      } else {
        index++;
      }
      for (LedgerEvent le : ChaincodeEvents.of(block, index, e.name(), e.payload(), cursor)) {
        out.add(le);
        if (out.size() == max) {
          return out;
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    submitter.close();
  }

  /** Submits with retry of MVCC / phantom read conflicts; returns the valid commit. */
  @Override
  protected Submitted submit(String transaction, String... args) throws LedgerException {
    TransactionSubmitter.Committed c = submitWithRetry(transaction, args);
    return new Submitted(c.result(), c.txId(), c.blockNumber());
  }

  TransactionSubmitter.Committed submitWithRetry(String transaction, String... args)
      throws LedgerException {
    for (int attempt = 1; ; attempt++) {
      TransactionSubmitter.Committed c = submitter.submit(transaction, args);
      if (c.valid()) {
        return c;
      }
      if (retry.shouldRetry(c.code(), attempt)) {
        Duration wait = retry.jitteredBackoff(attempt, random.getAsDouble());
        LOG.info(
            "{} tx {} invalidated with {} (attempt {}/{}); retrying in {} ms",
            transaction,
            c.txId(),
            c.code(),
            attempt,
            retry.maxAttempts(),
            wait.toMillis());
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new LedgerUnavailableException(transaction + ": interrupted while backing off", e);
        }
        continue;
      }
      if (retry.retryable(c.code())) {
        throw new LedgerUnavailableException(
            transaction
                + ": still "
                + c.code()
                + " after "
                + attempt
                + " attempts (last tx "
                + c.txId()
                + ")",
            null);
      }
      throw new LedgerRejectedException(
          LedgerReason.INVALID,
          transaction + ": transaction " + c.txId() + " was invalidated at commit: " + c.code());
    }
  }

  /** A repeat's receipt names the original settlement's block, not the no-op repeat's. */
  @Override
  protected long blockOf(String txId, Submitted repeat) throws LedgerException {
    return submitter.blockOfTransaction(txId);
  }

  @Override
  protected String evaluate(String function, String... args) throws LedgerException {
    return submitter.evaluate(function, args);
  }
}
