package org.cnemarket.chaincode;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.cnemarket.chaincode.TestLedger.AUDITOR;
import static org.cnemarket.chaincode.TestLedger.DOMAIN;
import static org.cnemarket.chaincode.TestLedger.NOBODY;
import static org.cnemarket.chaincode.TestLedger.batch;
import static org.cnemarket.chaincode.TestLedger.bid;
import static org.cnemarket.chaincode.TestLedger.id;
import static org.cnemarket.chaincode.TestLedger.json;
import static org.cnemarket.chaincode.TestLedger.key;
import static org.cnemarket.chaincode.TestLedger.offer;
import static org.cnemarket.chaincode.TestLedger.proofJson;
import static org.cnemarket.chaincode.TestLedger.unchecked;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnemarket.chaincode.TestLedger.Fill;
import org.cnemarket.chaincode.embedded.TxResult;
import org.cnemarket.chaincode.embedded.Write;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.crypto.Signature;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.merkle.MerkleTree;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.NetSettlement;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Trade;
import org.cnemarket.core.model.Units;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every transaction through ContractRouter + EmbeddedStub + InMemoryStateStore. */
class ChaincodeTest {
  static final Secp256k1.KeyPair PROVIDER = key(1);
  static final Secp256k1.KeyPair MICROGRID = key(2);
  static final Secp256k1.KeyPair USER = key(3);
  static final Secp256k1.KeyPair STRANGER = key(4);
  static final Secp256k1.KeyPair PROVIDER2 = key(5);

  TestLedger l;

  @BeforeEach
  void setUp() {
    l = new TestLedger();
  }

  /** Configured, with a provider (buyer of energy), a microgrid and a user registered. */
  void market() {
    l.configure();
    l.register(PROVIDER, Role.PROVIDER);
    l.register(MICROGRID, Role.MICROGRID);
    l.register(USER, Role.USER);
    l.register(PROVIDER2, Role.PROVIDER);
  }

  @Nested
  class Configure {
    @Test
    void storesTheDomainOnceAndIsIdempotent() {
      TxResult r = l.submit("config:Configure", RecordCodec.toJson(DOMAIN));
      assertThat(r.ok()).isTrue();
      assertThat(r.writeSet()).hasSize(1);
      assertThat(r.payloadString()).isEqualTo(RecordCodec.toJson(DOMAIN));
      TxResult again = l.submit("config:Configure", RecordCodec.toJson(DOMAIN));
      assertThat(again.ok()).isTrue();
      assertThat(again.writeSet()).isEmpty();
    }

    @Test
    void aDifferentDomainIsInvalid() {
      l.configure();
      l.rejected(
          "INVALID",
          "config:Configure",
          RecordCodec.toJson(Eip712.Domain.cne(1, Eip712.Domain.ZERO_ADDRESS)));
    }

    @Test
    void malformedDomainIsInvalid() {
      l.rejected("INVALID", "config:Configure", "{\"name\":\"x\"}");
    }

    @Test
    void onlyTheOperatorConfigures() {
      l.rejected("ROLE", AUDITOR, "config:Configure", RecordCodec.toJson(DOMAIN));
      l.rejected("ROLE", NOBODY, "config:Configure", RecordCodec.toJson(DOMAIN));
    }

    @Test
    void everyMutatingTxNeedsConfiguration() {
      l.rejected(
          "NOT_CONFIGURED",
          "participants:Register",
          TestLedger.registration(PROVIDER, Role.PROVIDER, "p"));
      l.rejected("NOT_CONFIGURED", "escrow:Deposit", "d1", PROVIDER.address(), "5");
      l.rejected(
          "NOT_CONFIGURED", "escrow:AcceptOrder", RecordCodec.toJson(bid(PROVIDER, 1000, 1000, 1)));
      l.rejected("NOT_CONFIGURED", "settlement:Settle", json(batch(1, List.of(), List.of())));
      l.rejected(
          "NOT_CONFIGURED",
          "certificates:Retire",
          PROVIDER.address(),
          "1",
          "1",
          "1",
          "0x" + "11".repeat(65));
    }

    @Test
    void getReturnsTheDomainOrNotConfigured() {
      assertThat(l.queryAs(AUDITOR, "config:Get").reasonCode()).isEqualTo("NOT_CONFIGURED");
      l.configure();
      TxResult r = l.queryAs(AUDITOR, "config:Get");
      assertThat(RecordCodec.domainFromJson(r.payloadString())).isEqualTo(DOMAIN);
      assertThat(l.queryAs(NOBODY, "config:Get").reasonCode()).isEqualTo("ROLE");
    }
  }

  @Nested
  class Register {
    @BeforeEach
    void configured() {
      l.configure();
    }

    @Test
    void registersFromASignedRegistration() {
      Fields f =
          l.ok("participants:Register", TestLedger.registration(PROVIDER, Role.PROVIDER, "dc-1"));
      assertThat(f.bool("alreadyRegistered")).isFalse();
      Fields p = l.query("participants:Get", PROVIDER.address());
      assertThat(p.string("role")).isEqualTo("PROVIDER");
      assertThat(p.string("name")).isEqualTo("dc-1");
      assertThat(p.string("address")).isEqualTo(PROVIDER.address());
    }

    @Test
    void sameRegistrationAgainIsANoOp() {
      l.ok("participants:Register", TestLedger.registration(PROVIDER, Role.PROVIDER, "dc-1"));
      TxResult again =
          l.submit(
              "participants:Register", TestLedger.registration(PROVIDER, Role.PROVIDER, "dc-1"));
      assertThat(again.ok()).isTrue();
      assertThat(again.writeSet()).isEmpty();
      assertThat(TestLedger.parse(again)).containsEntry("alreadyRegistered", true);
    }

    @Test
    void anotherRoleForTheSameAccountIsRefused() {
      l.ok("participants:Register", TestLedger.registration(PROVIDER, Role.PROVIDER, "dc-1"));
      l.rejected(
          "ROLE", "participants:Register", TestLedger.registration(PROVIDER, Role.USER, "dc-1"));
    }

