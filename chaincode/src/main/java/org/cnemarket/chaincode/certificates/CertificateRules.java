package org.cnemarket.chaincode.certificates;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnemarket.chaincode.ReasonCode;
import org.cnemarket.chaincode.StateKeys;
import org.cnemarket.chaincode.TxContext;
import org.cnemarket.chaincode.TxState;
import org.cnemarket.chaincode.participants.ParticipantRules;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.crypto.Signature;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.merkle.MerkleTree;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Trade;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;

/**
 * Delivery reports (reputation, green certificates, carbon) and the certificate instructions
 * holders sign. Certificates are green Wh of one slot: issued to the buyer of delivered green
 * energy, moved by transfer, and retired (claimed) at most once.
 */
public final class CertificateRules {
  public static final String ISSUED = "CertificatesIssued";
  public static final String TRANSFERRED = "CertificatesTransferred";
  public static final String RETIRED = "CertificatesRetired";

  private CertificateRules() {}

  /** Returns {"tradeId","deliveredQuantity","certifiedWh","alreadyReported"}. */
  public static Map<String, Object> reportDelivery(
      TxContext tx, String batchId, String tradeJson, String proofJson, long delivered) {
    TxState state = tx.state();
    Fields batch = state.fields(StateKeys.batch(batchId));
    if (batch == null) {
      throw ReasonCode.NOT_FOUND.reject("no settled batch " + batchId);
    }
    Trade t = RecordCodec.tradeFromJson(tradeJson);
    List<byte[]> proof = proof(proofJson);
    if (!MerkleTree.verify(proof, Hex.decode(batch.string("merkleRoot"), 32), t.leaf())) {
      throw ReasonCode.BAD_PROOF.reject(
          "the proof does not lead from the trade to batch " + batchId + "'s root");
    }
    if (delivered < 0 || delivered > t.quantity()) {
      throw ReasonCode.INVALID.reject("deliveredQuantity must be between 0 and " + t.quantity());
    }
    String key = StateKeys.delivery(t.tradeId());
    Fields existing = state.fields(key);
    if (existing != null) {
      return receipt(
          t.tradeId(),
          existing.longValue("deliveredQuantity"),
          existing.longValue("certifiedWh"),
          true);
    }

    Fields rep = state.fields(StateKeys.reputation(t.seller()));
    long committed = rep == null ? 0 : rep.longValue("committed");
    long deliveredTotal = rep == null ? 0 : rep.longValue("delivered");
    long successes = rep == null ? 0 : rep.longValue("successes");
    long failures = rep == null ? 0 : rep.longValue("failures");
    boolean full = delivered == t.quantity();
    state.put(
        StateKeys.reputation(t.seller()),
        reputation(
            t.seller(),
            Math.addExact(committed, t.quantity()),
            Math.addExact(deliveredTotal, delivered),
            successes + (full ? 1 : 0),
            failures + (full ? 0 : 1)));

    long certified = t.market() == OrderKind.Market.ENERGY ? Math.min(delivered, t.greenWh()) : 0;
    if (certified > 0) {
      Holding h = Holding.load(state, t.buyer(), t.slot());
      new Holding(h.holder(), h.slot(), Math.addExact(h.heldWh(), certified), h.retiredWh())
          .save(state);
    }

    // Carbon of what was delivered, attributed to the consumer (the buyer) for auditors.
    long carbon =
        BigInteger.valueOf(t.carbonMg())
            .multiply(BigInteger.valueOf(delivered))
            .divide(BigInteger.valueOf(t.quantity()))
            .longValueExact();
    String carbonKey = StateKeys.carbon(t.buyer(), t.slot());
    Fields c = state.fields(carbonKey);
    Map<String, Object> cm = new LinkedHashMap<>();
    cm.put("carbonMg", Math.addExact(c == null ? 0 : c.longValue("carbonMg"), carbon));
    long energy = t.market() == OrderKind.Market.ENERGY ? delivered : 0;
    long compute = t.market() == OrderKind.Market.COMPUTE ? delivered : 0;
    cm.put("energyWh", Math.addExact(c == null ? 0 : c.longValue("energyWh"), energy));
    cm.put("computeMilli", Math.addExact(c == null ? 0 : c.longValue("computeMilli"), compute));
    state.put(carbonKey, cm);

    Map<String, Object> rec = new LinkedHashMap<>();
    rec.put("tradeId", t.tradeId());
    rec.put("batchId", batchId);
    rec.put("deliveredQuantity", delivered);
    rec.put("certifiedWh", certified);
    rec.put("carbonMg", carbon);
    rec.put("txId", tx.txId());
    state.put(key, rec);

    Map<String, Object> event = new LinkedHashMap<>();
    event.put("tradeId", t.tradeId());
    event.put("batchId", batchId);
    event.put("holder", t.buyer());
    event.put("slot", t.slot());
    event.put("deliveredQuantity", delivered);
    event.put("certifiedWh", certified);
    state.event(ISSUED, event);
    return receipt(t.tradeId(), delivered, certified, false);
  }

