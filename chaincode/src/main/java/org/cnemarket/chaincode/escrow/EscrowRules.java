package org.cnemarket.chaincode.escrow;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.cnemarket.chaincode.ReasonCode;
import org.cnemarket.chaincode.StateKeys;
import org.cnemarket.chaincode.TxContext;
import org.cnemarket.chaincode.participants.ParticipantRules;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.NetSettlement;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Participant;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Units;
import org.hyperledger.fabric.shim.ChaincodeException;

/** Deposits and order acceptance: the credits side of the market. */
public final class EscrowRules {
  private EscrowRules() {}

  /** Credits a registered account once per deposit id. */
  public static Map<String, Object> deposit(
      TxContext tx, String depositId, String account, long amountMicros) {
    if (amountMicros <= 0) {
      throw ReasonCode.INVALID.reject("amountMicros must be positive");
    }
    ParticipantRules.require(tx, account);
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("depositId", depositId);
    record.put("account", account);
    record.put("amountMicros", amountMicros);
    String key = StateKeys.deposit(depositId);
    Fields existing = tx.state().fields(key);
    if (existing != null) {
      if (!existing.string("account").equals(account)
          || existing.longValue("amountMicros") != amountMicros) {
        throw ReasonCode.INVALID.reject(
            "deposit " + depositId + " was already applied with other data");
      }
      record.put("alreadyApplied", true);
      return record;
    }
    Account.load(tx.state(), account).credit(amountMicros).save(tx.state());
    Map<String, Object> stored = new LinkedHashMap<>(record);
    stored.put("txId", tx.txId());
    tx.state().put(key, stored);
    tx.state().event("Deposited", new LinkedHashMap<>(record));
    record.put("alreadyApplied", false);
    return record;
  }

  /**
   * Accepts a signed order: structure, signature, registration and role, nonce; buy orders lock
   * their maximum cost. The same order again is a no-op. Returns
   * {"orderId","lockedMicros","alreadyAccepted"}.
   */
  public static Map<String, Object> acceptOrder(TxContext tx, String signedOrderJson) {
    SignedOrder so = RecordCodec.signedOrderFromJson(signedOrderJson);
    so.order().validate();
    if (!so.verify(tx.domain())) {
      throw ReasonCode.SIGNATURE.reject(
          "order signature does not recover to " + so.order().trader());
    }
    Map<String, Object> out = acceptVerified(tx, so, so.id(tx.domain()));
    if (!(Boolean) out.get("alreadyAccepted")) {
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("orderId", out.get("orderId"));
      event.put("lockedMicros", out.get("lockedMicros"));
      event.put("account", so.order().trader());
      event.put("kind", so.order().kind().name());
      tx.state().event("OrderAccepted", event);
    }
    return out;
  }