    @Test
    void nobodyRegistersAsTheOperator() {
      l.rejected(
          "ROLE", "participants:Register", TestLedger.registration(PROVIDER, Role.OPERATOR, "op"));
    }

    @Test
    void aRegistrationSignedByAnotherKeyIsRejected() {
      var real = Registration.sign(DOMAIN, PROVIDER, Role.PROVIDER, "dc", 0);
      var forged = new Registration(STRANGER.address(), Role.PROVIDER, "dc", 0, real.signature());
      l.rejected("SIGNATURE", "participants:Register", RecordCodec.toJson(forged));
    }

    @Test
    void onlyTheOperatorRegisters() {
      l.rejected(
          "ROLE",
          AUDITOR,
          "participants:Register",
          TestLedger.registration(PROVIDER, Role.PROVIDER, "x"));
      l.rejected(
          "ROLE",
          NOBODY,
          "participants:Register",
          TestLedger.registration(PROVIDER, Role.PROVIDER, "x"));
    }

    @Test
    void getUnknownIsNotFoundAndNeedsAReader() {
      assertThat(l.queryAs(AUDITOR, "participants:Get", STRANGER.address()).reasonCode())
          .isEqualTo("NOT_FOUND");
      assertThat(l.queryAs(NOBODY, "participants:Get", STRANGER.address()).reasonCode())
          .isEqualTo("ROLE");
      assertThat(l.queryAs(AUDITOR, "participants:Get", "nope").reasonCode()).isEqualTo("INVALID");
    }
  }

  @Nested
  class Deposit {
    @BeforeEach
    void setUp() {
      market();
    }

    @Test
    void creditsOncePerDepositId() {
      l.deposit("d1", PROVIDER.address(), 5_000);
      TxResult again = l.submit("escrow:Deposit", "d1", PROVIDER.address(), "5000");
      assertThat(again.ok()).isTrue();
      assertThat(again.writeSet()).isEmpty();
      assertThat(TestLedger.parse(again)).containsEntry("alreadyApplied", true);
      assertThat(l.balance(PROVIDER.address()).longValue("availableMicros")).isEqualTo(5_000);
      assertThat(l.balance(PROVIDER.address()).longValue("escrowMicros")).isZero();
    }

    @Test
    void sameIdOtherDataIsInvalid() {
      l.deposit("d1", PROVIDER.address(), 5_000);
      l.rejected("INVALID", "escrow:Deposit", "d1", PROVIDER.address(), "6000");
      l.rejected("INVALID", "escrow:Deposit", "d1", USER.address(), "5000");
    }

    @Test
    void rejectsBadAmountsUnknownAccountsAndNonOperators() {
      l.rejected("INVALID", "escrow:Deposit", "d1", PROVIDER.address(), "0");
      l.rejected("INVALID", "escrow:Deposit", "d1", PROVIDER.address(), "-5");
      l.rejected("INVALID", "escrow:Deposit", "d1", PROVIDER.address(), "1.5");
      l.rejected("UNKNOWN_PARTICIPANT", "escrow:Deposit", "d1", STRANGER.address(), "5");
      l.rejected("ROLE", AUDITOR, "escrow:Deposit", "d1", PROVIDER.address(), "5");
      l.rejected("ROLE", NOBODY, "escrow:Deposit", "d1", PROVIDER.address(), "5");
    }

    @Test
    void balanceOfAnUnknownAccountIsZero() {
      Fields b = l.query("escrow:Balance", STRANGER.address());
      assertThat(b.longValue("availableMicros")).isZero();
      assertThat(l.queryAs(AUDITOR, "escrow:Balance", STRANGER.address()).ok()).isTrue();
      assertThat(l.queryAs(NOBODY, "escrow:Balance", STRANGER.address()).reasonCode())
          .isEqualTo("ROLE");
    }
  }

  @Nested
  class AcceptOrder {
    @BeforeEach
    void setUp() {
      market();
      l.deposit("d1", PROVIDER.address(), 1_000_000);
    }

    @Test
    void aBuyOrderLocksItsMaximumCost() {
      SignedOrder bid = bid(PROVIDER, 10_001, 33_333, 1);
      Fields f = l.ok("escrow:AcceptOrder", RecordCodec.toJson(bid));
      long lock = Units.maxCostMicros(10_001, 33_333);
      assertThat(f.string("orderId")).isEqualTo(id(bid));
      assertThat(f.longValue("lockedMicros")).isEqualTo(lock);
      Fields b = l.balance(PROVIDER.address());
      assertThat(b.longValue("availableMicros")).isEqualTo(1_000_000 - lock);
      assertThat(b.longValue("escrowMicros")).isEqualTo(lock);
      Fields o = l.query("escrow:GetOrder", id(bid));
      assertThat(o.longValue("lockedMicros")).isEqualTo(lock);
      assertThat(o.bool("closed")).isFalse();
    }

    @Test
    void aSellOrderLocksNothing() {
      l.ok(
          "escrow:AcceptOrder",
          RecordCodec.toJson(offer(MICROGRID, 5000, 100, 1, EnergySource.SOLAR)));
      assertThat(l.balance(MICROGRID.address()).longValue("escrowMicros")).isZero();
    }

    @Test
    void theSameOrderAgainIsANoOp() {
      SignedOrder bid = bid(PROVIDER, 1000, 1000, 1);
      l.accept(bid);
      TxResult again = l.submit("escrow:AcceptOrder", RecordCodec.toJson(bid));
      assertThat(again.ok()).isTrue();
      assertThat(again.writeSet()).isEmpty();
      assertThat(TestLedger.parse(again)).containsEntry("alreadyAccepted", true);
      assertThat(l.balance(PROVIDER.address()).longValue("escrowMicros")).isEqualTo(1000);
    }

    @Test
    void aReusedNonceIsRejected() {
      l.accept(bid(PROVIDER, 1000, 1000, 1));
      l.rejected("NONCE", "escrow:AcceptOrder", RecordCodec.toJson(bid(PROVIDER, 2000, 1000, 1)));
    }

