package org.cnemarket.tests.evm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cnemarket.contracts.AnvilNode;
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
import org.cnemarket.engine.ledger.LedgerReason;
import org.cnemarket.engine.ledger.LedgerRejectedException;
import org.cnemarket.engine.ledger.LedgerUnavailableException;
import org.cnemarket.engine.ledger.OrderAcceptance;
import org.cnemarket.engine.ledger.SettlementReceipt;
import org.cnemarket.engine.ledger.evm.EvmConfig;
import org.cnemarket.engine.ledger.evm.EvmLedger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;
import org.web3j.crypto.StructuredDataEncoder;

/**
 * What only the EVM adapter has: wallet-signed typed data, attach by address, restarts,
 * confirmations.
 */
class EvmLedgerTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long SLOT = 490_000;
  private static AnvilNode anvil;

  @BeforeAll
  static void startAnvil() {
    anvil = AnvilNode.start();
  }

  @AfterAll
  static void stopAnvil() {
    anvil.close();
  }

  private static EvmLedger deploy() throws Exception {
    return EvmLedger.connect(EvmConfig.of(anvil.rpcUrl(), AnvilNode.DEV_PRIVATE_KEYS.get(0)));
  }

  private static EvmLedger attach(EvmLedger deployed) throws Exception {
    return EvmLedger.connect(
        EvmConfig.of(anvil.rpcUrl(), AnvilNode.DEV_PRIVATE_KEYS.get(0))
            .withMarketAddress(deployed.marketAddress()));
  }

  /** The eth_signTypedData_v4 document a wallet is given for an order. */
  private static String typedData(Eip712.Domain d, Order o) {
    return """
        {"types":{
          "EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},
            {"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
          "Order":[{"name":"kind","type":"uint8"},{"name":"trader","type":"address"},{"name":"slot","type":"uint64"},
            {"name":"zone","type":"uint32"},{"name":"quantity","type":"uint64"},{"name":"priceMicros","type":"uint64"},
            {"name":"source","type":"uint8"},{"name":"greenBps","type":"uint16"},{"name":"carbonMgPerKwh","type":"uint32"},
            {"name":"latencyMs","type":"uint32"},{"name":"nonce","type":"uint64"},{"name":"expiry","type":"uint64"}]},
         "primaryType":"Order",
         "domain":{"name":"%s","version":"%s","chainId":%d,"verifyingContract":"%s"},
         "message":{"kind":%d,"trader":"%s","slot":%d,"zone":%d,"quantity":%d,"priceMicros":%d,"source":%d,
           "greenBps":%d,"carbonMgPerKwh":%d,"latencyMs":%d,"nonce":%d,"expiry":%d}}
        """
        .formatted(
            d.name(),
            d.version(),
            d.chainId(),
            d.verifyingContract(),
            o.kind().code(),
            o.trader(),
            o.slot(),
            o.zone(),
            o.quantity(),
            o.priceMicros(),
            o.source().code(),
            o.greenBps(),
            o.carbonMgPerKwh(),
            o.latencyMs(),
            o.nonce(),
            o.expiry());
  }

  @Test
  void anOrderSignedAsEthSignTypedDataV4VerifiesInJavaAndOnChainAndAnAlteredFieldFailsBoth()
      throws Exception {
    try (EvmLedger ledger = deploy()) {
      Eip712.Domain domain = ledger.domain();
      Secp256k1.KeyPair key = Secp256k1.KeyPair.generate(RANDOM);
      ledger.register(Registration.sign(domain, key, Role.PROVIDER, "wallet", 1));
      ledger.deposit("d", key.address(), 10_000_000);
      Order order =
          new Order(
                  OrderKind.ENERGY_BID,
                  key.address(),
                  SLOT,
                  3,
                  2_500,
                  120_000,
                  EnergySource.NONE,
                  5_000,
                  0,
                  0,
                  42,
                  SLOT + 2)
              .validate();

      // the wallet side: Web3j's EIP-712 encoder on the JSON document, signed like a wallet signs
      byte[] walletHash = new StructuredDataEncoder(typedData(domain, order)).hashStructuredData();
      Sign.SignatureData sd =
          Sign.signMessage(walletHash, ECKeyPair.create(key.privateKey()), false);
      byte[] sigBytes = new byte[65];
      System.arraycopy(sd.getR(), 0, sigBytes, 0, 32);
      System.arraycopy(sd.getS(), 0, sigBytes, 32, 32);
      sigBytes[64] = sd.getV()[0];
      Signature walletSig = Signature.fromBytes(sigBytes);

      // Java (market-core) agrees on the digest and the signer
      assertThat(Eip712.orderDigest(domain, order)).isEqualTo(walletHash);
      assertThat(Secp256k1.recoverAddress(walletHash, walletSig)).hasValue(key.address());
      SignedOrder signed = new SignedOrder(order, walletSig);
      assertThat(signed.verify(domain)).isTrue();

      // an altered field fails in Java and on-chain
      Order altered =
          new Order(
              order.kind(),
              order.trader(),
              order.slot(),
              order.zone(),
              order.quantity(),
              order.priceMicros() - 1,
              order.source(),
              order.greenBps(),
              order.carbonMgPerKwh(),
              order.latencyMs(),
              order.nonce(),
              order.expiry());
      SignedOrder tampered = new SignedOrder(altered, walletSig);
      assertThat(tampered.verify(domain)).isFalse();
      assertThatThrownBy(() -> ledger.acceptOrder(tampered))
          .isInstanceOfSatisfying(
              LedgerRejectedException.class,
              e -> assertThat(e.reason()).isEqualTo(LedgerReason.SIGNATURE));

      // the genuine order is accepted, locks escrow, and verifies on-chain (OpenZeppelin EIP712 +
      // ECDSA in challengeOrder, over the batch data the chain holds)
      ledger.acceptOrder(signed);
      assertThat(ledger.orderAccepted(signed.id(domain))).isTrue();
      assertThat(ledger.orderSignatureHoldsOnChain(signed.id(domain))).isTrue();
      long locked = Units.maxCostMicros(order.quantity(), order.priceMicros());
      assertThat(ledger.balance(key.address()))
          .isEqualTo(new Balance(key.address(), 10_000_000 - locked, locked));
    }
  }

  @Test
  void attachingByAddressSeesTheSameStateAndResubmittingAfterACrashAppliesNothingTwice()
      throws Exception {
    try (EvmLedger first = deploy()) {
      Eip712.Domain domain = first.domain();
      Secp256k1.KeyPair p = Secp256k1.KeyPair.generate(RANDOM);
      Secp256k1.KeyPair m = Secp256k1.KeyPair.generate(RANDOM);
      first.register(Registration.sign(domain, p, Role.PROVIDER, "p", 1));
      first.register(Registration.sign(domain, m, Role.MICROGRID, "m", 1));
      first.deposit("dep-1", p.address(), 1_000_000);
      SignedOrder bid =
          SignedOrder.sign(
              domain,
              new Order(
                  OrderKind.ENERGY_BID,
                  p.address(),
                  SLOT,
                  1,
                  1_000,
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
                  1_000,
                  50_000,
                  EnergySource.WIND,
                  10_000,
                  0,
                  0,
                  1,
                  0),
              m);
      first.acceptOrder(bid);
      first.acceptOrder(offer);
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
              1_000,
              75_000,
              Units.amountMicros(1_000, 75_000),
              1_000,
              0);
      SettlementBatch batch =
          new SettlementBatch(
              SettlementBatch.batchId(domain, 1),
              1,
              SLOT,
              Hex.encode(MerkleTree.of(List.of(t.leaf())).root()),
              Hex.encode(Keccak.hash("in")),
              Hex.encode(Keccak.hash("out")),
              List.of(t),
              List.of(bid, offer),
              List.of(bid.id(domain)));
      SettlementReceipt settled = first.settle(batch);

      // the engine restarts and replays its outbox against the same market
      try (EvmLedger second = attach(first)) {
        assertThat(second.domain()).isEqualTo(domain);
        second.register(Registration.sign(domain, p, Role.PROVIDER, "p", 1));
        second.deposit("dep-1", p.address(), 1_000_000);
        second.acceptOrder(bid);
        SettlementReceipt again = second.settle(batch);
        assertThat(again.alreadySettled()).isTrue();
        assertThat(again.txId()).isEqualTo(settled.txId());
        assertThat(second.balance(p.address()))
            .isEqualTo(new Balance(p.address(), 1_000_000 - 75_000, 0));
        assertThat(second.balance(m.address())).isEqualTo(new Balance(m.address(), 75_000, 0));
        assertThat(second.verifyTrade(batch.batchId(), t, List.of())).isTrue();
      }
    }
  }

  @Test
  void aBatchRefusesOnlyItsBadOrdersAndARestartedAdapterFindsTheRestOnTheChainWithoutLockingTwice()
      throws Exception {
    try (EvmLedger first = deploy()) {
      Eip712.Domain domain = first.domain();
      Secp256k1.KeyPair p = Secp256k1.KeyPair.generate(RANDOM);
      Secp256k1.KeyPair m = Secp256k1.KeyPair.generate(RANDOM);
      first.register(Registration.sign(domain, p, Role.PROVIDER, "p", 1));
      first.register(Registration.sign(domain, m, Role.MICROGRID, "m", 1));
      first.deposit("dep-1", p.address(), 1_000_000);
      SignedOrder bid1 = order(domain, p, OrderKind.ENERGY_BID, 1_000, 100_000, 1);
      SignedOrder bid2 = order(domain, p, OrderKind.ENERGY_BID, 2_000, 90_000, 2);
      SignedOrder offer = order(domain, m, OrderKind.ENERGY_OFFER, 3_000, 50_000, 1);
      SignedOrder forged =
          new SignedOrder(
              order(domain, p, OrderKind.ENERGY_BID, 10, 10, 3).order(),
              m.sign(Eip712.orderDigest(domain, bid1.order())));
      SignedOrder nonceAgain = order(domain, m, OrderKind.ENERGY_OFFER, 4_000, 50_000, 1);
      SignedOrder tooDear = order(domain, p, OrderKind.ENERGY_BID, 1_000_000, 1_000_000, 4);
      SignedOrder wrongRole = order(domain, m, OrderKind.ENERGY_BID, 1, 1, 9);
      List<OrderAcceptance> answers =
          first.acceptOrders(List.of(bid1, forged, offer, nonceAgain, tooDear, wrongRole, bid2));
      assertThat(answers)
          .extracting(a -> a.status() == OrderAcceptance.Status.REFUSED ? a.reason().name() : "ok")
          .containsExactly("ok", "SIGNATURE", "ok", "NONCE", "OVERDRAFT", "ROLE", "ok");
      long locked = Units.maxCostMicros(1_000, 100_000) + Units.maxCostMicros(2_000, 90_000);
      assertThat(first.balance(p.address()))
          .isEqualTo(new Balance(p.address(), 1_000_000 - locked, locked));
      // the three orders went in one transaction
      assertThat(first.orderBatch(bid1.id(domain))).isPresent();
      assertThat(first.orderBatch(bid2.id(domain))).isEqualTo(first.orderBatch(bid1.id(domain)));
      assertThat(first.orderBatch(offer.id(domain))).isEqualTo(first.orderBatch(bid1.id(domain)));

      // a restarted engine knows only what the chain holds, and resends a superset
      SignedOrder bid3 = order(domain, p, OrderKind.ENERGY_BID, 500, 100_000, 5);
      try (EvmLedger second = attach(first)) {
        assertThat(second.orderAccepted(bid1.id(domain))).isTrue();
        assertThat(second.orderAccepted(offer.id(domain))).isTrue();
        assertThat(second.orderAccepted(forged.id(domain))).isFalse();
        assertThat(second.acceptOrders(List.of(offer, bid1, bid3, nonceAgain, bid2)))
            .extracting(OrderAcceptance::status)
            .containsExactly(
                OrderAcceptance.Status.ALREADY_ACCEPTED,
                OrderAcceptance.Status.ALREADY_ACCEPTED,
                OrderAcceptance.Status.ACCEPTED,
                OrderAcceptance.Status.REFUSED,
                OrderAcceptance.Status.ALREADY_ACCEPTED);
        long all = locked + Units.maxCostMicros(500, 100_000);
        assertThat(second.balance(p.address()))
            .isEqualTo(new Balance(p.address(), 1_000_000 - all, all));
        assertThat(second.orderSignatureHoldsOnChain(bid3.id(domain))).isTrue();
      }
    }
  }

  private static SignedOrder order(
      Eip712.Domain domain,
      Secp256k1.KeyPair k,
      OrderKind kind,
      long quantity,
      long price,
      long nonce) {
    return SignedOrder.sign(
        domain,
        new Order(
            kind,
            k.address(),
            SLOT,
            1,
            quantity,
            price,
            kind == OrderKind.ENERGY_OFFER ? EnergySource.WIND : EnergySource.NONE,
            0,
            0,
            0,
            nonce,
            0),
        k);
  }

  @Test
  void aTransactionWaitsForTheConfiguredConfirmations() throws Exception {
    try (EvmLedger deployed = deploy();
        EvmLedger ledger =
            EvmLedger.connect(
                EvmConfig.of(anvil.rpcUrl(), AnvilNode.DEV_PRIVATE_KEYS.get(0))
                    .withMarketAddress(deployed.marketAddress())
                    .withConfirmations(3)
                    .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20)))) {
      Secp256k1.KeyPair a = Secp256k1.KeyPair.generate(RANDOM);
      AtomicBoolean mining = new AtomicBoolean(true);
      Thread miner =
          new Thread(
              () -> {
                HttpClient http = HttpClient.newHttpClient();
                for (int i = 0; i < 100 && mining.get(); i++) {
                  try {
                    Thread.sleep(150);
                    http.send(
                        HttpRequest.newBuilder(URI.create(anvil.rpcUrl()))
                            .header("Content-Type", "application/json")
                            .POST(
                                HttpRequest.BodyPublishers.ofString(
                                    "{\"jsonrpc\":\"2.0\",\"method\":\"evm_mine\",\"params\":[],\"id\":1}"))
                            .build(),
                        HttpResponse.BodyHandlers.discarding());
                  } catch (Exception e) {
                    return;
                  }
                }
              });
      long before = ledger.status().height();
      miner.start();
      try {
        ledger.register(Registration.sign(ledger.domain(), a, Role.USER, "a", 1));
      } finally {
        mining.set(false);
        miner.join();
      }
      // included in block before+1, then buried under two more
      assertThat(ledger.status().height()).isGreaterThanOrEqualTo(before + 3);
      assertThat(ledger.participant(a.address())).isPresent();
    }
  }

  @Test
  void anUnreachableNodeIsReportedAsUnavailable() {
    assertThatThrownBy(
            () ->
                EvmLedger.connect(
                    EvmConfig.of("http://127.0.0.1:1", AnvilNode.DEV_PRIVATE_KEYS.get(0))
                        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))))
        .isInstanceOf(LedgerUnavailableException.class);
  }

  @Test
  void attachingToAnAddressWithoutAContractIsRejected() {
    assertThatThrownBy(
            () ->
                EvmLedger.connect(
                    EvmConfig.of(anvil.rpcUrl(), AnvilNode.DEV_PRIVATE_KEYS.get(0))
                        .withMarketAddress("0x000000000000000000000000000000000000dead")))
        .isInstanceOfSatisfying(
            LedgerRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(LedgerReason.NOT_FOUND));
  }

  @Test
  void configurationReadsTheLedgerOptions() {
    EvmConfig c =
        EvmConfig.fromOptions(
            Map.of(
                "rpc",
                "http://127.0.0.1:8545",
                "operator-key",
                AnvilNode.DEV_PRIVATE_KEYS.get(0),
                "market",
                "0x000000000000000000000000000000000000beef",
                "confirmations",
                "2"));
    assertThat(c.marketAddress()).hasValue("0x000000000000000000000000000000000000beef");
    assertThat(c.confirmations()).isEqualTo(2);
    assertThat(c.toString()).doesNotContain(AnvilNode.DEV_PRIVATE_KEYS.get(0).substring(2));
    assertThatThrownBy(() -> EvmConfig.fromOptions(Map.of("operator-key", "0x01")))
        .isInstanceOf(IllegalArgumentException.class);
    EvmConfig fromEnv =
        EvmConfig.fromEnvironment(
            Map.of(
                "CNE_EVM_RPC",
                "http://127.0.0.1:8545",
                "CNE_EVM_OPERATOR_KEY",
                AnvilNode.DEV_PRIVATE_KEYS.get(0),
                "CNE_EVM_TX_TIMEOUT_MS",
                "1500"));
    assertThat(fromEnv.txTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(fromEnv.marketAddress()).isEmpty();
  }
}
