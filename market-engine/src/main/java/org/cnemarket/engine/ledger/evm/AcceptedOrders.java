package org.cnemarket.engine.ledger.evm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.cnemarket.core.codec.PackedOrders;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Units;
import org.cnemarket.engine.ledger.LedgerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.Utils;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.protocol.core.methods.response.Log;

/**
 * The orders the market contract accepted, read back from the chain: every {@code OrdersAccepted}
 * log names a batch whose packed signed orders are the calldata of its transaction, and the
 * contract stores their keccak256. The chain keeps no per-order state, so this index (rebuilt from
 * the chain on start-up, then followed block by block) answers which orders are accepted, in which
 * batch, and which (trader, nonce) pairs are taken.
 */
final class AcceptedOrders {
  private static final Logger LOG = LoggerFactory.getLogger(AcceptedOrders.class);

  /** What the index reads from the chain. */
  interface Chain {
    long head() throws LedgerException;

    /** OrdersAccepted logs of the market in [from, to]. */
    List<Log> batchLogs(long fromBlock, long toBlock) throws LedgerException;

    /** The input data (0x-hex) of a transaction. */
    String input(String txHash) throws LedgerException;
  }

  /**
   * One accepted order, the batch it came in, and what it locked (the order itself stays in the
   * batch's calldata, not in memory).
   */
  record Accepted(
      String orderId, String batchId, String trader, OrderKind kind, long lockedMicros) {}

  private final Eip712.Domain domain;
  private final String selector;
  private final long blockRange;
  private final Map<String, Accepted> byId = new HashMap<>();
  private final Map<String, String> byTraderNonce = new HashMap<>();
  private final Map<String, List<String>> byBatch = new HashMap<>();
  private final Map<String, String> batchTx = new HashMap<>();
  private final Map<String, String> traders = new HashMap<>();
  private long scannedTo = -1;

  AcceptedOrders(Eip712.Domain domain, String acceptBatchSelector, long blockRange) {
    this.domain = domain;
    this.selector = acceptBatchSelector.toLowerCase(Locale.ROOT);
    this.blockRange = Math.max(1, blockRange);
  }

  /** Reads the batches accepted since the last call (all of them the first time). */
  synchronized void refresh(Chain chain) throws LedgerException {
    long head = chain.head();
    if (head < scannedTo) {
      // the node came back from an older state: what it no longer holds is not accepted
      LOG.warn(
          "chain head {} is below the indexed block {}; re-reading accepted orders",
          head,
          scannedTo);
      byId.clear();
      byTraderNonce.clear();
      byBatch.clear();
      batchTx.clear();
      scannedTo = -1;
    }
    while (scannedTo < head) {
      long from = scannedTo + 1;
      long to = Math.min(head, from + blockRange - 1);
      for (Log l : chain.batchLogs(from, to)) {
        String batchId = l.getTopics().get(1).toLowerCase(Locale.ROOT);
        if (byBatch.containsKey(batchId)) {
          continue;
        }
        byte[] data = batchData(chain.input(l.getTransactionHash()));
        if (data == null) {
          LOG.warn(
              "order batch {} was not accepted by a direct call to the market; its orders are not"
                  + " indexed",
              batchId);
          continue;
        }
        add(batchId, PackedOrders.unpack(data), l.getTransactionHash());
      }
      scannedTo = to;
    }
  }

  /** Records a batch accepted in transaction {@code txHash}, its orders in the batch's order. */
  synchronized void add(String batchId, List<SignedOrder> orders, String txHash) {
    String b = batchId.toLowerCase(Locale.ROOT);
    if (byBatch.containsKey(b)) {
      return;
    }
    List<String> ids = new ArrayList<>(orders.size());
    for (SignedOrder so : orders) {
      Order o = so.order();
      String id = so.id(domain);
      ids.add(id);
      long locked =
          o.kind().side() == OrderKind.Side.BUY
              ? Units.maxCostMicros(o.quantity(), o.priceMicros())
              : 0;
      String trader = traders.computeIfAbsent(o.trader(), t -> t);
      byId.putIfAbsent(id, new Accepted(id, b, trader, o.kind(), locked));
      byTraderNonce.putIfAbsent(traderNonce(so), id);
    }
    byBatch.put(b, List.copyOf(ids));
    batchTx.put(b, txHash);
  }

  /** The transaction that accepted a batch, if the batch is indexed. */
  synchronized Optional<String> batchTx(String batchId) {
    return Optional.ofNullable(batchTx.get(batchId.toLowerCase(Locale.ROOT)));
  }

  synchronized Optional<Accepted> order(String orderId) {
    return Optional.ofNullable(byId.get(orderId.toLowerCase(Locale.ROOT)));
  }

  /** The id of the accepted order holding this order's (trader, nonce), if any. */
  synchronized Optional<String> nonceHolder(SignedOrder so) {
    return Optional.ofNullable(byTraderNonce.get(traderNonce(so)));
  }

  /** The ids of a batch's orders, in the batch's order; empty when the batch is not indexed. */
  synchronized List<String> batchOrderIds(String batchId) {
    return byBatch.getOrDefault(batchId.toLowerCase(Locale.ROOT), List.of());
  }

  static String traderNonce(SignedOrder so) {
    return so.order().trader() + "/" + Long.toUnsignedString(so.order().nonce());
  }

  /**
   * The packed orders of an {@code acceptOrderBatch(bytes32,bytes)} call, or null for another call.
   */
  byte[] batchData(String inputHex) {
    if (inputHex == null || !inputHex.toLowerCase(Locale.ROOT).startsWith(selector)) {
      return null;
    }
    List<Type> args =
        FunctionReturnDecoder.decode(
            "0x" + inputHex.substring(selector.length()),
            Utils.convert(
                List.of(new TypeReference<Bytes32>() {}, new TypeReference<DynamicBytes>() {})));
    if (args.size() != 2) {
      return null;
    }
    return (byte[]) args.get(1).getValue();
  }

  /** keccak256 of packed orders: the {@code dataHash} the contract stores. */
  static byte[] dataHash(byte[] packed) {
    return Keccak.hash(packed);
  }

  /**
   * The batch id of packed orders: a hash of their content, so the same batch always has one id.
   */
  static byte[] batchId(byte[] packed) {
    return Keccak.hash("CNE order batch".getBytes(StandardCharsets.US_ASCII), dataHash(packed));
  }

  static String hex(byte[] b) {
    return Hex.encode(b);
  }
}