    @Test
    void anOrderSignedByAnotherKeyIsRejected() {
      SignedOrder real = bid(PROVIDER, 1000, 1000, 1);
      SignedOrder forged =
          new SignedOrder(real.order(), STRANGER.sign(Eip712.orderDigest(DOMAIN, real.order())));
      l.rejected("SIGNATURE", "escrow:AcceptOrder", RecordCodec.toJson(forged));
    }

    @Test
    void theKindNeedsItsRole() {
      // A user may not bid for energy; a microgrid may not sell compute.
      l.deposit("d2", USER.address(), 1_000_000);
      l.rejected("ROLE", "escrow:AcceptOrder", RecordCodec.toJson(bid(USER, 1000, 1000, 1)));
      l.rejected(
          "ROLE",
          "escrow:AcceptOrder",
          RecordCodec.toJson(
              TestLedger.order(
                  MICROGRID, OrderKind.COMPUTE_OFFER, 1000, 1000, 1, EnergySource.NONE)));
    }

    @Test
    void unknownTradersAndOverdraftsAreRejected() {
      l.rejected(
          "UNKNOWN_PARTICIPANT",
          "escrow:AcceptOrder",
          RecordCodec.toJson(bid(STRANGER, 1000, 1000, 1)));
      l.rejected(
          "OVERDRAFT", "escrow:AcceptOrder", RecordCodec.toJson(bid(PROVIDER, 1_000_001, 1000, 1)));
      l.rejected("OVERDRAFT", "escrow:AcceptOrder", RecordCodec.toJson(bid(PROVIDER2, 1, 1000, 1)));
    }

    @Test
    void structurallyInvalidOrdersAreInvalid() {
      l.rejected("INVALID", "escrow:AcceptOrder", "{}");
      l.rejected(
          "INVALID",
          "escrow:AcceptOrder",
          RecordCodec.toJson(
              TestLedger.order(
                  MICROGRID, OrderKind.ENERGY_OFFER, 1000, 1000, 1, EnergySource.NONE)));
    }

    @Test
    void onlyTheOperatorSubmitsAndGetOrderNeedsAReader() {
      l.rejected(
          "ROLE", AUDITOR, "escrow:AcceptOrder", RecordCodec.toJson(bid(PROVIDER, 1000, 1000, 1)));
      l.rejected(
          "ROLE", NOBODY, "escrow:AcceptOrder", RecordCodec.toJson(bid(PROVIDER, 1000, 1000, 1)));
      assertThat(l.queryAs(AUDITOR, "escrow:GetOrder", "0x" + "ab".repeat(32)).reasonCode())
          .isEqualTo("NOT_FOUND");
      assertThat(l.queryAs(NOBODY, "escrow:GetOrder", "0x" + "ab".repeat(32)).reasonCode())
          .isEqualTo("ROLE");
    }
  }

  /** Shared set-up of settlement and delivery tests: a green offer and two bids accepted. */
  SignedOrder bid1;

  SignedOrder bid2;
  SignedOrder solar;

  void orders() {
    market();
    l.deposit("d1", PROVIDER.address(), 10_000_000);
    l.deposit("d2", PROVIDER2.address(), 10_000_000);
    bid1 = bid(PROVIDER, 10_000, 200_000, 1); // 10 kWh at 0.2 credits/kWh: locks 2_000_000
    bid2 = bid(PROVIDER2, 5_000, 150_000, 1);
    solar = offer(MICROGRID, 12_000, 100_000, 1, EnergySource.SOLAR);
    l.accept(bid1);
    l.accept(bid2);
    l.accept(solar);
  }

  @Nested
  class Settle {
    @BeforeEach
    void setUp() {
      orders();
    }

    @Test
    void paysSellersFromEscrowStoresTheHeaderAndRefundsClosedOrders() {
      SettlementBatch b =
          batch(
              1,
              List.of(
                  new Fill(bid1, solar, 6_000, 120_000, 6_000, 0),
                  new Fill(bid2, solar, 5_000, 120_000, 5_000, 0)),
              List.of(id(bid1)));
      TxResult r = l.submit("settlement:Settle", json(b));
      assertThat(r.ok()).as("%s", r).isTrue();
      assertThat(TestLedger.parse(r))
          .containsEntry("alreadySettled", false)
          .containsEntry("batchId", b.batchId());
      assertThat(r.event())
          .hasValueSatisfying(
              e -> {
                assertThat(e.name()).isEqualTo("BatchSettled");
                assertThat(Json.parseObject(e.payloadString())).containsEntry("tradeCount", 2L);
              });
      // bid1 spent 720_000 and was closed: the rest of its 2_000_000 lock returns.
      Fields p1 = l.balance(PROVIDER.address());
      assertThat(p1.longValue("availableMicros")).isEqualTo(10_000_000 - 720_000);
      assertThat(p1.longValue("escrowMicros")).isZero();
      Fields p2 = l.balance(PROVIDER2.address());
      assertThat(p2.longValue("escrowMicros"))
          .isEqualTo(Units.maxCostMicros(5_000, 150_000) - 600_000);
      assertThat(l.balance(MICROGRID.address()).longValue("availableMicros")).isEqualTo(1_320_000);

      Fields batchRec = l.query("settlement:GetBatch", b.batchId());
      assertThat(batchRec.string("merkleRoot")).isEqualTo(b.merkleRoot());
      assertThat(batchRec.longValue("tradeCount")).isEqualTo(2);
      assertThat(batchRec.string("txId")).isEqualTo(r.txId());
      assertThat(l.query("escrow:GetOrder", id(bid1)).bool("closed")).isTrue();
      assertThat(l.query("escrow:GetOrder", id(solar)).longValue("filledQuantity"))
          .isEqualTo(11_000);
      // The trades are proven against the root, not stored: the batch writes its header, the
      // three orders and the three accounts it moves, whatever its number of trades.
      assertThat(r.writeSet()).hasSize(1 + 3 + 3);
    }

