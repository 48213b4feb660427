package org.cnemarket.engine.ledger.fabric;

import java.util.List;
import java.util.Optional;
import org.cnemarket.engine.ledger.LedgerException;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The boundary between {@link FabricLedger} and a Fabric Gateway: one endorse-submit-commit round
 * trip, one query, one bounded read of the chaincode event stream. The real implementation is
 * {@code GatewaySubmitter}; tests use fakes.
 *
 * <p>Transaction names are qualified with the contract, {@code "escrow:Deposit"}; arguments and
 * results are UTF-8 strings.
 */
interface TransactionSubmitter extends AutoCloseable {

  /**
   * Endorses, submits and waits for the commit status. A transaction that was ordered but
   * invalidated is <em>returned</em> with its code (so the caller can retry MVCC conflicts); an
   * endorsement rejection throws {@link org.cnemarket.engine.ledger.LedgerRejectedException}, a
   * transport failure or a deadline {@link org.cnemarket.engine.ledger.LedgerUnavailableException}.
   */
  Committed submit(String transaction, String... args) throws LedgerException;

  /** Evaluates a query on one peer; no ordering. */
  String evaluate(String transaction, String... args) throws LedgerException;

  /** Blocks in the channel's ledger (from qscc GetChainInfo). */
  long height() throws LedgerException;

  /** The block holding transaction {@code txId} (qscc GetBlockByTxID). */
  long blockOfTransaction(String txId) throws LedgerException;

  /**
   * Reads chaincode events of this chaincode from {@code startBlock}, skipping those up to and
   * including {@code afterTransactionId} in that block, until {@code max} events were read or the
   * events deadline ends the read (the stream itself never ends).
   */
  List<ChainEvent> events(long startBlock, Optional<String> afterTransactionId, int max)
      throws LedgerException;

  @Override
  void close();

  /**
   * The outcome of a submitted transaction.
   *
   * @param txId transaction id
   * @param blockNumber block it was committed in
   * @param code validation code; only VALID was applied
   * @param result the chaincode's return value (UTF-8)
   */
  record Committed(String txId, long blockNumber, TxValidationCode code, String result) {
    boolean valid() {
      return code == TxValidationCode.VALID;
    }
  }

  /**
   * One chaincode event.
   *
   * @param blockNumber block of the transaction that emitted it
   * @param txId the transaction
   * @param name event name, e.g. {@code BatchSettled}
   * @param payload UTF-8 payload (canonical JSON)
   */
  record ChainEvent(long blockNumber, String txId, String name, String payload) {}
}
