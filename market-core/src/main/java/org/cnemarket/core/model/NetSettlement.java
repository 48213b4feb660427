package org.cnemarket.core.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.crypto.Signature;
import org.cnemarket.core.eip712.Eip712;

/**
 * What a settlement batch changes on a ledger: its header (Merkle root of the trades, inputs and
 * outputs hashes, trade count) and one net movement per order it fills, charges or closes. The
 * trades themselves stay off the ledger: each is proven against the root (delivery reports carry
 * the proof), and auditors recompute the movements from the trades the engine serves.
 *
 * <p>{@link #of} is the one place a batch is reduced to its movements; it first checks everything
 * that needs the trades themselves (the root, each trade against the signed orders it fills), so a
 * ledger that only sees the movements can still check every rule that protects a user's money on
 * its own state.
 *
 * @param batchId keccak256(abi.encode(domainSeparator, round))
 * @param round the round number
 * @param slot the delivery slot
 * @param merkleRoot root of the trades' leaves
 * @param inputsHash hash of the round's canonical inputs
 * @param outputsHash hash of the round's canonical outputs
 * @param tradeCount the number of trades under the root
 * @param orders one movement per order, in ascending order id (no id twice)
 */
public record NetSettlement(
    String batchId,
    long round,
    long slot,
    String merkleRoot,
    String inputsHash,
    String outputsHash,
    long tradeCount,
    List<OrderMove> orders) {

  public NetSettlement {
    orders = List.copyOf(orders);
  }

  /**
   * The net effect of a batch on one order.
   *
   * @param orderId the order (its EIP-712 digest)
   * @param signatureHash keccak256 of the order's 65-byte signature as the batch carries it: the
   *     ledger compares it with the signature it checked when it accepted the order
   * @param quantity Wh or milli compute units filled by the batch's trades
   * @param trades how many trades fill it
   * @param amountMicros what its trades pay (a buy order) or are paid (a sell order)
   * @param feeMicros platform fee taken from a buy order's escrow (0 for sell orders)
   * @param greenWh green Wh sold (sell orders of the energy market; 0 otherwise)
   * @param close true when a buy order is closed and its unspent escrow refunded
   */
  public record OrderMove(
      String orderId,
      String signatureHash,
      long quantity,
      long trades,
      long amountMicros,
      long feeMicros,
      long greenWh,
      boolean close) {
    public OrderMove {
      orderId = orderId.toLowerCase(Locale.ROOT);
      signatureHash = signatureHash.toLowerCase(Locale.ROOT);
    }

    /** The {@code signatureHash} of {@code signature}. */
    public static String signatureHash(Signature signature) {
      return Hex.encode(Keccak.hash(signature.toBytes()));
    }
  }

  /** A batch the ledger must refuse; {@code reason} is the ledger port's reason code. */
  public static final class Refused extends IllegalArgumentException {
    private final String reason;

    public Refused(String reason, String message) {
      super(message);
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }

  /**
   * Checks {@code batch} against its own trades and signed orders and reduces it to its movements.
   * Refuses (ROOT_MISMATCH, INVALID) a batch whose root is not its trades' root, with a trade
   * inconsistent with the orders it fills (side, market, traders, limit prices, slot, green energy,
   * id, round), or closing an order it does not carry. Signatures are not recovered again: each
   * movement carries a hash of its order's signature, which the ledger compares with the signature
   * it checked when it accepted the order (an order id is the digest of the signed content, so the
   * accepted order with that id and that signature is the batch's order).
   */
  public static NetSettlement of(SettlementBatch batch, Eip712.Domain domain) {
    String root = batch.computedRoot();
    if (!root.equals(batch.merkleRoot())) {
      throw new Refused(
          "ROOT_MISMATCH",
          "merkleRoot " + batch.merkleRoot() + " is not the root of the trades (" + root + ")");
    }
    List<SignedOrder> signed = batch.orders();
    String[] ids = new String[signed.size()];
    IntStream.range(0, ids.length).parallel().forEach(i -> ids[i] = signed.get(i).id(domain));
    Map<String, Order> orders = new HashMap<>();
    Map<String, String> signatureHashes = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      Order o = signed.get(i).order();
      o.validate();
      orders.put(ids[i], o);
      signatureHashes.put(ids[i], OrderMove.signatureHash(signed.get(i).signature()));
    }

    Map<String, long[]> moves = new TreeMap<>(); // id -> {quantity, trades, amount, fee, green}
    List<Trade> trades = batch.trades();
    for (int i = 0; i < trades.size(); i++) {
      Trade t = trades.get(i).validate();
      String where = "trade " + i + " (" + t.tradeId() + ")";
      if (t.round() != batch.round() || t.slot() != batch.slot()) {
        throw invalid(where + " is not of the batch's round and slot");
      }
      if (!Trade.tradeId(t.buyOrderId(), t.sellOrderId(), batch.round(), i).equals(t.tradeId())) {
        throw invalid(where + ": tradeId is not tradeId(buy, sell, round, index)");
      }
      Order bo = included(orders, t.buyOrderId(), where);
      Order so = included(orders, t.sellOrderId(), where);
      side(bo, OrderKind.Side.BUY, t, where);
      side(so, OrderKind.Side.SELL, t, where);
      if (!t.buyer().equals(bo.trader()) || !t.seller().equals(so.trader())) {
        throw invalid(where + ": buyer and seller must be the orders' traders");
      }
      if (t.priceMicros() > bo.priceMicros() || t.priceMicros() < so.priceMicros()) {
        throw invalid(where + ": price is outside the orders' limits");
      }
      if (!within(t.slot(), bo) || !within(t.slot(), so)) {
        throw invalid(where + ": slot " + t.slot() + " is outside an order's slots");
      }
      if (t.greenWh() > 0 && !so.green()) {
        throw invalid(where + ": green Wh need an offer from a renewable source");
      }
      add(moves, t.buyOrderId(), t.quantity(), t.amountMicros(), 0, 0);
      add(moves, t.sellOrderId(), t.quantity(), t.amountMicros(), 0, t.greenWh());
    }
    for (SettlementBatch.Fee fee : batch.fees()) {
      String where = "fee of buy order " + fee.buyOrderId();
      Order bo = included(orders, fee.buyOrderId(), where);
      if (bo.kind().side() != OrderKind.Side.BUY || !bo.trader().equals(fee.payer())) {
        throw invalid(where + ": the payer must be the trader of a buy order");
      }
      long[] m = moves.computeIfAbsent(fee.buyOrderId().toLowerCase(Locale.ROOT), k -> new long[5]);
      m[3] = Math.addExact(m[3], fee.amountMicros());
    }
    LinkedHashSet<String> closed = new LinkedHashSet<>();
    for (String id : batch.closedOrderIds()) {
      String orderId = id.toLowerCase(Locale.ROOT);
      Order o = included(orders, orderId, "closed order " + orderId);
      if (o.kind().side() != OrderKind.Side.BUY) {
        throw invalid("closed order " + orderId + " is not a buy order");
      }
      closed.add(orderId);
      moves.computeIfAbsent(orderId, k -> new long[5]);
    }
    List<OrderMove> out = new ArrayList<>(moves.size());
    moves.forEach(
        (id, m) ->
            out.add(
                new OrderMove(
                    id,
                    signatureHashes.get(id),
                    m[0],
                    m[1],
                    m[2],
                    m[3],
                    m[4],
                    closed.contains(id))));
    return new NetSettlement(
        batch.batchId(),
        batch.round(),
        batch.slot(),
        batch.merkleRoot(),
        batch.inputsHash(),
        batch.outputsHash(),
        batch.tradeCount(),
        out);
  }

  private static void add(
      Map<String, long[]> moves,
      String orderId,
      long quantity,
      long amountMicros,
      long feeMicros,
      long greenWh) {
    long[] m = moves.computeIfAbsent(orderId.toLowerCase(Locale.ROOT), k -> new long[5]);
    m[0] = Math.addExact(m[0], quantity);
    m[1]++;
    m[2] = Math.addExact(m[2], amountMicros);
    m[3] = Math.addExact(m[3], feeMicros);
    m[4] = Math.addExact(m[4], greenWh);
  }

  private static Order included(Map<String, Order> orders, String orderId, String where) {
    Order o = orders.get(orderId.toLowerCase(Locale.ROOT));
    if (o == null) {
      throw invalid(where + ": order " + orderId + " is not included in the batch");
    }
    return o;
  }

  private static void side(Order o, OrderKind.Side side, Trade t, String where) {
    if (o.kind().side() != side || o.kind().market() != t.market()) {
      throw invalid(
          where
              + ": a "
              + t.market()
              + " trade needs a "
              + side
              + " order of that market, got "
              + o.kind());
    }
  }

  private static boolean within(long slot, Order o) {
    return slot >= o.slot() && slot <= o.lastSlot();
  }

  private static Refused invalid(String message) {
    return new Refused("INVALID", message);
  }
}