    @Test
    void theSameBatchAgainReturnsTheFirstReceiptAndChangesNothing() {
      SettlementBatch b = batch(1, List.of(new Fill(bid1, solar, 6_000, 120_000, 0, 0)), List.of());
      TxResult first = l.submit("settlement:Settle", json(b));
      var before = l.store.snapshot();
      TxResult again = l.submit("settlement:Settle", json(b));
      assertThat(again.ok()).isTrue();
      assertThat(again.writeSet()).isEmpty();
      assertThat(again.event()).isEmpty();
      assertThat(TestLedger.parse(again))
          .containsEntry("alreadySettled", true)
          .containsEntry("txId", first.txId());
      assertThat(l.store.snapshot()).isEqualTo(before);
    }

    @Test
    void aDifferentBatchUnderAUsedIdConflicts() {
      l.ok(
          "settlement:Settle",
          json(batch(1, List.of(new Fill(bid1, solar, 6_000, 120_000, 0, 0)), List.of())));
      l.rejected(
          "BATCH_CONFLICT",
          "settlement:Settle",
          json(batch(1, List.of(new Fill(bid1, solar, 1_000, 120_000, 0, 0)), List.of())));
    }

    @Test
    void aWrongBatchIdIsInvalid() {
      SettlementBatch b = batch(1, List.of(), List.of());
      SettlementBatch bad =
          new SettlementBatch(
              SettlementBatch.batchId(DOMAIN, 2),
              1,
              b.slot(),
              b.merkleRoot(),
              b.inputsHash(),
              b.outputsHash(),
              b.trades(),
              b.orders(),
              b.closedOrderIds());
      l.rejected("INVALID", "settlement:Settle", json(bad));
    }

    @Test
    void movementsMustRespectTheOrders() {
      // a buy order paying above its limit, a sell order paid below its limit, a fill beyond the
      // orders' quantity: sent without the engine's checks, the chaincode refuses each
      l.rejected(
          "INVALID",
          "settlement:Settle",
          unchecked(batch(1, List.of(new Fill(bid1, solar, 1_000, 200_001, 0, 0)), List.of())));
      l.rejected(
          "INVALID",
          "settlement:Settle",
          unchecked(batch(1, List.of(new Fill(bid1, solar, 100, 99_999, 0, 0)), List.of())));
      l.rejected(
          "INVALID",
          "settlement:Settle",
          unchecked(batch(1, List.of(new Fill(bid1, solar, 10_001, 150_000, 0, 0)), List.of())));
      // green Wh from a grid offer
      SignedOrder grid = offer(MICROGRID, 1_000, 1, 2, EnergySource.GRID);
      l.accept(grid);
      l.rejected(
          "INVALID",
          "settlement:Settle",
          unchecked(batch(1, List.of(new Fill(bid1, grid, 100, 150_000, 1, 0)), List.of())));
      // two buy orders and no seller: nothing is conserved
      l.rejected(
          "INVALID",
          "settlement:Settle",
          unchecked(batch(1, List.of(new Fill(bid1, bid2, 100, 150_000, 0, 0)), List.of())));
      assertThat(l.balance(MICROGRID.address()).longValue("availableMicros")).isZero();
    }

    @Test
    void aMovementThatBreaksConservationOrTheTradeCountIsRefused() {
      SettlementBatch b = batch(1, List.of(new Fill(bid1, solar, 6_000, 120_000, 0, 0)), List.of());
      String good = json(b);
      // the seller paid one micro-credit more than the buyer spends
      String more = good.replaceFirst("\"amountMicros\":720000", "\"amountMicros\":720001");
      String[] sides = good.split("\"amountMicros\":720000", -1);
      assertThat(sides).hasSize(3);
      l.rejected("INVALID", "settlement:Settle", more);
      // a header claiming more trades than the movements count
      l.rejected(
          "INVALID", "settlement:Settle", good.replace("\"tradeCount\":1", "\"tradeCount\":2"));
      l.ok("settlement:Settle", good);
    }

    @Test
    void cumulativeFillsAcrossBatchesAreBounded() {
      l.ok(
          "settlement:Settle",
          json(batch(1, List.of(new Fill(bid1, solar, 6_000, 120_000, 0, 0)), List.of())));
      l.rejected(
          "INVALID",
          "settlement:Settle",
          json(batch(2, List.of(new Fill(bid1, solar, 4_001, 120_000, 0, 0)), List.of())));
      l.ok(
          "settlement:Settle",
          json(batch(2, List.of(new Fill(bid1, solar, 4_000, 120_000, 0, 0)), List.of())));
    }

    @Test
    void malformedOrOutOfOrderMovementsAndOverdraftsAreRefused() {
      String good = json(batch(1, List.of(new Fill(bid1, solar, 6_000, 120_000, 0, 0)), List.of()));
      l.rejected("INVALID", "settlement:Settle", "{\"batchId\":1}");
      l.rejected(
          "INVALID", "settlement:Settle", good.replace("\"quantity\":6000", "\"quantity\":-6000"));
      // the same order twice
      Map<String, Object> twice = Json.parseObject(good);
      List<Object> moves = new ArrayList<>((List<?>) twice.get("orders"));
      moves.add(moves.get(0));
      twice.put("orders", moves);
      l.rejected("INVALID", "settlement:Settle", Json.write(twice));
      // a fee beyond what the buy order still holds in escrow (2,000,000 locked, 720,000 spent)
      Map<String, Object> fee = Json.parseObject(good);
      for (Object m : (List<?>) fee.get("orders")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> move = (Map<String, Object>) m;
        if (move.get("orderId").equals(id(bid1))) {
          move.put("feeMicros", 1_280_001L);
        }
      }
      l.rejected("OVERDRAFT", "settlement:Settle", Json.write(fee));
      l.ok("settlement:Settle", good);
    }