  /** Moves certificates on {@code from}'s signed instruction; idempotent on (from, nonce). */
  public static Map<String, Object> transfer(
      TxContext tx, String from, String to, long slot, long amountWh, long nonce, Signature sig) {
    Eip712.Domain d = tx.domain();
    byte[] digest = Eip712.certificateTransferDigest(d, from, to, slot, amountWh, nonce);
    if (!Secp256k1.verify(digest, sig, from)) {
      throw ReasonCode.SIGNATURE.reject("transfer signature does not recover to " + from);
    }
    Map<String, Object> instruction = instruction("transfer", from, to, slot, amountWh, nonce);
    Map<String, Object> replay = replay(tx.state(), from, nonce, instruction);
    if (replay != null) {
      return replay;
    }
    if (from.equals(to)) {
      throw ReasonCode.INVALID.reject("cannot transfer certificates to the same holder");
    }
    ParticipantRules.require(tx, from);
    ParticipantRules.require(tx, to);
    Holding src = Holding.load(tx.state(), from, slot);
    if (amountWh > src.heldWh()) {
      throw ReasonCode.OVERDRAFT.reject(
          from + " holds " + src.heldWh() + " Wh of slot " + slot + ", not " + amountWh);
    }
    Holding dst = Holding.load(tx.state(), to, slot);
    new Holding(from, slot, src.heldWh() - amountWh, src.retiredWh()).save(tx.state());
    new Holding(to, slot, Math.addExact(dst.heldWh(), amountWh), dst.retiredWh()).save(tx.state());
    return apply(tx, from, nonce, instruction, TRANSFERRED);
  }

  /** Retires (claims) certificates on the holder's signed instruction; DOUBLE_CLAIM if not held. */
  public static Map<String, Object> retire(
      TxContext tx, String holder, long slot, long amountWh, long nonce, Signature sig) {
    Eip712.Domain d = tx.domain();
    byte[] digest = Eip712.certificateRetireDigest(d, holder, slot, amountWh, nonce);
    if (!Secp256k1.verify(digest, sig, holder)) {
      throw ReasonCode.SIGNATURE.reject("retire signature does not recover to " + holder);
    }
    Map<String, Object> instruction = instruction("retire", holder, null, slot, amountWh, nonce);
    Map<String, Object> replay = replay(tx.state(), holder, nonce, instruction);
    if (replay != null) {
      return replay;
    }
    ParticipantRules.require(tx, holder);
    Holding h = Holding.load(tx.state(), holder, slot);
    if (amountWh > h.heldWh()) {
      throw ReasonCode.DOUBLE_CLAIM.reject(
          holder
              + " holds "
              + h.heldWh()
              + " unretired Wh of slot "
              + slot
              + "; cannot retire "
              + amountWh);
    }
    new Holding(holder, slot, h.heldWh() - amountWh, Math.addExact(h.retiredWh(), amountWh))
        .save(tx.state());
    return apply(tx, holder, nonce, instruction, RETIRED);
  }

