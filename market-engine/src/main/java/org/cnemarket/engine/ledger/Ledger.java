package org.cnemarket.engine.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cnemarket.core.crypto.Signature;
import org.cnemarket.core.model.Participant;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Trade;

/**
 * The ledger port: everything the engine and auditors need from the system of record. Three
 * adapters (embedded chaincode, Fabric Gateway, EVM through Web3j) implement it and must behave
 * identically; the conformance suite in {@code tests/} proves it.
 *
 * <p>Every mutating call is idempotent on its natural id (registration account, deposit id, order
 * id, batch id, trade id, certificate nonce), so the engine can retry after a crash or a timeout
 * without applying anything twice. A {@link LedgerRejectedException} means the ledger refused the
 * request and nothing changed; a {@link LedgerUnavailableException} means the outcome is unknown
 * and the call may be retried.
 */
public interface Ledger extends AutoCloseable {

  /** "embedded", "fabric" or "evm". */
  String backend();

  /** Height (blocks), and backend details. */
  LedgerStatus status() throws LedgerException;

  /**
   * Registers a participant from its own signed registration. Re-registering the same is a no-op.
   */
  void register(Registration registration) throws LedgerException;

  Optional<Participant> participant(String address) throws LedgerException;

  /** Operator credits {@code amountMicros} to {@code account}; idempotent on {@code depositId}. */
  void deposit(String depositId, String account, long amountMicros) throws LedgerException;

  /**
   * Locks a buy order's maximum cost ({@code Units.maxCostMicros}) in escrow after checking its
   * signature, its trader's role and its nonce; idempotent on the order id. Sell orders are
   * recorded (signature and nonce checked) without escrow.
   */
  void acceptOrder(SignedOrder order) throws LedgerException;

  /**
   * Accepts many orders, each by the rules of {@link #acceptOrder}, and answers per order, in the
   * order given: one refused order does not refuse the others. Adapters that can take a batch in
   * one ledger transaction do so; this default takes them one at a time. A {@link
   * LedgerUnavailableException} means some of them may be on the ledger: retrying is safe.
   */
  default List<OrderAcceptance> acceptOrders(List<SignedOrder> orders) throws LedgerException {
    List<OrderAcceptance> out = new ArrayList<>(orders.size());
    for (SignedOrder o : orders) {
      try {
        acceptOrder(o);
        out.add(OrderAcceptance.ACCEPTED);
      } catch (LedgerRejectedException e) {
        out.add(OrderAcceptance.refused(e.reason(), e.getMessage()));
      }
    }
    return out;
  }

  /**
   * How many orders the ledger feed hands to one {@link #acceptOrders} call: the most a ledger
   * takes in one durable write of its own, or 2,000.
   */
  default int ordersPerFeedPass() {
    return 2_000;
  }

  /** True when the order with this id (its EIP-712 digest) was accepted on the ledger. */
  boolean orderAccepted(String orderId) throws LedgerException;

  /**
   * Settles a round: checks the root, the orders and the escrow, pays sellers, refunds what the
   * closed buy orders did not spend. Settling the same batch id again returns the first receipt
   * with {@code alreadySettled = true} and changes nothing; a different batch under a used id is
   * rejected.
   */
  SettlementReceipt settle(SettlementBatch batch) throws LedgerException;

  /**
   * Settles {@code batch}, given with its canonical JSON ({@code RecordCodec.toJson}, as the outbox
   * stores it) so that a ledger that hashes it need not write it again.
   */
  default SettlementReceipt settle(SettlementBatch batch, String batchJson) throws LedgerException {
    return settle(batch);
  }

  Optional<BatchRecord> batch(String batchId) throws LedgerException;

  Balance balance(String account) throws LedgerException;

  /**
   * Operator reports metered delivery of a settled trade, proven by its Merkle proof against the
   * stored batch root. Updates the seller's reputation and, for green energy, issues green
   * certificates (Wh for the trade's slot) to the buyer; a trade is reported at most once.
   */
  DeliveryReceipt reportDelivery(
      String batchId, Trade trade, List<byte[]> proof, long deliveredQuantity)
      throws LedgerException;

  Reputation reputation(String provider) throws LedgerException;

  /** Green Wh of {@code slot} held (issued minus transferred out minus retired) and retired. */
  CertificateBalance certificates(String holder, long slot) throws LedgerException;

  /** Moves certificates on the holder's signed instruction; idempotent on (from, nonce). */
  void transferCertificates(
      String from, String to, long slot, long amountWh, long nonce, Signature signature)
      throws LedgerException;

  /**
   * Retires (claims) certificates on the holder's signed instruction; idempotent on (holder,
   * nonce).
   */
  void retireCertificates(String holder, long slot, long amountWh, long nonce, Signature signature)
      throws LedgerException;

  /** Ledger events after {@code cursor} (exclusive), oldest first, at most {@code max}. */
  List<LedgerEvent> events(long cursor, int max) throws LedgerException;

  @Override
  void close() throws LedgerException;
}
