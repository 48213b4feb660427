package org.cnemarket.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.cnemarket.contracts.generated.CneCertificate;
import org.cnemarket.contracts.generated.CneCredit;
import org.cnemarket.contracts.generated.CneMarket;
import org.cnemarket.core.codec.PackedOrders;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.merkle.MerkleTree;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Trade;
import org.cnemarket.core.model.Units;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/** The contracts on anvil, driven only through their generated Web3j wrappers. */
class CneMarketContractTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long SLOT = 490_000;
  private static final ContractGasProvider GAS =
      new StaticGasProvider(BigInteger.valueOf(3_000_000_000L), BigInteger.valueOf(8_000_000));
  private static AnvilNode anvil;
  private static Web3j web3j;

  private final Credentials operator = Credentials.create(AnvilNode.DEV_PRIVATE_KEYS.get(0));
  private final Credentials stranger = Credentials.create(AnvilNode.DEV_PRIVATE_KEYS.get(1));
  private CneCredit credit;
  private CneCertificate certificate;
  private CneMarket market;
  private CneMarket marketAsStranger;
  private Eip712.Domain domain;

  @BeforeAll
  static void start() {
    anvil = AnvilNode.start();
    web3j = Web3j.build(new HttpService(anvil.rpcUrl()));
  }

  @AfterAll
  static void stop() {
    web3j.shutdown();
    anvil.close();
  }

  private static RawTransactionManager tm(Credentials c) {
    return new RawTransactionManager(
        web3j, c, AnvilNode.CHAIN_ID, new PollingTransactionReceiptProcessor(web3j, 20, 500));
  }

  @BeforeEach
  void deploy() throws Exception {
    credit = CneCredit.deploy(web3j, tm(operator), GAS, operator.getAddress()).send();
    certificate = CneCertificate.deploy(web3j, tm(operator), GAS, operator.getAddress()).send();
    market =
        CneMarket.deploy(
                web3j,
                tm(operator),
                GAS,
                operator.getAddress(),
                credit.getContractAddress(),
                certificate.getContractAddress())
            .send();
    credit.grantRole(credit.MARKET_ROLE().send(), market.getContractAddress()).send();
    certificate.grantRole(certificate.MARKET_ROLE().send(), market.getContractAddress()).send();
    marketAsStranger = CneMarket.load(market.getContractAddress(), web3j, tm(stranger), GAS);
    domain = Eip712.Domain.cne(AnvilNode.CHAIN_ID, market.getContractAddress());
  }

  // ------------------------------------------------------------------ helpers

  private Secp256k1.KeyPair register(Role role) throws Exception {
    Secp256k1.KeyPair k = Secp256k1.KeyPair.generate(RANDOM);
    byte[] sig = k.sign(Eip712.registrationDigest(domain, k.address(), role, "n", 1)).toBytes();
    market.register(k.address(), BigInteger.valueOf(role.code()), "n", BigInteger.ONE, sig).send();
    return k;
  }

  private static String selector(String errorSignature) {
    return Hex.encode(Arrays.copyOf(Keccak.hash(errorSignature), 4));
  }

  /** The custom error a call would revert with (simulated by eth_call from {@code from}). */
  private static String revertOf(
      String from, String to, RemoteFunctionCall<TransactionReceipt> call) throws Exception {
    EthCall r =
        web3j
            .ethCall(
                Transaction.createEthCallTransaction(from, to, call.encodeFunctionCall()),
                DefaultBlockParameterName.LATEST)
            .send();
    assertThat(r.hasError()).as("call should revert").isTrue();
    return r.getError().getData().replace("\"", "").substring(0, 10);
  }

  private CneMarket.BatchHeader header(byte[] id, byte[] root, int tradeCount) {
    return new CneMarket.BatchHeader(
        id,
        BigInteger.ONE,
        BigInteger.valueOf(SLOT),
        BigInteger.valueOf(tradeCount),
        root,
        Keccak.hash("in"),
        Keccak.hash("out"),
        Keccak.hash("data"));
  }

  private static CneMarket.Movement move(String account, long spent, long refund, long received) {
    return new CneMarket.Movement(
        account,
        BigInteger.valueOf(spent),
        BigInteger.valueOf(refund),
        BigInteger.valueOf(received));
  }

  /** Accepts the orders as one batch under {@code id} (packed, grouped by trader). */
  private TransactionReceipt acceptBatch(byte[] id, List<SignedOrder> orders) throws Exception {
    return market.acceptOrderBatch(id, packed(orders)).send();
  }

  private static byte[] packed(List<SignedOrder> orders) {
    return PackedOrders.pack(PackedOrders.sortedByTrader(orders));
  }

  private SignedOrder order(
      Secp256k1.KeyPair signer, OrderKind kind, String trader, long qty, long price, long nonce) {
    return SignedOrder.sign(
        domain,
        new Order(
            kind,
            trader,
            SLOT,
            1,
            qty,
            price,
            kind == OrderKind.ENERGY_OFFER ? EnergySource.SOLAR : EnergySource.NONE,
            0,
            0,
            0,
            nonce,
            0),
        signer);
  }

  /** A provider's bid and a microgrid's solar offer, both accepted, and their trade. */
  private record Deal(
      Secp256k1.KeyPair buyer, Secp256k1.KeyPair seller, SignedOrder bid, Trade trade) {}

  private Deal deal() throws Exception {
    Secp256k1.KeyPair p = register(Role.PROVIDER);
    Secp256k1.KeyPair m = register(Role.MICROGRID);
    market
        .deposit(Keccak.hash("fund" + p.address()), p.address(), BigInteger.valueOf(1_000_000))
        .send();
    SignedOrder bid =
        SignedOrder.sign(
            domain,
            new Order(
                OrderKind.ENERGY_BID,
                p.address(),
                SLOT,
                1,
                2_000,
                100_000,
                EnergySource.NONE,
                0,
                0,
                0,
                1,
                0),
            p);
    SignedOrder offer =
        SignedOrder.sign(
            domain,
            new Order(
                OrderKind.ENERGY_OFFER,
                m.address(),
                SLOT,
                1,
                2_000,
                80_000,
                EnergySource.SOLAR,
                10_000,
                0,
                0,
                1,
                0),
            m);
    acceptBatch(Keccak.hash("orders" + p.address()), List.of(bid, offer));
    Trade t =
        new Trade(
            Trade.tradeId(bid.id(domain), offer.id(domain), 1, 0),
            1,
            SLOT,
            OrderKind.Market.ENERGY,
            bid.id(domain),
            offer.id(domain),
            p.address(),
            m.address(),
            1_500,
            90_000,
            Units.amountMicros(1_500, 90_000),
            1_500,
            0);
    return new Deal(p, m, bid, t);
  }

  private void settle(Deal d, byte[] batchId, byte[] root) throws Exception {
    long paid = d.trade().amountMicros();
    long refund = Units.maxCostMicros(2_000, 100_000) - paid;
    market
        .settleBatch(
            header(batchId, root, 1),
            List.of(
                move(d.buyer().address(), paid, refund, 0), move(d.seller().address(), 0, 0, paid)))
        .send();
  }

  // ------------------------------------------------------------------ access control

  @Test
  void onlyTheOperatorMaySettleDepositOrAcceptOrders() throws Exception {
    Secp256k1.KeyPair auditor = register(Role.AUDITOR);
    String unauthorized = selector("AccessControlUnauthorizedAccount(address,bytes32)");
    String m = market.getContractAddress();
    assertThat(
            revertOf(
                stranger.getAddress(),
                m,
                marketAsStranger.settleBatch(
                    header(Keccak.hash("b"), Keccak.hash("r"), 1), List.of())))
        .isEqualTo(unauthorized);
    assertThat(
            revertOf(
                auditor.address(),
                m,
                marketAsStranger.deposit(Keccak.hash("d"), auditor.address(), BigInteger.TEN)))
        .isEqualTo(unauthorized);
    assertThatThrownBy(
            () ->
                marketAsStranger
                    .settleBatch(header(Keccak.hash("b"), Keccak.hash("r"), 1), List.of())
                    .send())
        .isInstanceOf(TransactionException.class);
    assertThat(market.batchOf(Keccak.hash("b")).send().blockNumber).isZero();
    assertThat(
            revertOf(
                stranger.getAddress(),
                m,
                marketAsStranger.acceptOrderBatch(
                    Keccak.hash("o"),
                    packed(
                        List.of(
                            order(auditor, OrderKind.ENERGY_OFFER, auditor.address(), 1, 1, 1))))))
        .isEqualTo(unauthorized);
    // the credit and certificate contracts obey only the market
    assertThatThrownBy(
            () ->
                CneCredit.load(credit.getContractAddress(), web3j, tm(operator), GAS)
                    .mint(operator.getAddress(), BigInteger.TEN)
                    .send())
        .isInstanceOf(TransactionException.class);
    assertThat(market.hasRole(market.AUDITOR_ROLE().send(), auditor.address()).send()).isTrue();
    assertThat(market.hasRole(market.OPERATOR_ROLE().send(), auditor.address()).send()).isFalse();
  }

  // ------------------------------------------------------------------ settlement

  @Test
  void settleBatchIsIdempotentOnTheBatchIdAndRejectsADifferentBatchUnderIt() throws Exception {
    Deal d = deal();
    byte[] id = Keccak.hash("batch-1");
    byte[] root = d.trade().leaf();
    settle(d, id, root);
    long sellerAfter = credit.balanceOf(d.seller().address()).send().longValueExact();
    TransactionReceipt again =
        market
            .settleBatch(header(id, root, 1), List.of(move(d.seller().address(), 0, 0, 0)))
            .send();
    assertThat(market.getBatchSettledEvents(again)).isEmpty();
    assertThat(credit.balanceOf(d.seller().address()).send().longValueExact())
        .isEqualTo(sellerAfter);
    assertThat(
            revertOf(
                operator.getAddress(),
                market.getContractAddress(),
                market.settleBatch(header(id, Keccak.hash("other root"), 1), List.of())))
        .isEqualTo(selector("BatchConflict(bytes32)"));
  }

  @Test
  void escrowIsConservedAndNeverOverdrawn() throws Exception {
    Deal d = deal();
    String c = credit.getContractAddress();
    long locked = Units.maxCostMicros(2_000, 100_000);
    assertThat(credit.escrowOf(d.buyer().address()).send().longValueExact()).isEqualTo(locked);
    assertThat(credit.balanceOf(c).send().longValueExact()).isEqualTo(locked);
    long paid = d.trade().amountMicros();
    // payments that do not add up, or that take more than the escrow holds, are refused
    assertThat(
            revertOf(
                operator.getAddress(),
                market.getContractAddress(),
                market.settleBatch(
                    header(Keccak.hash("x"), Keccak.hash("r"), 1),
                    List.of(
                        move(d.buyer().address(), paid, 0, 0),
                        move(d.seller().address(), 0, 0, paid + 1)))))
        .isEqualTo(selector("NotConserved(uint256,uint256)"));
    assertThat(
            revertOf(
                operator.getAddress(),
                market.getContractAddress(),
                market.settleBatch(
                    header(Keccak.hash("y"), Keccak.hash("r"), 1),
                    List.of(
                        move(d.buyer().address(), locked + 1, 0, 0),
                        move(d.seller().address(), 0, 0, locked + 1)))))
        .isEqualTo(selector("EscrowOverdraft(address,uint256,uint256)"));
    settle(d, Keccak.hash("batch"), d.trade().leaf());
    long buyer = credit.balanceOf(d.buyer().address()).send().longValueExact();
    long seller = credit.balanceOf(d.seller().address()).send().longValueExact();
    assertThat(buyer + seller + credit.balanceOf(c).send().longValueExact())
        .isEqualTo(credit.totalSupply().send().longValueExact())
        .isEqualTo(1_000_000);
    assertThat(credit.escrowOf(d.buyer().address()).send()).isZero();
    assertThat(credit.balanceOf(c).send()).isZero();
    assertThat(seller).isEqualTo(paid);
  }

  // ------------------------------------------------------------------ signatures and proofs

  @Test
  void theContractComputesTheSameOrderDigestAndLeafAsJavaAndAnyoneProvesAnotherKeysSignature()
      throws Exception {
    Deal d = deal();
    assertThat(market.orderDigest(ContractStructs.order(d.bid().order())).send())
        .isEqualTo(Eip712.orderDigest(domain, d.bid().order()));
    assertThat(market.tradeLeaf(ContractStructs.trade(d.trade())).send())
        .isEqualTo(d.trade().leaf());
    assertThat(market.domainSeparator().send()).isEqualTo(domain.separator());
    Order o =
        new Order(
            OrderKind.ENERGY_BID,
            d.buyer().address(),
            SLOT,
            1,
            10,
            10,
            EnergySource.NONE,
            0,
            0,
            0,
            9,
            0);
    // the batch path does not check signatures: anyone proves a bad one afterwards
    SignedOrder forged = new SignedOrder(o, d.seller().sign(Eip712.orderDigest(domain, o)));
    byte[] id = Keccak.hash("forged");
    byte[] data = packed(List.of(forged));
    market.acceptOrderBatch(id, data).send();
    assertThat(market.acceptanceOf(id).send().faulted).isFalse();
    TransactionReceipt r = marketAsStranger.challengeOrder(id, data, BigInteger.ZERO).send();
    assertThat(market.getOrderBatchFaultedEvents(r)).hasSize(1);
    assertThat(market.getOrderBatchFaultedEvents(r).get(0).orderId)
        .isEqualTo(Eip712.orderDigest(domain, o));
    assertThat(market.acceptanceOf(id).send().faulted).isTrue();
    // a well-signed order cannot be challenged, nor data other than the batch's
    byte[] good = Keccak.hash("good");
    byte[] goodData =
        packed(List.of(order(d.seller(), OrderKind.ENERGY_OFFER, d.seller().address(), 1, 1, 77)));
    market.acceptOrderBatch(good, goodData).send();
    assertThat(
            revertOf(
                stranger.getAddress(),
                market.getContractAddress(),
                marketAsStranger.challengeOrder(good, goodData, BigInteger.ZERO)))
        .isEqualTo(selector("Invalid(string)"));
    assertThat(market.acceptanceOf(good).send().faulted).isFalse();
  }

  // ------------------------------------------------------------------ order batches

  @Test
  void anOrderBatchLocksOneNetEscrowPerBuyerAndIsIdempotentOnItsId() throws Exception {
    Secp256k1.KeyPair p = register(Role.PROVIDER);
    Secp256k1.KeyPair m = register(Role.MICROGRID);
    market
        .deposit(Keccak.hash("fund" + p.address()), p.address(), BigInteger.valueOf(1_000_000))
        .send();
    List<SignedOrder> orders =
        List.of(
            order(p, OrderKind.ENERGY_BID, p.address(), 1_001, 100_001, 1),
            order(m, OrderKind.ENERGY_OFFER, m.address(), 5_000, 80_000, 1),
            order(p, OrderKind.ENERGY_BID, p.address(), 2_000, 90_000, 2),
            order(p, OrderKind.COMPUTE_OFFER, p.address(), 7, 3, 3));
    byte[] id = Keccak.hash("batch");
    TransactionReceipt r = acceptBatch(id, orders);
    long locked = Units.maxCostMicros(1_001, 100_001) + Units.maxCostMicros(2_000, 90_000);
    assertThat(credit.escrowOf(p.address()).send().longValueExact()).isEqualTo(locked);
    assertThat(credit.balanceOf(p.address()).send().longValueExact()).isEqualTo(1_000_000 - locked);
    assertThat(credit.escrowOf(m.address()).send()).isZero();
    var ev = market.getOrdersAcceptedEvents(r).get(0);
    assertThat(ev.orderCount.intValue()).isEqualTo(4);
    assertThat(ev.accounts.intValue()).isEqualTo(2);
    assertThat(ev.lockedMicros.longValueExact()).isEqualTo(locked);
    CneMarket.Acceptance a = market.acceptanceOf(id).send();
    assertThat(a.dataHash).isEqualTo(Keccak.hash(packed(orders)));
    assertThat(a.orderCount.intValue()).isEqualTo(4);
    // the same batch again changes nothing; other orders under its id are a conflict
    TransactionReceipt again = acceptBatch(id, orders);
    assertThat(market.getOrdersAcceptedEvents(again)).isEmpty();
    assertThat(credit.escrowOf(p.address()).send().longValueExact()).isEqualTo(locked);
    assertThat(
            revertOf(
                operator.getAddress(),
                market.getContractAddress(),
                market.acceptOrderBatch(id, packed(orders.subList(0, 2)))))
        .isEqualTo(selector("BatchConflict(bytes32)"));
  }

  @Test
  void anOrderBatchIsRefusedWholeForARoleViolationAnOverdraftOrUngroupedOrders() throws Exception {
    Secp256k1.KeyPair p = register(Role.PROVIDER);
    Secp256k1.KeyPair m = register(Role.MICROGRID);
    market.deposit(Keccak.hash("f" + p.address()), p.address(), BigInteger.valueOf(1_000)).send();
    String to = market.getContractAddress();
    String op = operator.getAddress();
    // a microgrid may not bid
    assertThat(
            revertOf(
                op,
                to,
                market.acceptOrderBatch(
                    Keccak.hash("a"),
                    packed(List.of(order(m, OrderKind.ENERGY_BID, m.address(), 1, 1, 1))))))
        .isEqualTo(selector("RoleViolation(address,uint8)"));
    // two bids that each fit but together exceed the credits
    assertThat(
            revertOf(
                op,
                to,
                market.acceptOrderBatch(
                    Keccak.hash("b"),
                    packed(
                        List.of(
                            order(p, OrderKind.ENERGY_BID, p.address(), 10, 60_000, 1),
                            order(p, OrderKind.ENERGY_BID, p.address(), 10, 60_000, 2))))))
        .isEqualTo(selector("Overdraft(address,uint256,uint256)"));
    // an unregistered trader
    Secp256k1.KeyPair nobody = Secp256k1.KeyPair.generate(RANDOM);
    assertThat(
            revertOf(
                op,
                to,
                market.acceptOrderBatch(
                    Keccak.hash("c"),
                    packed(
                        List.of(
                            order(nobody, OrderKind.ENERGY_OFFER, nobody.address(), 1, 1, 1))))))
        .isEqualTo(selector("UnknownParticipant(address)"));
    // orders not grouped by ascending trader, and data that is not whole orders
    List<SignedOrder> sorted =
        PackedOrders.sortedByTrader(
            List.of(
                order(p, OrderKind.COMPUTE_OFFER, p.address(), 1, 1, 3),
                order(m, OrderKind.ENERGY_OFFER, m.address(), 1, 1, 3)));
    byte[] reversed = PackedOrders.pack(List.of(sorted.get(1), sorted.get(0)));
    assertThat(revertOf(op, to, market.acceptOrderBatch(Keccak.hash("d"), reversed)))
        .isEqualTo(selector("Invalid(string)"));
    assertThat(
            revertOf(
                op,
                to,
                market.acceptOrderBatch(
                    Keccak.hash("e"), Arrays.copyOf(reversed, reversed.length - 1))))
        .isEqualTo(selector("Invalid(string)"));
    assertThat(credit.escrowOf(p.address()).send()).isZero();
    assertThat(market.acceptanceOf(Keccak.hash("b")).send().blockNumber).isZero();
  }

  @Test
  void anyoneProvesTwoAcceptedOrdersUnderOneNonceAndTheLaterBatchIsFaulted() throws Exception {
    Secp256k1.KeyPair m = register(Role.MICROGRID);
    SignedOrder first = order(m, OrderKind.ENERGY_OFFER, m.address(), 100, 1, 5);
    SignedOrder second = order(m, OrderKind.ENERGY_OFFER, m.address(), 200, 1, 5);
    SignedOrder other = order(m, OrderKind.ENERGY_OFFER, m.address(), 300, 1, 6);
    byte[] a = Keccak.hash("a");
    byte[] b = Keccak.hash("b");
    byte[] da = packed(List.of(first));
    byte[] db = packed(List.of(second, other));
    market.acceptOrderBatch(a, da).send();
    market.acceptOrderBatch(b, db).send();
    int secondAt = PackedOrders.unpack(db).indexOf(second);
    int otherAt = 1 - secondAt;
    assertThat(
            revertOf(
                stranger.getAddress(),
                market.getContractAddress(),
                marketAsStranger.challengeNonce(
                    a, da, BigInteger.ZERO, b, db, BigInteger.valueOf(otherAt))))
        .isEqualTo(selector("Invalid(string)"));
    marketAsStranger
        .challengeNonce(a, da, BigInteger.ZERO, b, db, BigInteger.valueOf(secondAt))
        .send();
    assertThat(market.acceptanceOf(b).send().faulted).isTrue();
    assertThat(market.acceptanceOf(a).send().faulted).isFalse();
  }

  @Test
  void verifyTradeAcceptsOnlyAProofAgainstTheStoredRoot() throws Exception {
    Deal d = deal();
    List<Trade> trades = List.of(d.trade(), tradeOf(d, "t2", 100), tradeOf(d, "t3", 200));
    MerkleTree tree = MerkleTree.of(trades.stream().map(Trade::leaf).toList());
    byte[] id = Keccak.hash("batch");
    settle(d, id, tree.root());
    for (int i = 0; i < 3; i++) {
      assertThat(market.verifyTrade(id, tree.proof(i), ContractStructs.trade(trades.get(i))).send())
          .isTrue();
    }
    assertThat(market.verifyTrade(id, tree.proof(0), ContractStructs.trade(trades.get(1))).send())
        .isFalse();
    assertThat(
            market
                .verifyTrade(id, List.of(Keccak.hash("junk")), ContractStructs.trade(d.trade()))
                .send())
        .isFalse();
    assertThat(
            market
                .verifyTrade(
                    Keccak.hash("unknown"), tree.proof(0), ContractStructs.trade(d.trade()))
                .send())
        .isFalse();
    assertThat(
            revertOf(
                operator.getAddress(),
                market.getContractAddress(),
                market.reportDelivery(
                    id, ContractStructs.trade(d.trade()), tree.proof(1), BigInteger.TEN)))
        .isEqualTo(selector("BadProof(bytes32,bytes32)"));
  }

  @Test
  void anInnerNodeNeverVerifiesAsATradeLeaf() throws Exception {
    Deal d = deal();
    List<Trade> trades =
        List.of(d.trade(), tradeOf(d, "t2", 100), tradeOf(d, "t3", 200), tradeOf(d, "t4", 300));
    MerkleTree tree = MerkleTree.of(trades.stream().map(Trade::leaf).toList());
    byte[] id = Keccak.hash("batch");
    settle(d, id, tree.root());
    for (int i = 0; i < trades.size(); i++) {
      List<byte[]> proof = tree.proof(i);
      // The parent of leaf i with the rest of its path: the pair a second-preimage forger would
      // present.
      byte[] parent = MerkleTree.hashPair(trades.get(i).leaf(), proof.get(0));
      List<byte[]> shortened = proof.subList(1, proof.size());
      assertThat(MerkleTree.verify(shortened, tree.root(), parent))
          .as("the parent is on the path")
          .isTrue();
      // No function takes a bare leaf any more (the old verifyTrade(bytes32,bytes32[],bytes32) is
      // gone) ...
      String oldCall =
          Hex.encode(Arrays.copyOf(Keccak.hash("verifyTrade(bytes32,bytes32[],bytes32)"), 4))
              + FunctionEncoder.encodeConstructor(
                  List.of(
                      new Bytes32(id),
                      new DynamicArray<>(
                          Bytes32.class, shortened.stream().map(Bytes32::new).toList()),
                      new Bytes32(parent)));
      EthCall r =
          web3j
              .ethCall(
                  Transaction.createEthCallTransaction(
                      stranger.getAddress(), market.getContractAddress(), oldCall),
                  DefaultBlockParameterName.LATEST)
              .send();
      assertThat(r.hasError()).as("a bare leaf is not accepted").isTrue();
      // ... and a trade's leaf is hashed twice, so the shortened path verifies none of them.
      for (Trade t : trades) {
        assertThat(market.verifyTrade(id, shortened, ContractStructs.trade(t)).send()).isFalse();
        assertThat(market.tradeLeaf(ContractStructs.trade(t)).send()).isNotEqualTo(parent);
      }
      assertThat(
              revertOf(
                  operator.getAddress(),
                  market.getContractAddress(),
                  market.reportDelivery(
                      id, ContractStructs.trade(trades.get(i)), shortened, BigInteger.ONE)))
          .isEqualTo(selector("BadProof(bytes32,bytes32)"));
    }
  }

  private Trade tradeOf(Deal d, String name, long wh) {
    return new Trade(
        Hex.encode(Keccak.hash(name)),
        1,
        SLOT,
        OrderKind.Market.ENERGY,
        d.trade().buyOrderId(),
        d.trade().sellOrderId(),
        d.buyer().address(),
        d.seller().address(),
        wh,
        90_000,
        Units.amountMicros(wh, 90_000),
        wh,
        0);
  }

  // ------------------------------------------------------------------ certificates

  @Test
  void greenCertificatesAreIssuedOncePerTradeAndCannotBeClaimedTwice() throws Exception {
    Deal d = deal();
    byte[] id = Keccak.hash("batch");
    settle(d, id, d.trade().leaf());
    BigInteger q = BigInteger.valueOf(d.trade().quantity());
    market.reportDelivery(id, ContractStructs.trade(d.trade()), List.of(), q).send();
    market.reportDelivery(id, ContractStructs.trade(d.trade()), List.of(), q).send();
    BigInteger slot = BigInteger.valueOf(SLOT);
    String buyer = d.buyer().address();
    assertThat(certificate.balanceOf(buyer, slot).send())
        .isEqualTo(BigInteger.valueOf(d.trade().greenWh()));

    long all = d.trade().greenWh();
    byte[] r1 =
        d.buyer().sign(Eip712.certificateRetireDigest(domain, buyer, SLOT, all, 1)).toBytes();
    market.retireCertificates(buyer, slot, BigInteger.valueOf(all), BigInteger.ONE, r1).send();
    assertThat(certificate.balanceOf(buyer, slot).send()).isZero();
    assertThat(certificate.retiredOf(buyer, slot).send()).isEqualTo(BigInteger.valueOf(all));

    byte[] r2 =
        d.buyer().sign(Eip712.certificateRetireDigest(domain, buyer, SLOT, all, 2)).toBytes();
    assertThat(
            revertOf(
                operator.getAddress(),
                market.getContractAddress(),
                market.retireCertificates(
                    buyer, slot, BigInteger.valueOf(all), BigInteger.TWO, r2)))
        .isEqualTo(selector("DoubleClaim(address,uint64,uint64)"));
    byte[] forged =
        d.seller().sign(Eip712.certificateRetireDigest(domain, buyer, SLOT, 1, 3)).toBytes();
    assertThat(
            revertOf(
                operator.getAddress(),
                market.getContractAddress(),
                market.retireCertificates(
                    buyer, slot, BigInteger.ONE, BigInteger.valueOf(3), forged)))
        .isEqualTo(selector("BadSignature()"));
  }
}