  /** {"address","fromSlot","toSlot","carbonMg","energyWh","computeMilli"} summed over slots. */
  public static Map<String, Object> carbon(
      TxContext tx, String address, long fromSlot, long toSlot) {
    long mg = 0;
    long energy = 0;
    long compute = 0;
    if (fromSlot <= toSlot) {
      try (QueryResultsIterator<KeyValue> it =
          tx.stub().getStateByPartialCompositeKey(StateKeys.CARBON_INDEX, address)) {
        for (KeyValue kv : it) {
          long slot =
              Long.parseLong(CompositeKey.parseCompositeKey(kv.getKey()).getAttributes().get(1));
          if (slot > toSlot) {
            break; // keys are in slot order
          }
          if (slot >= fromSlot) {
            Fields f = Fields.of(Json.parse(kv.getStringValue()), kv.getKey());
            mg = Math.addExact(mg, f.longValue("carbonMg"));
            energy = Math.addExact(energy, f.longValue("energyWh"));
            compute = Math.addExact(compute, f.longValue("computeMilli"));
          }
        }
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("address", address);
    m.put("fromSlot", fromSlot);
    m.put("toSlot", toSlot);
    m.put("carbonMg", mg);
    m.put("energyWh", energy);
    m.put("computeMilli", compute);
    return m;
  }

  /** {"provider","committed","delivered","successes","failures"}; zeros when none. */
  public static Map<String, Object> reputation(TxContext tx, String address) {
    Fields rep = tx.state().fields(StateKeys.reputation(address));
    return rep == null
        ? reputation(address, 0, 0, 0, 0)
        : reputation(
            address,
            rep.longValue("committed"),
            rep.longValue("delivered"),
            rep.longValue("successes"),
            rep.longValue("failures"));
  }

  private static Map<String, Object> reputation(
      String provider, long committed, long delivered, long successes, long failures) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("provider", provider);
    m.put("committed", committed);
    m.put("delivered", delivered);
    m.put("successes", successes);
    m.put("failures", failures);
    return m;
  }

  private static List<byte[]> proof(String proofJson) {
    Object parsed = Json.parse(proofJson);
    if (!(parsed instanceof List<?> items)) {
      throw ReasonCode.INVALID.reject("proof must be a JSON array of 0x hex hashes");
    }
    List<byte[]> proof = new ArrayList<>(items.size());
    for (Object o : items) {
      if (!(o instanceof String s) || !Hex.isHex(s, 32)) {
        throw ReasonCode.INVALID.reject("proof must be a JSON array of 32-byte 0x hex hashes");
      }
      proof.add(Hex.decode(s, 32));
    }
    return proof;
  }

  private static Map<String, Object> receipt(
      String tradeId, long delivered, long certified, boolean already) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tradeId", tradeId);
    m.put("deliveredQuantity", delivered);
    m.put("certifiedWh", certified);
    m.put("alreadyReported", already);
    return m;
  }

  private static Map<String, Object> instruction(
      String op, String from, String to, long slot, long amountWh, long nonce) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("op", op);
    m.put("holder", from);
    if (to != null) {
      m.put("to", to);
    }
    m.put("slot", slot);
    m.put("amountWh", amountWh);
    m.put("nonce", Fields.uint64Json(nonce));
    return m;
  }

  /** The earlier result when this very instruction was applied; NONCE if the nonce did else. */
  private static Map<String, Object> replay(
      TxState state, String holder, long nonce, Map<String, Object> instruction) {
    String stored = state.get(StateKeys.certificateNonce(holder, nonce));
    if (stored == null) {
      return null;
    }
    if (!stored.equals(Json.write(instruction))) {
      throw ReasonCode.NONCE.reject(
          "certificate nonce "
              + Long.toUnsignedString(nonce)
              + " of "
              + holder
              + " was already used");
    }
    Map<String, Object> out = new LinkedHashMap<>(instruction);
    out.put("alreadyApplied", true);
    return out;
  }

  private static Map<String, Object> apply(
      TxContext tx, String holder, long nonce, Map<String, Object> instruction, String event) {
    tx.state().put(StateKeys.certificateNonce(holder, nonce), instruction);
    tx.state().event(event, instruction);
    Map<String, Object> out = new LinkedHashMap<>(instruction);
    out.put("alreadyApplied", false);
    return out;
  }
}
