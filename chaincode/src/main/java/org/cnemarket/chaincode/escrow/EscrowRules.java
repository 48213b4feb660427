package org.cnemarket.chaincode.escrow;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cnemarket.chaincode.ReasonCode;
import org.cnemarket.chaincode.StateKeys;
import org.cnemarket.chaincode.TxContext;
import org.cnemarket.chaincode.participants.ParticipantRules;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Participant;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Units;

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
      if (!existing.string("account").equals(account) || existing.longValue("amountMicros") != amountMicros) {
        throw ReasonCode.INVALID.reject("deposit " + depositId + " was already applied with other data");
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
      throw ReasonCode.SIGNATURE.reject("order signature does not recover to " + so.order().trader());
    }
    String orderId = so.id(tx.domain());
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
    new StoredOrder(orderId, so, lock, 0, 0, 0, false, tx.txId()).save(tx.state());
    tx.state().putString(nonceKey, orderId);
    out.put("lockedMicros", lock);
    Map<String, Object> event = new LinkedHashMap<>(out);
    event.put("account", trader);
    event.put("kind", kind.name());
    tx.state().event("OrderAccepted", event);
    out.put("alreadyAccepted", false);
    return out;
  }
}