  /**
   * Accepts a JSON array of signed orders in one transaction, each by the rules of {@link
   * #acceptOrder}, and answers per order, so one refused order does not refuse the others.
   * Signatures are checked together on every core ({@link SignedOrder#verifyAll}: the result does
   * not depend on the order of work), the state changes run in array order. Returns
   * {"results":[{"orderId","status","lockedMicros", "reason","message"}]} with status ACCEPTED,
   * ALREADY_ACCEPTED or REFUSED; the event {@code OrdersAccepted} lists the ids newly accepted.
   */
  public static Map<String, Object> acceptOrders(TxContext tx, String signedOrdersJson) {
    if (!(Json.parse(signedOrdersJson) instanceof List<?> items)) {
      throw ReasonCode.INVALID.reject("AcceptOrders takes a JSON array of signed orders");
    }
    if (items.isEmpty() || items.size() > MAX_BATCH_ORDERS) {
      throw ReasonCode.INVALID.reject("an order batch holds 1 to " + MAX_BATCH_ORDERS + " orders");
    }
    Eip712.Domain domain = tx.domain();
    List<SignedOrder> orders = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      SignedOrder so = RecordCodec.signedOrder(Fields.of(items.get(i), "orders[" + i + "]"));
      so.order().validate();
      orders.add(so);
    }
    String[] ids = new String[orders.size()];
    byte[][] digests = new byte[orders.size()][];
    IntStream.range(0, orders.size())
        .parallel()
        .forEach(
            i -> {
              digests[i] = Eip712.orderDigest(domain, orders.get(i).order());
              ids[i] = Hex.encode(digests[i]);
            });
    boolean[] valid = SignedOrder.verifyAll(orders, Arrays.asList(digests));
    List<Object> results = new ArrayList<>(orders.size());
    List<Object> accepted = new ArrayList<>();
    for (int i = 0; i < orders.size(); i++) {
      Map<String, Object> r;
      try {
        if (!valid[i]) {
          throw ReasonCode.SIGNATURE.reject(
              "order signature does not recover to " + orders.get(i).order().trader());
        }
        Map<String, Object> out = acceptVerified(tx, orders.get(i), ids[i]);
        boolean already = (Boolean) out.get("alreadyAccepted");
        r = new LinkedHashMap<>();
        r.put("orderId", ids[i]);
        r.put("status", already ? "ALREADY_ACCEPTED" : "ACCEPTED");
        r.put("lockedMicros", out.get("lockedMicros"));
        if (!already) {
          accepted.add(ids[i]);
        }
      } catch (ChaincodeException e) {
        // Every check of acceptVerified runs before it stages a write: a refusal staged nothing.
        r = new LinkedHashMap<>();
        r.put("orderId", ids[i]);
        r.put("status", "REFUSED");
        r.put(
            "reason",
            e.getPayload() == null
                ? "INVALID"
                : new String(e.getPayload(), StandardCharsets.UTF_8));
        r.put("message", String.valueOf(e.getMessage()));
      }
      results.add(r);
    }
    if (!accepted.isEmpty()) {
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("count", (long) accepted.size());
      event.put("orderIds", accepted);
      tx.state().event("OrdersAccepted", event);
    }
    return Map.of("results", results);
  }

  /** The most orders one AcceptOrders transaction takes (keeps a transaction well under 10 MB). */
  public static final int MAX_BATCH_ORDERS = 2000;

  /** Registration, role, nonce and escrow of an order whose signature was checked. */
  private static Map<String, Object> acceptVerified(TxContext tx, SignedOrder so, String orderId) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("orderId", orderId);
    StoredOrder existing = StoredOrder.load(tx.state(), orderId);
    if (existing != null) {
      out.put("lockedMicros", existing.lockedMicros());
      out.put("alreadyAccepted", true);
      return out;
    }
    String trader = so.order().trader();
    OrderKind kind = so.order().kind();
    Participant p = ParticipantRules.require(tx, trader);
    if (p.role() != kind.requiredRole()) {
      throw ReasonCode.ROLE.reject(
          kind + " orders need role " + kind.requiredRole() + "; " + trader + " is " + p.role());
    }
    String nonceKey = StateKeys.orderNonce(trader, so.order().nonce());
    if (tx.state().exists(nonceKey)) {
      throw ReasonCode.NONCE.reject(
          "nonce " + so.order().nonce() + " of " + trader + " was already used by another order");
    }
    long lock = 0;
    if (kind.side() == OrderKind.Side.BUY) {
      lock = Units.maxCostMicros(so.order().quantity(), so.order().priceMicros());
      Account.load(tx.state(), trader).lock(lock).save(tx.state());
    }
    new StoredOrder(
            orderId,
            so.order(),
            NetSettlement.OrderMove.signatureHash(so.signature()),
            lock,
            0,
            0,
            0,
            false)
        .saveAccepted(tx.state());
    tx.state().putString(nonceKey, orderId);
    out.put("lockedMicros", lock);
    out.put("alreadyAccepted", false);
    return out;
  }
}