    /** {@code b} with bid1's terms signed by another key than the accepted signature's. */
    SettlementBatch withBid1SignedByAStranger(SettlementBatch b) {
      SignedOrder forged =
          new SignedOrder(bid1.order(), STRANGER.sign(Eip712.orderDigest(DOMAIN, bid1.order())));
      return new SettlementBatch(
          b.batchId(),
          b.round(),
          b.slot(),
          b.merkleRoot(),
          b.inputsHash(),
          b.outputsHash(),
          b.trades(),
          List.of(forged, solar),
          List.of());
    }

    @Test
    void aBatchCarryingAnotherSignatureThanTheAcceptedOneIsRefused() {
      SettlementBatch b = batch(1, List.of(new Fill(bid1, solar, 100, 150_000, 0, 0)), List.of());
      l.rejected("SIGNATURE", "settlement:Settle", json(withBid1SignedByAStranger(b)));
      l.ok("settlement:Settle", json(b));
    }

    @Test
    void anOrderRecordKeepsNeitherItsIdNorWhatFollowsFromTheRest() {
      // Every settlement that moves an order writes a new version of its record: the id is the
      // key, the escrow left follows from the amounts, the accepting transaction is in the history.
      String stored = new String(l.store.get(StateKeys.order(id(bid1))), UTF_8);
      assertThat(stored)
          .doesNotContain(id(bid1))
          .doesNotContain("escrowMicros")
          .doesNotContain("acceptedTxId");
      Fields view = l.query("escrow:GetOrder", id(bid1));
      assertThat(view.string("orderId")).isEqualTo(id(bid1));
      assertThat(view.longValue("escrowMicros"))
          .isEqualTo(view.longValue("lockedMicros") - view.longValue("spentMicros"));
    }

    @Test
    void anOrderRecordedWithItsWholeSignatureSettlesByThatSignaturesHash() {
      // Ledgers written before order records kept the signature's hash hold the signature.
      String key = StateKeys.order(id(bid1));
      Map<String, Object> record =
          new LinkedHashMap<>(l.query("escrow:GetOrder", id(bid1)).rawMap());
      assertThat(record.remove("signatureHash"))
          .isEqualTo(NetSettlement.OrderMove.signatureHash(bid1.signature()));
      record.put("signature", bid1.signature().toHex());
      l.store.commit(
          "legacy", TestLedger.EPOCH, List.of(Write.put(key, Json.write(record).getBytes(UTF_8))));
      SettlementBatch b = batch(1, List.of(new Fill(bid1, solar, 100, 150_000, 0, 0)), List.of());
      l.rejected("SIGNATURE", "settlement:Settle", json(withBid1SignedByAStranger(b)));
      l.ok("settlement:Settle", json(b));
      assertThat(l.query("escrow:GetOrder", id(bid1)).string("signatureHash"))
          .isEqualTo(NetSettlement.OrderMove.signatureHash(bid1.signature()));
    }

    @Test
    void aSettlementRewritesAnOrdersFillsNotItsTerms() {
      byte[] terms = l.store.get(StateKeys.order(id(bid1)));
      assertThat(l.store.get(StateKeys.orderFill(id(bid1)))).isNull();

      l.ok(
          "settlement:Settle",
          json(batch(1, List.of(new Fill(bid1, solar, 100, 150_000, 0, 0)), List.of())));

      assertThat(l.store.get(StateKeys.order(id(bid1)))).isEqualTo(terms);
      String fills = new String(l.store.get(StateKeys.orderFill(id(bid1))), UTF_8);
      assertThat(fills).doesNotContain("order\"").doesNotContain("signatureHash");
      Fields view = l.query("escrow:GetOrder", id(bid1));
      assertThat(view.longValue("filledQuantity")).isEqualTo(100);
      assertThat(view.longValue("spentMicros")).isEqualTo(15_000);
      assertThat(view.longValue("escrowMicros")).isEqualTo(view.longValue("lockedMicros") - 15_000);
    }

    @Test
    void anOrderRecordedWithItsFillsInsideSettlesFromThoseFills() {
      // Ledgers written before fills had their own records kept them in the order's record.
      l.ok(
          "settlement:Settle",
          json(batch(1, List.of(new Fill(bid1, solar, 100, 150_000, 0, 0)), List.of())));
      String key = StateKeys.order(id(bid1));
      Map<String, Object> legacy =
          new LinkedHashMap<>(l.query("escrow:GetOrder", id(bid1)).rawMap());
      legacy.remove("orderId");
      legacy.remove("escrowMicros");
      l.store.commit(
          "legacy",
          TestLedger.EPOCH,
          List.of(
              Write.put(key, Json.write(legacy).getBytes(UTF_8)),
              Write.delete(StateKeys.orderFill(id(bid1)))));
      Fields before = l.query("escrow:GetOrder", id(bid1));
      assertThat(before.longValue("filledQuantity")).isEqualTo(100);

      l.ok(
          "settlement:Settle",
          json(batch(2, List.of(new Fill(bid1, solar, 50, 150_000, 0, 0)), List.of())));

      Fields after = l.query("escrow:GetOrder", id(bid1));
      assertThat(after.longValue("filledQuantity")).isEqualTo(150);
      assertThat(after.longValue("spentMicros")).isEqualTo(before.longValue("spentMicros") + 7_500);
    }

    @Test
    void movedOrdersMustHaveBeenAcceptedOnTheLedger() {
      SignedOrder never = bid(PROVIDER, 100, 150_000, 9);
      l.rejected(
          "UNKNOWN_ORDER",
          "settlement:Settle",
          json(batch(1, List.of(new Fill(never, solar, 100, 150_000, 0, 0)), List.of())));
    }

