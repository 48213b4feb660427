package org.cnemarket.engine.ledger.fabric;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.ledger.LedgerReason;
import org.cnemarket.engine.ledger.LedgerRejectedException;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/** A scripted {@link TransactionSubmitter}: no network; records what it was asked. */
final class FakeSubmitter implements TransactionSubmitter {
  record Call(String transaction, List<String> args) {}

  final List<Call> submits = new ArrayList<>();
  final List<Call> evaluations = new ArrayList<>();
  final Deque<TxValidationCode> codes = new ArrayDeque<>();
  final Map<String, String> results = new HashMap<>();
  final Map<String, LedgerException> failures = new HashMap<>();
  final List<ChainEvent> chain = new ArrayList<>();
  final List<Long> eventReadsFrom = new ArrayList<>();
  final Map<String, Long> blocksOfTransactions = new HashMap<>();
  long height = 1;
  boolean closed;
  private int tx;

  @Override
  public Committed submit(String transaction, String... args) throws LedgerException {
    submits.add(new Call(transaction, List.of(args)));
    LedgerException f = failures.get(transaction);
    if (f != null) {
      throw f;
    }
    TxValidationCode code = codes.isEmpty() ? TxValidationCode.VALID : codes.poll();
    tx++;
    return new Committed("tx" + tx, 10 + tx, code, results.getOrDefault(transaction, ""));
  }

  @Override
  public String evaluate(String transaction, String... args) throws LedgerException {
    evaluations.add(new Call(transaction, List.of(args)));
    LedgerException f = failures.get(transaction);
    if (f != null) {
      throw f;
    }
    return results.getOrDefault(transaction, "");
  }

  @Override
  public long height() {
    return height;
  }

  @Override
  public long blockOfTransaction(String txId) throws LedgerException {
    Long b = blocksOfTransactions.get(txId);
    if (b == null) {
      throw new LedgerRejectedException(LedgerReason.NOT_FOUND, "no transaction " + txId);
    }
    return b;
  }

  @Override
  public List<ChainEvent> events(long startBlock, Optional<String> afterTransactionId, int max) {
    eventReadsFrom.add(startBlock);
    List<ChainEvent> out = new ArrayList<>();
    boolean skipping = afterTransactionId.isPresent();
    for (ChainEvent e : chain) {
      if (e.blockNumber() < startBlock) {
        continue;
      }
      if (skipping && e.blockNumber() == startBlock) {
        if (e.txId().equals(afterTransactionId.get())) {
          skipping = false;
        }
        continue;
      }
      out.add(e);
      if (out.size() == max) {
        break;
      }
    }
    return out;
  }

  /** Appends an event in {@code block} and raises the height past it. */
  void emit(long block, String name, String payload) {
    chain.add(new ChainEvent(block, "tx-" + block + "-" + chain.size(), name, payload));
    height = Math.max(height, block + 1);
  }

  @Override
  public void close() {
    closed = true;
  }
}
