package org.cnemarket.core.codec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Signature;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.NetSettlement;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Trade;

/**
 * Canonical JSON of orders, trades and batches. Enum fields are written by name; every number is an
 * integer in the record's fixed-point unit; hashes and addresses are 0x hex.
 */
public final class RecordCodec {
  private RecordCodec() {}

  public static Map<String, Object> order(Order o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", o.kind().name());
    m.put("trader", o.trader());
    m.put("slot", o.slot());
    m.put("zone", o.zone());
    m.put("quantity", o.quantity());
    m.put("priceMicros", o.priceMicros());
    m.put("source", o.source().name());
    m.put("greenBps", (long) o.greenBps());
    m.put("carbonMgPerKwh", o.carbonMgPerKwh());
    m.put("latencyMs", o.latencyMs());
    m.put("nonce", Fields.uint64Json(o.nonce()));
    m.put("expiry", o.expiry());
    return m;
  }

  /** Reads an order; absent optional fields default to 0 / NONE. Does not validate ranges. */
  public static Order order(Fields f) {
    try {
      return new Order(
          OrderKind.parse(f.string("kind")),
          f.string("trader"),
          f.longValue("slot"),
          f.longValue("zone", 0),
          f.longValue("quantity"),
          f.longValue("priceMicros"),
          f.has("source") ? EnergySource.parse(f.string("source")) : EnergySource.NONE,
          (int)
              Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, f.longValue("greenBps", 0))),
          f.longValue("carbonMgPerKwh", 0),
          f.longValue("latencyMs", 0),
          f.uint64("nonce"),
          f.longValue("expiry", 0));
    } catch (JsonException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new JsonException(e.getMessage());
    }
  }

  public static Map<String, Object> signedOrder(SignedOrder so) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("order", order(so.order()));
    m.put("signature", so.signature().toHex());
    return m;
  }

  public static SignedOrder signedOrder(Fields f) {
    Order o = order(f.object("order"));
    Signature sig;
    try {
      sig = Signature.fromHex(f.string("signature"));
    } catch (IllegalArgumentException e) {
      throw new JsonException("signature: " + e.getMessage());
    }
    return new SignedOrder(o, sig);
  }

  public static Map<String, Object> trade(Trade t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tradeId", t.tradeId());
    m.put("round", t.round());
    m.put("slot", t.slot());
    m.put("market", t.market().name());
    m.put("buyOrderId", t.buyOrderId());
    m.put("sellOrderId", t.sellOrderId());
    m.put("buyer", t.buyer());
    m.put("seller", t.seller());
    m.put("quantity", t.quantity());
    m.put("priceMicros", t.priceMicros());
    m.put("amountMicros", t.amountMicros());
    m.put("greenWh", t.greenWh());
    m.put("carbonMg", t.carbonMg());
    return m;
  }

  public static Trade trade(Fields f) {
    return new Trade(
        hash(f, "tradeId"),
        f.longValue("round"),
        f.longValue("slot"),
        OrderKind.Market.valueOf(f.string("market")),
        hash(f, "buyOrderId"),
        hash(f, "sellOrderId"),
        address(f, "buyer"),
        address(f, "seller"),
        f.longValue("quantity"),
        f.longValue("priceMicros"),
        f.longValue("amountMicros"),
        f.longValue("greenWh"),
        f.longValue("carbonMg"));
  }

  /** The batch's header: id, round, slot, root, inputs and outputs hashes, trade count. */
  public static Map<String, Object> batchHeader(SettlementBatch b) {
    return batchHeader(
        b.batchId(),
        b.round(),
        b.slot(),
        b.merkleRoot(),
        b.inputsHash(),
        b.outputsHash(),
        b.tradeCount());
  }

  /**
   * The header of a batch's canonical JSON ({@link #toJson(SettlementBatch)}), as {@link
   * #batchHeader(SettlementBatch)} gives it: the header fields and the number of trades, without
   * reading trades and orders into records (a header is all lists of batches show).
   */
  public static Map<String, Object> batchHeader(String batchJson) {
    Fields f = Fields.of(Json.parse(batchJson), "batch");
    return batchHeader(
        hash(f, "batchId"),
        f.longValue("round"),
        f.longValue("slot"),
        hash(f, "merkleRoot"),
        hash(f, "inputsHash"),
        hash(f, "outputsHash"),
        f.list("trades").size());
  }

  private static Map<String, Object> batchHeader(
      String batchId,
      long round,
      long slot,
      String merkleRoot,
      String inputsHash,
      String outputsHash,
      int tradeCount) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("batchId", batchId);
    m.put("round", round);
    m.put("slot", slot);
    m.put("merkleRoot", merkleRoot);
    m.put("inputsHash", inputsHash);
    m.put("outputsHash", outputsHash);
    m.put("tradeCount", (long) tradeCount);
    return m;
  }

  public static Map<String, Object> batch(SettlementBatch b) {
    Map<String, Object> m = batchHeader(b);
    m.remove("tradeCount");
    m.put("trades", b.trades().stream().map(RecordCodec::trade).toList());
    m.put("orders", b.orders().stream().map(RecordCodec::signedOrder).toList());
    m.put("closedOrderIds", b.closedOrderIds());
    if (!b.fees().isEmpty()) {
      // Written only when present, so batches without fees keep their encoding.
      m.put(
          "fees",
          b.fees().stream()
              .map(
                  fee -> {
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("buyOrderId", fee.buyOrderId());
                    f.put("payer", fee.payer());
                    f.put("amountMicros", fee.amountMicros());
                    return (Object) f;
                  })
              .toList());
    }
    return m;
  }

  public static SettlementBatch batch(Fields f) {
    List<Trade> trades = new ArrayList<>();
    for (Object o : f.list("trades")) {
      trades.add(trade(Fields.of(o, "trade")));
    }
    List<SignedOrder> orders = new ArrayList<>();
    for (Object o : f.list("orders")) {
      orders.add(signedOrder(Fields.of(o, "order")));
    }
    List<String> closed = new ArrayList<>();
    for (Object o : f.list("closedOrderIds")) {
      if (!(o instanceof String s) || !Hex.isHex(s, 32)) {
        throw new JsonException("closedOrderIds must hold 32-byte hex ids");
      }
      closed.add(s);
    }
    List<SettlementBatch.Fee> fees = new ArrayList<>();
    if (f.has("fees")) {
      for (Object o : f.list("fees")) {
        Fields fee = Fields.of(o, "fee");
        try {
          fees.add(
              new SettlementBatch.Fee(
                  hash(fee, "buyOrderId"), address(fee, "payer"), fee.longValue("amountMicros")));
        } catch (JsonException e) {
          throw e;
        } catch (IllegalArgumentException e) {
          throw new JsonException("fee: " + e.getMessage());
        }
      }
    }
    return new SettlementBatch(
        hash(f, "batchId"),
        f.longValue("round"),
        f.longValue("slot"),
        hash(f, "merkleRoot"),
        hash(f, "inputsHash"),
        hash(f, "outputsHash"),
        trades,
        orders,
        closed,
        fees);
  }

  public static String toJson(SettlementBatch b) {
    return Json.write(batch(b));
  }

  public static SettlementBatch batchFromJson(String json) {
    return batch(Fields.of(Json.parse(json), "batch"));
  }

  /**
   * {"batchId","round","slot","merkleRoot","inputsHash","outputsHash","tradeCount","orders":[
   * {"orderId","signatureHash","quantity","trades","amountMicros","feeMicros","greenWh","close"}]}:
   * what settling a batch sends to a chaincode ledger.
   */
  public static Map<String, Object> netSettlement(NetSettlement n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("batchId", n.batchId());
    m.put("round", n.round());
    m.put("slot", n.slot());
    m.put("merkleRoot", n.merkleRoot());
    m.put("inputsHash", n.inputsHash());
    m.put("outputsHash", n.outputsHash());
    m.put("tradeCount", n.tradeCount());
    List<Object> orders = new ArrayList<>(n.orders().size());
    for (NetSettlement.OrderMove o : n.orders()) {
      Map<String, Object> om = new LinkedHashMap<>();
      om.put("orderId", o.orderId());
      om.put("signatureHash", o.signatureHash());
      om.put("quantity", o.quantity());
      om.put("trades", o.trades());
      om.put("amountMicros", o.amountMicros());
      om.put("feeMicros", o.feeMicros());
      om.put("greenWh", o.greenWh());
      om.put("close", o.close());
      orders.add(om);
    }
    m.put("orders", orders);
    return m;
  }

  public static NetSettlement netSettlement(Fields f) {
    List<NetSettlement.OrderMove> orders = new ArrayList<>();
    for (Object o : f.list("orders")) {
      Fields om = Fields.of(o, "order movement");
      orders.add(
          new NetSettlement.OrderMove(
              hash(om, "orderId"),
              hash(om, "signatureHash"),
              om.longValue("quantity"),
              om.longValue("trades"),
              om.longValue("amountMicros"),
              om.longValue("feeMicros"),
              om.longValue("greenWh"),
              om.bool("close")));
    }
    return new NetSettlement(
        hash(f, "batchId"),
        f.longValue("round"),
        f.longValue("slot"),
        hash(f, "merkleRoot"),
        hash(f, "inputsHash"),
        hash(f, "outputsHash"),
        f.longValue("tradeCount"),
        orders);
  }

  public static String toJson(NetSettlement n) {
    return Json.write(netSettlement(n));
  }

  public static NetSettlement netSettlementFromJson(String json) {
    return netSettlement(Fields.of(Json.parse(json), "settlement"));
  }

  public static String toJson(SignedOrder so) {
    return Json.write(signedOrder(so));
  }

  public static SignedOrder signedOrderFromJson(String json) {
    return signedOrder(Fields.of(Json.parse(json), "signedOrder"));
  }

  public static String toJson(Trade t) {
    return Json.write(trade(t));
  }

  public static Trade tradeFromJson(String json) {
    return trade(Fields.of(Json.parse(json), "trade"));
  }

  /** {"account","role","name","nonce","signature"}; the role by name. */
  public static Map<String, Object> registration(Registration r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("account", r.account());
    m.put("role", r.role().name());
    m.put("name", r.name());
    m.put("nonce", Fields.uint64Json(r.nonce()));
    m.put("signature", r.signature().toHex());
    return m;
  }

  public static Registration registration(Fields f) {
    try {
      return new Registration(
          address(f, "account"),
          Role.parse(f.string("role")),
          f.string("name"),
          f.uint64("nonce"),
          Signature.fromHex(f.string("signature")));
    } catch (JsonException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new JsonException("registration: " + e.getMessage());
    }
  }

  public static String toJson(Registration r) {
    return Json.write(registration(r));
  }

  public static Registration registrationFromJson(String json) {
    return registration(Fields.of(Json.parse(json), "registration"));
  }

  /** The EIP-712 domain as {"name","version","chainId","verifyingContract"}. */
  public static Map<String, Object> domain(Eip712.Domain d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", d.name());
    m.put("version", d.version());
    m.put("chainId", d.chainId());
    m.put("verifyingContract", d.verifyingContract());
    return m;
  }

  public static Eip712.Domain domain(Fields f) {
    return new Eip712.Domain(
        f.string("name"),
        f.string("version"),
        f.longValue("chainId"),
        address(f, "verifyingContract"));
  }

  public static String toJson(Eip712.Domain d) {
    return Json.write(domain(d));
  }

  public static Eip712.Domain domainFromJson(String json) {
    return domain(Fields.of(Json.parse(json), "domain"));
  }

  private static String hash(Fields f, String key) {
    String s = f.string(key);
    if (!Hex.isHex(s, 32)) {
      throw new JsonException(key + " must be 32 bytes of 0x hex");
    }
    return s.toLowerCase(Locale.ROOT);
  }

  private static String address(Fields f, String key) {
    String s = f.string(key);
    if (!Hex.isHex(s, 20)) {
      throw new JsonException(key + " must be a 0x address");
    }
    return s.toLowerCase(Locale.ROOT);
  }
}