    @Test
    void closingTwiceIsANoOpAndAClosedOrderCannotFill() {
      l.ok("settlement:Settle", json(batch(1, List.of(), List.of(id(bid1)))));
      assertThat(l.balance(PROVIDER.address()).longValue("escrowMicros")).isZero();
      l.ok("settlement:Settle", json(batch(2, List.of(), List.of(id(bid1), id(bid1)))));
      assertThat(l.balance(PROVIDER.address()).longValue("availableMicros")).isEqualTo(10_000_000);
      l.rejected(
          "INVALID",
          "settlement:Settle",
          json(batch(3, List.of(new Fill(bid1, solar, 100, 150_000, 0, 0)), List.of())));
      l.rejected(
          "INVALID", "settlement:Settle", unchecked(batch(3, List.of(), List.of(id(solar)))));
      l.rejected(
          "UNKNOWN_ORDER",
          "settlement:Settle",
          unchecked(batch(3, List.of(), List.of("0x" + "ab".repeat(32)))));
    }

    @Test
    void onlyTheOperatorSettlesAndQueriesNeedAReader() {
      String b = json(batch(1, List.of(), List.of()));
      l.rejected("ROLE", AUDITOR, "settlement:Settle", b);
      l.rejected("ROLE", NOBODY, "settlement:Settle", b);
      assertThat(l.queryAs(AUDITOR, "settlement:GetBatch", "0x" + "ab".repeat(32)).reasonCode())
          .isEqualTo("NOT_FOUND");
      assertThat(l.queryAs(NOBODY, "settlement:GetBatch", "0x" + "ab".repeat(32)).reasonCode())
          .isEqualTo("ROLE");
    }
  }

  SettlementBatch settled;

  /** Orders plus one settled batch: 6 kWh solar to PROVIDER (all green), 5 kWh to PROVIDER2. */
  void settledBatch() {
    orders();
    settled =
        batch(
            1,
            List.of(
                new Fill(bid1, solar, 6_000, 120_000, 6_000, 3_000_000),
                new Fill(bid2, solar, 5_000, 120_000, 2_000, 1_000_000)),
            List.of());
    l.ok("settlement:Settle", json(settled));
  }

  String report(int index, long delivered) {
    return l.ok(
            "certificates:ReportDelivery",
            settled.batchId(),
            RecordCodec.toJson(settled.trades().get(index)),
            proofJson(settled, index),
            Long.toString(delivered))
        .toString();
  }

  @Nested
  class ReportDelivery {
    @BeforeEach
    void setUp() {
      settledBatch();
    }

    @Test
    void updatesReputationCertifiesGreenWhAndCountsCarbon() {
      Trade t0 = settled.trades().get(0);
      TxResult r =
          l.submit(
              "certificates:ReportDelivery",
              settled.batchId(),
              RecordCodec.toJson(t0),
              proofJson(settled, 0),
              "6000");
      assertThat(TestLedger.parse(r))
          .containsEntry("certifiedWh", 6000L)
          .containsEntry("alreadyReported", false);
      assertThat(r.event())
          .hasValueSatisfying(e -> assertThat(e.name()).isEqualTo("CertificatesIssued"));
      // short delivery: 3 of 5 kWh, 2 kWh green in the trade -> 2 kWh certified, 3/5 of the carbon
      Trade t1 = settled.trades().get(1);
      Fields f =
          l.ok(
              "certificates:ReportDelivery",
              settled.batchId(),
              RecordCodec.toJson(t1),
              proofJson(settled, 1),
              "3000");
      assertThat(f.longValue("certifiedWh")).isEqualTo(2000);

      Fields rep = l.query("certificates:Reputation", MICROGRID.address());
      assertThat(rep.longValue("committed")).isEqualTo(11_000);
      assertThat(rep.longValue("delivered")).isEqualTo(9_000);
      assertThat(rep.longValue("successes")).isEqualTo(1);
      assertThat(rep.longValue("failures")).isEqualTo(1);
      assertThat(l.query("certificates:Balance", PROVIDER.address(), "100").longValue("heldWh"))
          .isEqualTo(6000);
      assertThat(l.query("certificates:Balance", PROVIDER2.address(), "100").longValue("heldWh"))
          .isEqualTo(2000);
      Fields carbon = l.query("certificates:Carbon", PROVIDER2.address(), "0", "200");
      assertThat(carbon.longValue("carbonMg")).isEqualTo(600_000);
      assertThat(carbon.longValue("energyWh")).isEqualTo(3000);
      assertThat(
              l.query("certificates:Carbon", PROVIDER2.address(), "101", "200")
                  .longValue("carbonMg"))
          .isZero();
      assertThat(l.queryAs(AUDITOR, "certificates:Carbon", PROVIDER.address(), "100", "100").ok())
          .isTrue();
    }

    @Test
    void aSecondReportReturnsTheFirstReceipt() {
      report(0, 5000);
      Trade t0 = settled.trades().get(0);
      TxResult again =
          l.submit(
              "certificates:ReportDelivery",
              settled.batchId(),
              RecordCodec.toJson(t0),
              proofJson(settled, 0),
              "6000");
      assertThat(again.ok()).isTrue();
      assertThat(again.writeSet()).isEmpty();
      assertThat(TestLedger.parse(again))
          .containsEntry("alreadyReported", true)
          .containsEntry("deliveredQuantity", 5000L);
    }

    @Test
    void aBadProofIsRejected() {
      Trade t0 = settled.trades().get(0);
      l.rejected(
          "BAD_PROOF",
          "certificates:ReportDelivery",
          settled.batchId(),
          RecordCodec.toJson(t0),
          proofJson(settled, 1),
          "6000");
      Trade inflated =
          new Trade(
              t0.tradeId(),
              t0.round(),
              t0.slot(),
              t0.market(),
              t0.buyOrderId(),
              t0.sellOrderId(),
              t0.buyer(),
              t0.seller(),
              t0.quantity(),
              t0.priceMicros(),
              t0.amountMicros(),
              t0.greenWh() + 1,
              t0.carbonMg());
      l.rejected(
          "BAD_PROOF",
          "certificates:ReportDelivery",
          settled.batchId(),
          RecordCodec.toJson(inflated),
          proofJson(settled, 0),
          "6000");
      l.rejected(
          "INVALID",
          "certificates:ReportDelivery",
          settled.batchId(),
          RecordCodec.toJson(t0),
          "[\"0x12\"]",
          "1");
    }

