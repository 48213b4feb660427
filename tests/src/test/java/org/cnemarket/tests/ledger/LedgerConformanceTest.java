package org.cnemarket.tests.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.crypto.Signature;
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
import org.cnemarket.engine.ledger.Balance;
import org.cnemarket.engine.ledger.BatchRecord;
import org.cnemarket.engine.ledger.CertificateBalance;
import org.cnemarket.engine.ledger.DeliveryReceipt;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.LedgerEvent;
import org.cnemarket.engine.ledger.LedgerReason;
import org.cnemarket.engine.ledger.LedgerRejectedException;
import org.cnemarket.engine.ledger.Reputation;
import org.cnemarket.engine.ledger.SettlementReceipt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The behaviour every ledger adapter (embedded, Fabric, EVM) must show, written against the {@link
 * Ledger} port only. A backend runs it by subclassing with {@link #newLedger()} and {@link
 * #domain(Ledger)}.
 *
 * <p>Reason codes asserted here are the port's: a self-registration as OPERATOR or a conflicting
 * re-registration is ROLE; an order of a kind its trader's role may not place is ROLE; an
 * unregistered trader or deposit account is UNKNOWN_PARTICIPANT; a reused order nonce is NONCE;
 * retiring more than held is DOUBLE_CLAIM; a batch whose root is not its trades' root is
 * ROOT_MISMATCH; a batch with an order not signed by its trader is SIGNATURE.
 *
 * <p>A backend may run every test on one shared ledger (the Fabric suite runs on one channel): each
 * test uses fresh keys, deposit ids unique to the test, its own round, and reads events from {@link
 * #cursorNow()}, so no test sees another's state.
 */
public abstract class LedgerConformanceTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  protected static final long SLOT = 490_000;

  protected Ledger ledger;
  protected Eip712.Domain domain;
  private String testTag;

  /** A fresh, empty ledger (its own market / channel / database). */
  protected abstract Ledger newLedger() throws Exception;

  /** The EIP-712 domain participants of {@code ledger} sign under. */
  protected abstract Eip712.Domain domain(Ledger ledger);

  /**
   * A cursor after every event already on the ledger, so a test reads only its own events. A fresh
   * ledger per test starts before the first event (-1).
   */
  protected long cursorNow() throws Exception {
    return -1;
  }

  @BeforeEach
  void openLedger() throws Exception {
    ledger = newLedger();
    domain = domain(ledger);
    testTag = Long.toHexString(RANDOM.nextLong());
  }

  @AfterEach
  void closeLedger() throws Exception {
    if (ledger != null) {
      ledger.close();
    }
  }

  // ------------------------------------------------------------------ registry

  @Test
  void registersAParticipantFromItsOwnSignatureAndReRegisteringIsANoOp() throws Exception {
    Secp256k1.KeyPair key = newKey();
    Registration r = Registration.sign(domain, key, Role.PROVIDER, "dc-east", 1);
    ledger.register(r);
    ledger.register(r);
    assertThat(ledger.participant(key.address()))
        .hasValueSatisfying(
            p -> {
              assertThat(p.role()).isEqualTo(Role.PROVIDER);
              assertThat(p.name()).isEqualTo("dc-east");
              assertThat(p.address()).isEqualTo(key.address());
            });
    assertThat(ledger.participant(newKey().address())).isEmpty();
  }

  @Test
  void rejectsARegistrationNotSignedByTheAccount() throws Exception {
    Secp256k1.KeyPair account = newKey();
    Secp256k1.KeyPair other = newKey();
    Signature forged =
        other.sign(Eip712.registrationDigest(domain, account.address(), Role.USER, "mallory", 1));
    Registration r = new Registration(account.address(), Role.USER, "mallory", 1, forged);
    assertRejected(LedgerReason.SIGNATURE, () -> ledger.register(r));
    assertThat(ledger.participant(account.address())).isEmpty();
  }

  @Test
  void rejectsSelfRegistrationAsOperatorAndAChangeOfRole() throws Exception {
    Secp256k1.KeyPair key = newKey();
    assertRejected(
        LedgerReason.ROLE,
        () -> ledger.register(Registration.sign(domain, key, Role.OPERATOR, "op", 1)));
    ledger.register(Registration.sign(domain, key, Role.USER, "u", 1));
    assertRejected(
        LedgerReason.ROLE,
        () -> ledger.register(Registration.sign(domain, key, Role.MICROGRID, "u", 2)));
    assertThat(ledger.participant(key.address()))
        .hasValueSatisfying(p -> assertThat(p.role()).isEqualTo(Role.USER));
  }

  // ------------------------------------------------------------------ credits and escrow

  @Test
  void depositCreditsTheAccountOncePerDepositId() throws Exception {
    Secp256k1.KeyPair p = registered(Role.PROVIDER);
    ledger.deposit(id("dep-1"), p.address(), 500_000);
    ledger.deposit(id("dep-1"), p.address(), 500_000);
    ledger.deposit(id("dep-2"), p.address(), 1_000);
    assertThat(ledger.balance(p.address())).isEqualTo(new Balance(p.address(), 501_000, 0));
  }

  @Test
  void depositToAnUnregisteredAccountIsRejected() throws Exception {
    String stranger = newKey().address();
    assertRejected(
        LedgerReason.UNKNOWN_PARTICIPANT, () -> ledger.deposit(id("dep-x"), stranger, 10));
  }

  @Test
  void acceptingABuyOrderLocksItsMaxCostInEscrowOnce() throws Exception {
    Secp256k1.KeyPair p = registered(Role.PROVIDER);
    ledger.deposit(id("d"), p.address(), 1_000_000);
    SignedOrder bid = sign(p, OrderKind.ENERGY_BID, 2_001, 100_001, EnergySource.NONE, 1);
    ledger.acceptOrder(bid);
    ledger.acceptOrder(bid);
    long locked = Units.maxCostMicros(2_001, 100_001);
    assertThat(ledger.balance(p.address()))
        .isEqualTo(new Balance(p.address(), 1_000_000 - locked, locked));
  }

  @Test
  void aSellOrderIsAcceptedWithoutEscrow() throws Exception {
    Secp256k1.KeyPair m = registered(Role.MICROGRID);
    ledger.acceptOrder(sign(m, OrderKind.ENERGY_OFFER, 1_000, 50_000, EnergySource.WIND, 1));
    assertThat(ledger.balance(m.address())).isEqualTo(new Balance(m.address(), 0, 0));
  }

  @Test
  void aBuyOrderBeyondTheAvailableCreditsIsRejected() throws Exception {
    Secp256k1.KeyPair p = registered(Role.PROVIDER);
    ledger.deposit(id("d"), p.address(), 1_000);
    assertRejected(
        LedgerReason.OVERDRAFT,
        () ->
            ledger.acceptOrder(
                sign(p, OrderKind.ENERGY_BID, 2_000, 100_000, EnergySource.NONE, 1)));
    assertThat(ledger.balance(p.address())).isEqualTo(new Balance(p.address(), 1_000, 0));
  }

  @Test
  void anOrderWithAnAlteredFieldFailsTheSignatureCheck() throws Exception {
    Secp256k1.KeyPair p = registered(Role.PROVIDER);
    ledger.deposit(id("d"), p.address(), 1_000_000);
    SignedOrder good = sign(p, OrderKind.ENERGY_BID, 1_000, 100_000, EnergySource.NONE, 1);
    Order o = good.order();
    Order altered =
        new Order(
            o.kind(),
            o.trader(),
            o.slot(),
            o.zone(),
            o.quantity() + 1,
            o.priceMicros(),
            o.source(),
            o.greenBps(),
            o.carbonMgPerKwh(),
            o.latencyMs(),
            o.nonce(),
            o.expiry());
    assertRejected(
        LedgerReason.SIGNATURE,
        () -> ledger.acceptOrder(new SignedOrder(altered, good.signature())));
    assertThat(ledger.balance(p.address()).escrowMicros()).isZero();
  }

  @Test
  void anOrderOfAKindTheTradersRoleMayNotPlaceIsRejected() throws Exception {
    Secp256k1.KeyPair provider = registered(Role.PROVIDER);
    Secp256k1.KeyPair auditor = registered(Role.AUDITOR);
    ledger.deposit(id("d"), auditor.address(), 1_000_000);
    assertRejected(
        LedgerReason.ROLE,
        () ->
            ledger.acceptOrder(
                sign(provider, OrderKind.ENERGY_OFFER, 1_000, 1_000, EnergySource.SOLAR, 1)));
    assertRejected(
        LedgerReason.ROLE,
        () ->
            ledger.acceptOrder(
                sign(auditor, OrderKind.COMPUTE_DEMAND, 1_000, 1_000, EnergySource.NONE, 1)));
    Secp256k1.KeyPair stranger = newKey();
    assertRejected(
        LedgerReason.UNKNOWN_PARTICIPANT,
        () ->
            ledger.acceptOrder(
                sign(stranger, OrderKind.COMPUTE_OFFER, 1_000, 1_000, EnergySource.NONE, 1)));
  }

  @Test
  void aReusedNonceWithADifferentOrderIsRejected() throws Exception {
    Secp256k1.KeyPair m = registered(Role.MICROGRID);
    ledger.acceptOrder(sign(m, OrderKind.ENERGY_OFFER, 1_000, 50_000, EnergySource.SOLAR, 7));
    assertRejected(
        LedgerReason.NONCE,
        () ->
            ledger.acceptOrder(
                sign(m, OrderKind.ENERGY_OFFER, 2_000, 50_000, EnergySource.SOLAR, 7)));
  }

  // ------------------------------------------------------------------ settlement

  @Test
  void aPlatformFeeLeavesTheBuyersEscrowForThePlatformAccount() throws Exception {
    Market mk = market();
    SettlementBatch b = mk.batch();
    long fee = 15_000; // the spread a McAfee round keeps: 1,500 Wh × (100,000 − 90,000) / 1000
    long platformBefore = ledger.balance(Units.PLATFORM_ACCOUNT).availableMicros();
    SettlementBatch withFee =
        new SettlementBatch(
            b.batchId(),
            b.round(),
            b.slot(),
            b.merkleRoot(),
            b.inputsHash(),
            b.outputsHash(),
            b.trades(),
            b.orders(),
            b.closedOrderIds(),
            List.of(new SettlementBatch.Fee(mk.buy().id(domain), mk.buyer().address(), fee)));
    ledger.settle(withFee);
    Balance buyer = ledger.balance(mk.buyer().address());
    assertThat(buyer.escrowMicros()).isZero();
    assertThat(buyer.availableMicros()).isEqualTo(1_000_000 - mk.trade().amountMicros() - fee);
    assertThat(ledger.balance(mk.seller().address()).availableMicros())
        .isEqualTo(mk.trade().amountMicros());
    assertThat(ledger.balance(Units.PLATFORM_ACCOUNT).availableMicros())
        .isEqualTo(platformBefore + fee);
  }

  @Test
  void settlementPaysSellersRefundsClosedOrdersAndConservesCredits() throws Exception {
    Market mk = market();
    SettlementReceipt r = ledger.settle(mk.batch);
    assertThat(r.alreadySettled()).isFalse();
    assertThat(r.batchId()).isEqualTo(mk.batch.batchId());
    long paid = mk.trade.amountMicros();
    assertThat(ledger.balance(mk.seller.address()))
        .isEqualTo(new Balance(mk.seller.address(), paid, 0));
    assertThat(ledger.balance(mk.buyer.address()))
        .isEqualTo(new Balance(mk.buyer.address(), 1_000_000 - paid, 0));
    long total =
        ledger.balance(mk.buyer.address()).totalMicros()
            + ledger.balance(mk.seller.address()).totalMicros();
    assertThat(total).isEqualTo(1_000_000);
  }

  @Test
  void settlingTheSameBatchAgainReturnsTheFirstReceiptAndChangesNothing() throws Exception {
    Market mk = market();
    SettlementReceipt first = ledger.settle(mk.batch);
    Balance before = ledger.balance(mk.seller.address());
    SettlementReceipt again = ledger.settle(mk.batch);
    assertThat(again.alreadySettled()).isTrue();
    assertThat(again.txId()).isEqualTo(first.txId());
    assertThat(again.blockNumber()).isEqualTo(first.blockNumber());
    assertThat(ledger.balance(mk.seller.address())).isEqualTo(before);
  }

  @Test
  void aDifferentBatchUnderAUsedIdIsRejected() throws Exception {
    Market mk = market();
    ledger.settle(mk.batch);
    SettlementBatch other =
        new SettlementBatch(
            mk.batch.batchId(),
            mk.batch.round(),
            mk.batch.slot(),
            mk.batch.merkleRoot(),
            hash("other inputs"),
            mk.batch.outputsHash(),
            mk.batch.trades(),
            mk.batch.orders(),
            mk.batch.closedOrderIds());
    assertRejected(LedgerReason.BATCH_CONFLICT, () -> ledger.settle(other));
  }

  @Test
  void aBatchWhoseRootIsNotItsTradesRootIsRejected() throws Exception {
    Market mk = market();
    SettlementBatch bad =
        new SettlementBatch(
            mk.batch.batchId(),
            mk.batch.round(),
            mk.batch.slot(),
            hash("not the root"),
            mk.batch.inputsHash(),
            mk.batch.outputsHash(),
            mk.batch.trades(),
            mk.batch.orders(),
            mk.batch.closedOrderIds());
    assertRejected(LedgerReason.ROOT_MISMATCH, () -> ledger.settle(bad));
    assertThat(ledger.batch(mk.batch.batchId())).isEmpty();
    assertThat(ledger.balance(mk.seller.address()).availableMicros()).isZero();
  }

  @Test
  void aBatchCarryingAnOrderNotSignedByItsTraderIsRejected() throws Exception {
    Market mk = market();
    Secp256k1.KeyPair mallory = newKey();
    SignedOrder forgedSell =
        new SignedOrder(mk.sell.order(), mallory.sign(Eip712.orderDigest(domain, mk.sell.order())));
    SettlementBatch bad =
        new SettlementBatch(
            mk.batch.batchId(),
            mk.batch.round(),
            mk.batch.slot(),
            mk.batch.merkleRoot(),
            mk.batch.inputsHash(),
            mk.batch.outputsHash(),
            mk.batch.trades(),
            List.of(mk.buy, forgedSell),
            mk.batch.closedOrderIds());
    assertRejected(LedgerReason.SIGNATURE, () -> ledger.settle(bad));
    assertThat(ledger.batch(mk.batch.batchId())).isEmpty();
  }

  @Test
  void aBatchFillingAnOrderTheLedgerNeverAcceptedIsRefusedAsAnUnknownOrder() throws Exception {
    Secp256k1.KeyPair p = registered(Role.PROVIDER);
    Secp256k1.KeyPair m = registered(Role.MICROGRID);
    ledger.deposit(id("fund"), p.address(), 1_000_000);
    SignedOrder bid = sign(p, OrderKind.ENERGY_BID, 2_000, 100_000, EnergySource.NONE, 1);
    SignedOrder offer = sign(m, OrderKind.ENERGY_OFFER, 1_500, 80_000, EnergySource.SOLAR, 1);
    ledger.acceptOrder(bid);
    long round = 1 + RANDOM.nextLong(1L << 40);
    Trade t = trade(round, bid, offer, 1_500, 90_000, 0);
    SettlementBatch b = batch(round, List.of(t), List.of(bid, offer), List.of(bid.id(domain)));

    // The same reason on every ledger: the engine repairs this one from its signed copy.
    assertRejected(LedgerReason.UNKNOWN_ORDER, () -> ledger.settle(b));
    assertThat(ledger.batch(b.batchId())).isEmpty();

    ledger.acceptOrder(offer);
    assertThat(ledger.settle(b).alreadySettled()).isFalse();
  }

  @Test
  void aSettledBatchIsReadableAndEveryTradeProofVerifiesAgainstItsStoredRoot() throws Exception {
    Market mk = market();
    SettlementReceipt r = ledger.settle(mk.batch);
    BatchRecord b = ledger.batch(mk.batch.batchId()).orElseThrow();
    assertThat(b.merkleRoot()).isEqualTo(mk.batch.merkleRoot());
    assertThat(b.inputsHash()).isEqualTo(mk.batch.inputsHash());
    assertThat(b.outputsHash()).isEqualTo(mk.batch.outputsHash());
    assertThat(b.round()).isEqualTo(mk.batch.round());
    assertThat(b.slot()).isEqualTo(SLOT);
    assertThat(b.tradeCount()).isEqualTo(1);
    assertThat(b.txId()).isEqualTo(r.txId());
    MerkleTree tree = MerkleTree.of(mk.batch.trades().stream().map(Trade::leaf).toList());
    assertThat(MerkleTree.verify(tree.proof(0), Hex.decode(b.merkleRoot()), mk.trade.leaf()))
        .isTrue();
    assertThat(ledger.batch(hash("no such batch"))).isEmpty();
  }

  // ------------------------------------------------------------------ delivery, reputation,
  // certificates

  @Test
  void aDeliveryReportIssuesGreenCertificatesOnceAndUpdatesTheSellersReputation() throws Exception {
    Market mk = market();
    ledger.settle(mk.batch);
    List<byte[]> proof = proof(mk.batch, 0);
    DeliveryReceipt d =
        ledger.reportDelivery(mk.batch.batchId(), mk.trade, proof, mk.trade.quantity());
    assertThat(d)
        .isEqualTo(
            new DeliveryReceipt(
                mk.trade.tradeId(), mk.trade.quantity(), mk.trade.greenWh(), false));
    DeliveryReceipt again =
        ledger.reportDelivery(mk.batch.batchId(), mk.trade, proof, mk.trade.quantity());
    assertThat(again.alreadyReported()).isTrue();
    assertThat(again.certifiedWh()).isEqualTo(mk.trade.greenWh());
    assertThat(ledger.certificates(mk.buyer.address(), SLOT))
        .isEqualTo(new CertificateBalance(mk.buyer.address(), SLOT, mk.trade.greenWh(), 0));
    assertThat(ledger.reputation(mk.seller.address()))
        .isEqualTo(
            new Reputation(mk.seller.address(), mk.trade.quantity(), mk.trade.quantity(), 1, 0));
  }

  @Test
  void aShortDeliveryCertifiesOnlyTheDeliveredShareAndCountsAFailure() throws Exception {
    Market mk = market();
    ledger.settle(mk.batch);
    long delivered = mk.trade.quantity() / 3;
    DeliveryReceipt d =
        ledger.reportDelivery(mk.batch.batchId(), mk.trade, proof(mk.batch, 0), delivered);
    assertThat(d.certifiedWh()).isEqualTo(mk.trade.greenWh() * delivered / mk.trade.quantity());
    Reputation rep = ledger.reputation(mk.seller.address());
    assertThat(rep.failures()).isEqualTo(1);
    assertThat(rep.delivered()).isEqualTo(delivered);
  }

  @Test
  void aDeliveryReportWithABadProofOrUnknownBatchIsRejected() throws Exception {
    Market mk = market();
    ledger.settle(mk.batch);
    Trade t = mk.trade;
    Trade inflated =
        new Trade(
            t.tradeId(),
            t.round(),
            t.slot(),
            t.market(),
            t.buyOrderId(),
            t.sellOrderId(),
            t.buyer(),
            t.seller(),
            t.quantity(),
            t.priceMicros(),
            t.amountMicros(),
            t.greenWh() + 1,
            t.carbonMg());
    assertRejected(
        LedgerReason.BAD_PROOF,
        () -> ledger.reportDelivery(mk.batch.batchId(), inflated, proof(mk.batch, 0), 1));
    assertRejected(
        LedgerReason.BAD_PROOF,
        () ->
            ledger.reportDelivery(
                mk.batch.batchId(), t, List.of(Keccak.hash("junk")), t.quantity()));
    assertRejected(
        LedgerReason.NOT_FOUND,
        () -> ledger.reportDelivery(hash("unknown"), t, proof(mk.batch, 0), t.quantity()));
    assertThat(ledger.certificates(mk.buyer.address(), SLOT).heldWh()).isZero();
  }

  @Test
  void certificatesMoveAndRetireOnlyOnTheHoldersSignatureAndAreNeverClaimedTwice()
      throws Exception {
    Market mk = market();
    ledger.settle(mk.batch);
    ledger.reportDelivery(mk.batch.batchId(), mk.trade, proof(mk.batch, 0), mk.trade.quantity());
    Secp256k1.KeyPair holder = mk.buyer;
    Secp256k1.KeyPair user = registered(Role.USER);
    long green = mk.trade.greenWh();

    Signature bySomeoneElse =
        user.sign(
            Eip712.certificateTransferDigest(
                domain, holder.address(), user.address(), SLOT, 100, 1));
    assertRejected(
        LedgerReason.SIGNATURE,
        () ->
            ledger.transferCertificates(
                holder.address(), user.address(), SLOT, 100, 1, bySomeoneElse));

    Signature t1 =
        holder.sign(
            Eip712.certificateTransferDigest(
                domain, holder.address(), user.address(), SLOT, 100, 1));
    ledger.transferCertificates(holder.address(), user.address(), SLOT, 100, 1, t1);
    ledger.transferCertificates(
        holder.address(), user.address(), SLOT, 100, 1, t1); // replay: no-op
    assertThat(ledger.certificates(holder.address(), SLOT).heldWh()).isEqualTo(green - 100);
    assertThat(ledger.certificates(user.address(), SLOT).heldWh()).isEqualTo(100);

    Signature r1 = user.sign(Eip712.certificateRetireDigest(domain, user.address(), SLOT, 100, 1));
    ledger.retireCertificates(user.address(), SLOT, 100, 1, r1);
    ledger.retireCertificates(user.address(), SLOT, 100, 1, r1); // replay: no-op
    assertThat(ledger.certificates(user.address(), SLOT))
        .isEqualTo(new CertificateBalance(user.address(), SLOT, 0, 100));

    Signature r2 = user.sign(Eip712.certificateRetireDigest(domain, user.address(), SLOT, 100, 2));
    assertRejected(
        LedgerReason.DOUBLE_CLAIM,
        () -> ledger.retireCertificates(user.address(), SLOT, 100, 2, r2));
    assertThat(ledger.certificates(user.address(), SLOT).retiredWh()).isEqualTo(100);
  }

  // ------------------------------------------------------------------ history

  @Test
  void historyListsTheLedgersEventsInOrderAfterACursor() throws Exception {
    long start = cursorNow();
    Market mk = market();
    ledger.settle(mk.batch);
    ledger.reportDelivery(mk.batch.batchId(), mk.trade, proof(mk.batch, 0), mk.trade.quantity());

    List<LedgerEvent> all = ledger.events(start, 1_000);
    List<String> types = all.stream().map(LedgerEvent::type).toList();
    assertThat(types)
        .contains(
            "PARTICIPANT_REGISTERED",
            "DEPOSITED",
            "ORDER_ACCEPTED",
            "BATCH_SETTLED",
            "DELIVERY_REPORTED",
            "CERTIFICATES_ISSUED");
    assertThat(types.indexOf("BATCH_SETTLED")).isLessThan(types.indexOf("CERTIFICATES_ISSUED"));
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i).cursor()).isGreaterThan(all.get(i - 1).cursor());
    }
    LedgerEvent settled =
        all.stream()
            .filter(e -> e.type().equals("BATCH_SETTLED") && e.key().equals(mk.batch.batchId()))
            .findFirst()
            .orElseThrow();
    assertThat(settled.payloadJson()).contains(mk.batch.merkleRoot());

    List<LedgerEvent> firstTwo = ledger.events(start, 2);
    assertThat(firstTwo).containsExactlyElementsOf(all.subList(0, 2));
    assertThat(ledger.events(firstTwo.get(1).cursor(), 1_000))
        .containsExactlyElementsOf(all.subList(2, all.size()));
    assertThat(ledger.events(all.get(all.size() - 1).cursor(), 1_000)).isEmpty();
  }

  @Test
  void statusNamesTheBackendAndAGrowingHeight() throws Exception {
    long h0 = ledger.status().height();
    registered(Role.USER);
    assertThat(ledger.status().height()).isGreaterThanOrEqualTo(h0);
    assertThat(ledger.status().backend()).isEqualTo(ledger.backend());
  }

  // ------------------------------------------------------------------ fixtures

  /** One cleared energy trade: a provider buys solar Wh from a microgrid; the bid is closed. */
  protected record Market(
      Secp256k1.KeyPair buyer,
      Secp256k1.KeyPair seller,
      SignedOrder buy,
      SignedOrder sell,
      Trade trade,
      SettlementBatch batch) {}

  protected Market market() throws Exception {
    Secp256k1.KeyPair p = registered(Role.PROVIDER);
    Secp256k1.KeyPair m = registered(Role.MICROGRID);
    ledger.deposit("fund-" + p.address(), p.address(), 1_000_000);
    SignedOrder bid = sign(p, OrderKind.ENERGY_BID, 2_000, 100_000, EnergySource.NONE, 1);
    SignedOrder offer = sign(m, OrderKind.ENERGY_OFFER, 1_500, 80_000, EnergySource.SOLAR, 1);
    ledger.acceptOrder(bid);
    ledger.acceptOrder(offer);
    // A round of its own: on a shared ledger every test settles a different batch id.
    long round = 1 + RANDOM.nextLong(1L << 40);
    Trade t = trade(round, bid, offer, 1_500, 90_000, 0);
    SettlementBatch b = batch(round, List.of(t), List.of(bid, offer), List.of(bid.id(domain)));
    return new Market(p, m, bid, offer, t, b);
  }

  protected Trade trade(
      long round, SignedOrder buy, SignedOrder sell, long quantity, long priceMicros, long seq) {
    String buyId = buy.id(domain);
    String sellId = sell.id(domain);
    Order s = sell.order();
    return new Trade(
            Trade.tradeId(buyId, sellId, round, seq),
            round,
            s.slot(),
            s.kind().market(),
            buyId,
            sellId,
            buy.order().trader(),
            s.trader(),
            quantity,
            priceMicros,
            Units.amountMicros(quantity, priceMicros),
            s.green() ? quantity : 0,
            Units.carbonMg(quantity, s.carbonMgPerKwh()))
        .validate();
  }

  protected SettlementBatch batch(
      long round, List<Trade> trades, List<SignedOrder> orders, List<String> closed) {
    String root = Hex.encode(MerkleTree.of(trades.stream().map(Trade::leaf).toList()).root());
    return new SettlementBatch(
        SettlementBatch.batchId(domain, round),
        round,
        SLOT,
        root,
        hash("inputs of round " + round),
        hash("outputs of round " + round),
        trades,
        orders,
        closed);
  }

  protected static List<byte[]> proof(SettlementBatch b, int index) {
    return MerkleTree.of(b.trades().stream().map(Trade::leaf).toList()).proof(index);
  }

  protected SignedOrder sign(
      Secp256k1.KeyPair key,
      OrderKind kind,
      long quantity,
      long priceMicros,
      EnergySource source,
      long nonce) {
    Order o =
        new Order(
                kind,
                key.address(),
                SLOT,
                1,
                quantity,
                priceMicros,
                source,
                kind.side() == OrderKind.Side.SELL && source.green() ? 10_000 : 0,
                kind == OrderKind.ENERGY_OFFER ? 20_000 : 0,
                0,
                nonce,
                0)
            .validate();
    return SignedOrder.sign(domain, o, key);
  }

  protected Secp256k1.KeyPair registered(Role role) throws Exception {
    Secp256k1.KeyPair key = newKey();
    ledger.register(
        Registration.sign(
            domain,
            key,
            role,
            role.name().toLowerCase(Locale.ROOT) + "-" + key.address().substring(2, 8),
            1));
    return key;
  }

  /** A deposit id unique to this test: the same tag gives the same id within the test. */
  protected String id(String tag) {
    return tag + "-" + testTag;
  }

  protected static Secp256k1.KeyPair newKey() {
    return Secp256k1.KeyPair.generate(RANDOM);
  }

  protected static String hash(String s) {
    return Hex.encode(Keccak.hash(s));
  }

  protected static void assertRejected(LedgerReason reason, Executable call) {
    assertThatThrownBy(call::execute)
        .isInstanceOfSatisfying(
            LedgerRejectedException.class,
            e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
  }
}
