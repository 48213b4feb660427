package org.cnemarket.core.model;

import java.util.List;
import org.cnemarket.core.crypto.Abi;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.merkle.MerkleTiles;
import org.cnemarket.core.merkle.MerkleTree;

/**
 * One round's settlement: its trades, their Merkle root, the signed orders they fill, and the buy
 * orders whose remaining escrow is released. The ledger applies it at most once (by batch id).
 *
 * @param batchId keccak256(abi.encode(domainSeparator, round))
 * @param round the round number
 * @param slot the delivery slot
 * @param merkleRoot root of the trades' leaves, in list order
 * @param inputsHash hash of the round's canonical inputs (orders, parameters, mechanism)
 * @param outputsHash hash of the round's canonical outputs (prices, allocations)
 * @param trades the trades
 * @param orders every signed order a trade references or that is closed
 * @param closedOrderIds buy orders whose unspent escrow is refunded by this batch
 * @param fees the platform's take from buy orders' escrow (McAfee trade reduction), paid to {@link
 *     Units#PLATFORM_ACCOUNT}
 */
public record SettlementBatch(
    String batchId,
    long round,
    long slot,
    String merkleRoot,
    String inputsHash,
    String outputsHash,
    List<Trade> trades,
    List<SignedOrder> orders,
    List<String> closedOrderIds,
    List<Fee> fees) {

  /**
   * What a buy order pays the platform on top of its trades.
   *
   * @param buyOrderId the buy order whose escrow pays
   * @param payer its trader
   * @param amountMicros the fee
   */
  public record Fee(String buyOrderId, String payer, long amountMicros) {
    public Fee {
      if (amountMicros <= 0) {
        throw new IllegalArgumentException("a fee must be positive");
      }
    }
  }

  public SettlementBatch {
    trades = List.copyOf(trades);
    orders = List.copyOf(orders);
    closedOrderIds = List.copyOf(closedOrderIds);
    fees = List.copyOf(fees);
  }

  /** A batch without platform fees. */
  public SettlementBatch(
      String batchId,
      long round,
      long slot,
      String merkleRoot,
      String inputsHash,
      String outputsHash,
      List<Trade> trades,
      List<SignedOrder> orders,
      List<String> closedOrderIds) {
    this(
        batchId,
        round,
        slot,
        merkleRoot,
        inputsHash,
        outputsHash,
        trades,
        orders,
        closedOrderIds,
        List.of());
  }

  /**
   * The batch of {@code round} with the Merkle root of {@code trades} computed here, once: the one
   * way the engine builds a batch for the ledger.
   */
  public static SettlementBatch build(
      Eip712.Domain domain,
      long round,
      long slot,
      String inputsHash,
      String outputsHash,
      List<Trade> trades,
      List<SignedOrder> orders,
      List<String> closedOrderIds,
      List<Fee> fees) {
    return new SettlementBatch(
        batchId(domain, round),
        round,
        slot,
        rootOf(trades),
        inputsHash,
        outputsHash,
        trades,
        orders,
        closedOrderIds,
        fees);
  }

  /**
   * The batch of {@code round} with the root of {@code tree}, the tree of {@code trades}' leaves in
   * list order that the caller built (and stores): the trades are not hashed again here.
   */
  public static SettlementBatch build(
      Eip712.Domain domain,
      long round,
      long slot,
      MerkleTiles tree,
      String inputsHash,
      String outputsHash,
      List<Trade> trades,
      List<SignedOrder> orders,
      List<String> closedOrderIds,
      List<Fee> fees) {
    return new SettlementBatch(
        batchId(domain, round),
        round,
        slot,
        Hex.encode(tree.requireLeaves(trades.size()).root()),
        inputsHash,
        outputsHash,
        trades,
        orders,
        closedOrderIds,
        fees);
  }

  public static String batchId(Eip712.Domain domain, long round) {
    return Hex.encode(Keccak.hash(Abi.encode(domain.separator(), Abi.uint(round))));
  }

  /** The root the trades actually hash to. */
  public String computedRoot() {
    return rootOf(trades);
  }

  /** The Merkle root a batch of these trades commits: of their leaves, in list order. */
  public static String rootOf(List<Trade> trades) {
    return Hex.encode(MerkleTree.of(trades.stream().map(Trade::leaf).toList()).root());
  }

  public int tradeCount() {
    return trades.size();
  }
}