    @Test
    void anInnerNodeNeverPassesAsATrade() {
      // In this two-trade batch the root is the parent of both leaves; with an empty proof it is
      // what a second-preimage forger presents. Leaves are hashed twice, so no trade reaches it.
      byte[] root = Hex.decode(settled.merkleRoot(), 32);
      Trade t0 = settled.trades().get(0);
      Trade t1 = settled.trades().get(1);
      assertThat(MerkleTree.hashPair(t0.leaf(), t1.leaf())).isEqualTo(root);
      for (Trade t : settled.trades()) {
        l.rejected(
            "BAD_PROOF",
            "certificates:ReportDelivery",
            settled.batchId(),
            RecordCodec.toJson(t),
            "[]",
            "1");
        assertThat(t.leaf()).isNotEqualTo(root);
      }
      boolean inOrder = Arrays.compareUnsigned(t0.leaf(), t1.leaf()) <= 0;
      byte[] a = inOrder ? t0.leaf() : t1.leaf();
      byte[] b = inOrder ? t1.leaf() : t0.leaf();
      byte[] pair = new byte[64];
      System.arraycopy(a, 0, pair, 0, 32);
      System.arraycopy(b, 0, pair, 32, 32);
      assertThat(MerkleTree.leafHash(pair)).isNotEqualTo(root);
    }

    @Test
    void deliveredMustBeWithinTheTradeAndTheBatchMustExist() {
      Trade t0 = settled.trades().get(0);
      l.rejected(
          "INVALID",
          "certificates:ReportDelivery",
          settled.batchId(),
          RecordCodec.toJson(t0),
          proofJson(settled, 0),
          "6001");
      l.rejected(
          "INVALID",
          "certificates:ReportDelivery",
          settled.batchId(),
          RecordCodec.toJson(t0),
          proofJson(settled, 0),
          "-1");
      l.rejected(
          "NOT_FOUND",
          "certificates:ReportDelivery",
          SettlementBatch.batchId(DOMAIN, 9),
          RecordCodec.toJson(t0),
          proofJson(settled, 0),
          "1");
    }

    @Test
    void onlyTheOperatorReports() {
      Trade t0 = settled.trades().get(0);
      l.rejected(
          "ROLE",
          AUDITOR,
          "certificates:ReportDelivery",
          settled.batchId(),
          RecordCodec.toJson(t0),
          proofJson(settled, 0),
          "6000");
      l.rejected(
          "ROLE",
          NOBODY,
          "certificates:ReportDelivery",
          settled.batchId(),
          RecordCodec.toJson(t0),
          proofJson(settled, 0),
          "6000");
      assertThat(l.queryAs(NOBODY, "certificates:Reputation", MICROGRID.address()).reasonCode())
          .isEqualTo("ROLE");
    }
  }

  static String sig(Signature s) {
    return s.toHex();
  }

  static String transferSig(
      Secp256k1.KeyPair signer, String from, String to, long slot, long amount, long nonce) {
    return sig(
        signer.sign(Eip712.certificateTransferDigest(DOMAIN, from, to, slot, amount, nonce)));
  }

  static String retireSig(
      Secp256k1.KeyPair signer, String holder, long slot, long amount, long nonce) {
    return sig(signer.sign(Eip712.certificateRetireDigest(DOMAIN, holder, slot, amount, nonce)));
  }

  @Nested
  class Transfer {
    String from;
    String to;

    @BeforeEach
    void setUp() {
      settledBatch();
      report(0, 6000); // PROVIDER holds 6000 Wh of slot 100
      from = PROVIDER.address();
      to = USER.address();
    }

    TxResult transfer(long amount, long nonce, String signature) {
      return l.submit(
          "certificates:Transfer",
          from,
          to,
          "100",
          Long.toString(amount),
          Long.toString(nonce),
          signature);
    }

    @Test
    void movesCertificatesOnTheHoldersSignature() {
      TxResult r = transfer(2500, 1, transferSig(PROVIDER, from, to, 100, 2500, 1));
      assertThat(r.ok()).as("%s", r).isTrue();
      assertThat(r.event())
          .hasValueSatisfying(e -> assertThat(e.name()).isEqualTo("CertificatesTransferred"));
      assertThat(l.query("certificates:Balance", from, "100").longValue("heldWh")).isEqualTo(3500);
      assertThat(l.query("certificates:Balance", to, "100").longValue("heldWh")).isEqualTo(2500);
      TxResult again = transfer(2500, 1, transferSig(PROVIDER, from, to, 100, 2500, 1));
      assertThat(again.ok()).isTrue();
      assertThat(again.writeSet()).isEmpty();
      assertThat(TestLedger.parse(again)).containsEntry("alreadyApplied", true);
    }

    @Test
    void rejectsReusedNoncesForeignSignaturesOverdraftsAndUnknownReceivers() {
      l.ok(
          "certificates:Transfer",
          from,
          to,
          "100",
          "100",
          "1",
          transferSig(PROVIDER, from, to, 100, 100, 1));
      l.rejected(
          "NONCE",
          "certificates:Transfer",
          from,
          to,
          "100",
          "200",
          "1",
          transferSig(PROVIDER, from, to, 100, 200, 1));
      l.rejected(
          "SIGNATURE",
          "certificates:Transfer",
          from,
          to,
          "100",
          "200",
          "2",
          transferSig(USER, from, to, 100, 200, 2));
      l.rejected("SIGNATURE", "certificates:Transfer", from, to, "100", "200", "2", "0x1234");
      l.rejected(
          "OVERDRAFT",
          "certificates:Transfer",
          from,
          to,
          "100",
          "5901",
          "2",
          transferSig(PROVIDER, from, to, 100, 5901, 2));
      String stranger = STRANGER.address();
      l.rejected(
          "UNKNOWN_PARTICIPANT",
          "certificates:Transfer",
          from,
          stranger,
          "100",
          "1",
          "2",
          transferSig(PROVIDER, from, stranger, 100, 1, 2));
      l.rejected(
          "ROLE",
          AUDITOR,
          "certificates:Transfer",
          from,
          to,
          "100",
          "1",
          "2",
          transferSig(PROVIDER, from, to, 100, 1, 2));
      l.rejected(
          "ROLE",
          NOBODY,
          "certificates:Transfer",
          from,
          to,
          "100",
          "1",
          "2",
          transferSig(PROVIDER, from, to, 100, 1, 2));
    }
  }

