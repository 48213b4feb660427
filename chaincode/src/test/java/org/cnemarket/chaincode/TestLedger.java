package org.cnemarket.chaincode;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.cnemarket.chaincode.embedded.ChaincodeRunner;
import org.cnemarket.chaincode.embedded.EmbeddedCa;
import org.cnemarket.chaincode.embedded.InMemoryStateStore;
import org.cnemarket.chaincode.embedded.TxResult;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.merkle.MerkleTree;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Trade;
import org.cnemarket.core.model.Units;

/**
 * A fresh in-memory ledger driven through the real runner (ContractRouter + EmbeddedStub), with
 * operator, auditor and role-less identities and helpers that build signed records.
 */
public final class TestLedger {
  static final EmbeddedCa CA = EmbeddedCa.create("cne-test-ca");
  static final byte[] OPERATOR =
      CA.issue("CneOperatorMSP", "operator", "operator").serializedIdentity();
  static final byte[] AUDITOR =
      CA.issue("CneAuditorMSP", "auditor", "auditor").serializedIdentity();
  static final byte[] NOBODY = CA.issue("CneParticipantMSP", "someone", null).serializedIdentity();
  static final Eip712.Domain DOMAIN = Eip712.Domain.cne(31337, Eip712.Domain.ZERO_ADDRESS);
  static final Instant EPOCH = Instant.parse("2030-01-01T00:00:00Z");

  final InMemoryStateStore store = new InMemoryStateStore();
  final ChaincodeRunner runner = new ChaincodeRunner(store, "cne-test");
  private long tx;

  static Secp256k1.KeyPair key(int n) {
    return Secp256k1.KeyPair.fromPrivateKey(BigInteger.valueOf(1_000_003L * n + 7));
  }

  String nextTxId() {
    return "tx-" + (++tx);
  }

  Instant now() {
    return EPOCH.plusSeconds(tx);
  }

  TxResult submitAs(byte[] who, String fn, String... args) {
    String id = nextTxId();
    return runner.submit(id, now(), who, fn, args);
  }

  TxResult submit(String fn, String... args) {
    return submitAs(OPERATOR, fn, args);
  }

  TxResult queryAs(byte[] who, String fn, String... args) {
    return runner.invoke("q-" + tx, now(), who, fn, args);
  }

  /** Query as the operator, expecting success; the payload parsed. */
  Fields query(String fn, String... args) {
    TxResult r = queryAs(OPERATOR, fn, args);
    assertThat(r.ok()).as("%s -> %s", fn, r).isTrue();
    return Fields.of(Json.parse(r.payloadString()), fn);
  }

  /** Submit as the operator, expecting success; the payload parsed. */
  Fields ok(String fn, String... args) {
    TxResult r = submit(fn, args);
    assertThat(r.ok()).as("%s -> %s", fn, r).isTrue();
    return Fields.of(Json.parse(r.payloadString()), fn);
  }

  /** Submits and asserts the rejection code, an empty write set and an unchanged state. */
  TxResult rejected(String code, byte[] who, String fn, String... args) {
    NavigableMap<String, String> before = store.snapshot();
    TxResult r = submitAs(who, fn, args);
    assertThat(r.ok()).as("%s should be rejected, got %s", fn, r).isFalse();
    assertThat(r.reasonCode()).as("%s -> %s", fn, r).isEqualTo(code);
    assertThat(r.writeSet()).isEmpty();
    assertThat(r.event()).isEmpty();
    assertThat(store.snapshot()).isEqualTo(before);
    return r;
  }

  TxResult rejected(String code, String fn, String... args) {
    return rejected(code, OPERATOR, fn, args);
  }

  // ---- domain helpers

  TestLedger configure() {
    ok("config:Configure", RecordCodec.toJson(DOMAIN));
    return this;
  }

  String register(Secp256k1.KeyPair key, Role role) {
    ok("participants:Register", registration(key, role, "p-" + key.address().substring(2, 8)));
    return key.address();
  }

  static String registration(Secp256k1.KeyPair key, Role role, String name) {
    return RecordCodec.toJson(Registration.sign(DOMAIN, key, role, name, 0));
  }

  void deposit(String id, String account, long micros) {
    ok("escrow:Deposit", id, account, Long.toString(micros));
  }

  Fields balance(String account) {
    return query("escrow:Balance", account);
  }

  static SignedOrder order(
      Secp256k1.KeyPair key,
      OrderKind kind,
      long quantity,
      long price,
      long nonce,
      EnergySource source) {
    Order o = new Order(kind, key.address(), 100, 1, quantity, price, source, 0, 0, 0, nonce, 0);
    return SignedOrder.sign(DOMAIN, o, key);
  }

  static SignedOrder bid(Secp256k1.KeyPair key, long quantity, long price, long nonce) {
    return order(key, OrderKind.ENERGY_BID, quantity, price, nonce, EnergySource.NONE);
  }

  static SignedOrder offer(
      Secp256k1.KeyPair key, long quantity, long price, long nonce, EnergySource src) {
    return order(key, OrderKind.ENERGY_OFFER, quantity, price, nonce, src);
  }

  String accept(SignedOrder so) {
    return ok("escrow:AcceptOrder", RecordCodec.toJson(so)).string("orderId");
  }

  static String id(SignedOrder so) {
    return so.id(DOMAIN);
  }

  /** A fill to put in a batch. */
  record Fill(
      SignedOrder buy, SignedOrder sell, long quantity, long price, long greenWh, long carbonMg) {}

  static List<Trade> trades(long round, List<Fill> fills) {
    List<Trade> out = new ArrayList<>();
    for (int i = 0; i < fills.size(); i++) {
      Fill f = fills.get(i);
      String b = id(f.buy());
      String s = id(f.sell());
      out.add(
          new Trade(
              Trade.tradeId(b, s, round, i),
              round,
              100,
              f.buy().order().kind().market(),
              b,
              s,
              f.buy().order().trader(),
              f.sell().order().trader(),
              f.quantity(),
              f.price(),
              Units.amountMicros(f.quantity(), f.price()),
              f.greenWh(),
              f.carbonMg()));
    }
    return out;
  }

  static SettlementBatch batch(long round, List<Fill> fills, List<String> closed) {
    List<Trade> trades = trades(round, fills);
    List<SignedOrder> orders = new ArrayList<>();
    for (Fill f : fills) {
      orders.add(f.buy());
      orders.add(f.sell());
    }
    String root = Hex.encode(MerkleTree.of(trades.stream().map(Trade::leaf).toList()).root());
    String zero = "0x" + "00".repeat(32);
    String inputs = Hex.encode(Keccak.hash("in-" + round));
    return new SettlementBatch(
        SettlementBatch.batchId(DOMAIN, round),
        round,
        100,
        root,
        inputs,
        zero,
        trades,
        orders,
        closed);
  }

  static String json(SettlementBatch b) {
    return RecordCodec.toJson(b);
  }

  static String proofJson(SettlementBatch b, int index) {
    MerkleTree t = MerkleTree.of(b.trades().stream().map(Trade::leaf).toList());
    return Json.write(t.proof(index).stream().map(Hex::encode).toList());
  }

  static Map<String, Object> parse(TxResult r) {
    return Json.parseObject(r.payloadString());
  }
}
