package org.cnemarket.chaincode.escrow;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.cnemarket.chaincode.StateKeys;
import org.cnemarket.chaincode.TxState;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Signature;
import org.cnemarket.core.model.NetSettlement;
import org.cnemarket.core.model.Order;

/**
 * An accepted order and what happened to it. For a buy order {@code lockedMicros} is what it
 * locked; {@code lockedMicros - spentMicros - refundedMicros} is still in escrow.
 *
 * @param orderId the EIP-712 digest
 * @param order the order's terms as accepted
 * @param signatureHash keccak256 of the signature accepted with it (the signature itself is in the
 *     accepting transaction's arguments on the ledger; settlements name the order by both)
 * @param lockedMicros escrow locked at acceptance (0 for sell orders)
 * @param spentMicros paid to sellers by settled trades
 * @param refundedMicros returned to the buyer when the order was closed
 * @param filledQuantity quantity filled by settled trades
 * @param closed true once a batch closed it (no more fills)
 */
public record StoredOrder(
    String orderId,
    Order order,
    String signatureHash,
    long lockedMicros,
    long spentMicros,
    long refundedMicros,
    long filledQuantity,
    boolean closed) {

  public long escrowRemaining() {
    return lockedMicros - spentMicros - refundedMicros;
  }

  public static StoredOrder load(TxState state, String orderId) {
    Fields f = state.fields(StateKeys.order(orderId));
    if (f == null) {
      return null;
    }
    // Records written before the signature's hash was kept hold the signature itself.
    String signatureHash =
        f.has("signatureHash")
            ? f.string("signatureHash")
            : NetSettlement.OrderMove.signatureHash(Signature.fromHex(f.string("signature")));
    // Fills live apart from the terms; records written before that hold both, and a fill record
    // written since takes their place.
    Fields fill = state.fields(StateKeys.orderFill(orderId));
    if (fill == null && f.has("filledQuantity")) {
      fill = f;
    }
    return new StoredOrder(
        orderId.toLowerCase(Locale.ROOT),
        RecordCodec.order(f.object("order")),
        signatureHash,
        f.longValue("lockedMicros"),
        fill == null ? 0 : fill.longValue("spentMicros"),
        fill == null ? 0 : fill.longValue("refundedMicros"),
        fill == null ? 0 : fill.longValue("filledQuantity"),
        fill != null && fill.bool("closed"));
  }

  /**
   * Stores an order as accepted, {@link #terms()}: the id is the key, the escrow left follows from
   * the amounts, and the accepting transaction is the key's first entry in its history, so none of
   * them is kept again. Nothing is filled yet, so no fill record is written.
   */
  public void saveAccepted(TxState state) {
    state.put(StateKeys.order(orderId), terms());
  }

  /**
   * Stores what settlements did to the order, {@link #fills()}, and only that: a settlement that
   * moves 10^5 orders rewrites 10^5 small records beside each other, not their terms.
   */
  public void saveFills(TxState state) {
    state.put(StateKeys.orderFill(orderId), fills());
  }

  public StoredOrder fill(long quantity, long amountMicros) {
    return new StoredOrder(
        orderId,
        order,
        signatureHash,
        lockedMicros,
        Math.addExact(spentMicros, amountMicros),
        refundedMicros,
        Math.addExact(filledQuantity, quantity),
        closed);
  }

  /** Closes the order, refunding whatever escrow remains. */
  public StoredOrder close() {
    return new StoredOrder(
        orderId,
        order,
        signatureHash,
        lockedMicros,
        spentMicros,
        refundedMicros + escrowRemaining(),
        filledQuantity,
        true);
  }

  /** What acceptance stores: {"order","signatureHash","lockedMicros"}. */
  public Map<String, Object> terms() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("order", RecordCodec.order(order));
    m.put("signatureHash", signatureHash);
    m.put("lockedMicros", lockedMicros);
    return m;
  }

  /** What settlements store: {"spentMicros","refundedMicros","filledQuantity","closed"}. */
  public Map<String, Object> fills() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("spentMicros", spentMicros);
    m.put("refundedMicros", refundedMicros);
    m.put("filledQuantity", filledQuantity);
    m.put("closed", closed);
    return m;
  }

  /**
   * What {@code GetOrder} answers: {"orderId","order","signatureHash","lockedMicros","spentMicros",
   * "refundedMicros","escrowMicros","filledQuantity","closed"}.
   */
  public Map<String, Object> view() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("orderId", orderId);
    m.putAll(terms());
    m.putAll(fills());
    m.put("escrowMicros", escrowRemaining());
    return m;
  }
}