  @Nested
  class Retire {
    String holder;

    @BeforeEach
    void setUp() {
      settledBatch();
      report(0, 6000);
      holder = PROVIDER.address();
    }

    @Test
    void retiresOnceAndNeverTwice() {
      TxResult r =
          l.submit(
              "certificates:Retire",
              holder,
              "100",
              "4000",
              "1",
              retireSig(PROVIDER, holder, 100, 4000, 1));
      assertThat(r.ok()).as("%s", r).isTrue();
      assertThat(r.event())
          .hasValueSatisfying(e -> assertThat(e.name()).isEqualTo("CertificatesRetired"));
      Fields b = l.query("certificates:Balance", holder, "100");
      assertThat(b.longValue("heldWh")).isEqualTo(2000);
      assertThat(b.longValue("retiredWh")).isEqualTo(4000);
      // the same instruction again is a no-op; a new one for more than is left is a double claim
      TxResult again =
          l.submit(
              "certificates:Retire",
              holder,
              "100",
              "4000",
              "1",
              retireSig(PROVIDER, holder, 100, 4000, 1));
      assertThat(again.ok()).isTrue();
      assertThat(again.writeSet()).isEmpty();
      l.rejected(
          "DOUBLE_CLAIM",
          "certificates:Retire",
          holder,
          "100",
          "4000",
          "2",
          retireSig(PROVIDER, holder, 100, 4000, 2));
      l.ok(
          "certificates:Retire",
          holder,
          "100",
          "2000",
          "2",
          retireSig(PROVIDER, holder, 100, 2000, 2));
      l.rejected(
          "DOUBLE_CLAIM",
          "certificates:Retire",
          holder,
          "100",
          "1",
          "3",
          retireSig(PROVIDER, holder, 100, 1, 3));
    }

    @Test
    void transferredCertificatesCannotBeRetiredByTheSender() {
      String to = USER.address();
      l.ok(
          "certificates:Transfer",
          holder,
          to,
          "100",
          "6000",
          "1",
          transferSig(PROVIDER, holder, to, 100, 6000, 1));
      l.rejected(
          "DOUBLE_CLAIM",
          "certificates:Retire",
          holder,
          "100",
          "1",
          "2",
          retireSig(PROVIDER, holder, 100, 1, 2));
      l.ok("certificates:Retire", to, "100", "6000", "1", retireSig(USER, to, 100, 6000, 1));
    }

    @Test
    void rejectsForeignSignaturesReusedNoncesAndNonOperators() {
      l.rejected(
          "SIGNATURE",
          "certificates:Retire",
          holder,
          "100",
          "1",
          "1",
          retireSig(USER, holder, 100, 1, 1));
      l.ok("certificates:Retire", holder, "100", "1", "1", retireSig(PROVIDER, holder, 100, 1, 1));
      l.rejected(
          "NONCE",
          "certificates:Retire",
          holder,
          "100",
          "2",
          "1",
          retireSig(PROVIDER, holder, 100, 2, 1));
      l.rejected(
          "ROLE",
          AUDITOR,
          "certificates:Retire",
          holder,
          "100",
          "1",
          "5",
          retireSig(PROVIDER, holder, 100, 1, 5));
      l.rejected(
          "ROLE",
          NOBODY,
          "certificates:Retire",
          holder,
          "100",
          "1",
          "5",
          retireSig(PROVIDER, holder, 100, 1, 5));
      l.rejected(
          "UNKNOWN_PARTICIPANT",
          "certificates:Retire",
          STRANGER.address(),
          "100",
          "1",
          "5",
          retireSig(STRANGER, STRANGER.address(), 100, 1, 5));
    }
  }

  @Nested
  class Audit {
    @Test
    void historyListsEveryChangeNewestFirst() {
      market();
      l.deposit("d1", PROVIDER.address(), 100);
      TxResult second = l.submit("escrow:Deposit", "d2", PROVIDER.address(), "50");
      TxResult r = l.queryAs(AUDITOR, "audit:History", StateKeys.account(PROVIDER.address()));
      assertThat(r.ok()).isTrue();
      List<?> entries = (List<?>) Json.parse(r.payloadString());
      assertThat(entries).hasSize(2);
      Fields newest = Fields.of(entries.get(0), "h");
      assertThat(newest.string("txId")).isEqualTo(second.txId());
      assertThat(newest.bool("isDelete")).isFalse();
      assertThat(Json.parseObject(newest.string("value"))).containsEntry("availableMicros", 150L);
      assertThat(newest.longValue("timestamp"))
          .isEqualTo(TestLedger.EPOCH.plusSeconds(7).toEpochMilli());
      assertThat(
              (List<?>)
                  Json.parse(l.queryAs(AUDITOR, "audit:History", "nothing/here").payloadString()))
          .isEmpty();
    }

    @Test
    void auditorsReadButDoNotWrite() {
      assertThat(l.queryAs(AUDITOR, "audit:Keys").ok()).isTrue();
      assertThat(l.queryAs(NOBODY, "audit:History", "config/domain").reasonCode())
          .isEqualTo("ROLE");
      assertThat(l.queryAs(NOBODY, "audit:Keys").reasonCode()).isEqualTo("ROLE");
    }

    @Test
    void unknownFunctionsFailWithoutAReasonCode() {
      TxResult r = l.submit("escrow:Steal", "x");
      assertThat(r.ok()).isFalse();
      assertThat(r.writeSet()).isEmpty();
    }
  }
}
