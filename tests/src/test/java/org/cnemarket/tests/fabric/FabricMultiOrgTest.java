package org.cnemarket.tests.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
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
import org.cnemarket.engine.ledger.BatchRecord;
import org.cnemarket.engine.ledger.LedgerReason;
import org.cnemarket.engine.ledger.LedgerRejectedException;
import org.cnemarket.engine.ledger.fabric.FabricLedger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The network's organisations and identities on the live network: the endorsement policy {@code
 * AND(Platform, Grid)} is enforced at validation, the auditor reads but never writes, and an
 * identity without the operator's {@code cne.role} is refused by the chaincode.
 */
@Tag("fabric")
class FabricMultiOrgTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long SLOT = 491_000;

  private FabricNetwork net;
  private final Eip712.Domain domain =
      Eip712.Domain.cne(
          Long.parseLong(System.getenv().getOrDefault("CNE_CHAIN_ID", "31337")),
          Eip712.Domain.ZERO_ADDRESS);

  @BeforeEach
  void network() {
    net = FabricNetwork.shared();
  }

  @Test
  void aTransactionEndorsedByThePlatformPeerAloneFailsValidationAndTheEngineSaysSo()
      throws Exception {
    // The gateway is told to collect endorsements from Platform only; the peers' validation then
    // finds the policy AND(Platform, Grid) unsatisfied and the transaction changes nothing.
    String json = Files.readString(net.profile("engine-platform.json"));
    Path platformOnly =
        Files.createTempFile(net.buildDir().resolve("profiles"), "platform-only-", ".json");
    Files.writeString(
        platformOnly,
        json.substring(0, json.lastIndexOf('}'))
            + ", \"endorsingOrganizations\": [\"PlatformMSP\"]\n}\n");
    Secp256k1.KeyPair key = Secp256k1.KeyPair.generate(RANDOM);
    Registration r = Registration.sign(domain, key, Role.USER, "platform-only", 1);
    try (FabricLedger ledger = FabricLedger.fromProfile(platformOnly)) {
      assertThatThrownBy(() -> ledger.register(r))
          .isInstanceOfSatisfying(
              LedgerRejectedException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(LedgerReason.INVALID);
                assertThat(e.getMessage()).contains("ENDORSEMENT_POLICY_FAILURE");
              });
    }
    try (FabricLedger ledger = FabricLedger.fromProfile(net.profile("engine-platform.json"))) {
      assertThat(ledger.participant(key.address())).isEmpty();
      ledger.register(r); // endorsed by both organisations: valid
      assertThat(ledger.participant(key.address())).isPresent();
    }
  }

  @Test
  void theAuditorQueriesAndVerifiesATradeButEverySubmitIsRefused() throws Exception {
    Secp256k1.KeyPair provider = Secp256k1.KeyPair.generate(RANDOM);
    Secp256k1.KeyPair microgrid = Secp256k1.KeyPair.generate(RANDOM);
    SettlementBatch batch;
    Trade trade;
    try (FabricLedger engine = FabricLedger.fromProfile(net.profile("engine-platform.json"))) {
      engine.register(
          Registration.sign(
              domain, provider, Role.PROVIDER, "p-" + provider.address().substring(2, 8), 1));
      engine.register(
          Registration.sign(
              domain, microgrid, Role.MICROGRID, "m-" + microgrid.address().substring(2, 8), 1));
      engine.deposit("audit-" + provider.address(), provider.address(), 1_000_000);
      SignedOrder bid = sign(provider, OrderKind.ENERGY_BID, 2_000, 100_000, EnergySource.NONE);
      SignedOrder offer =
          sign(microgrid, OrderKind.ENERGY_OFFER, 1_500, 80_000, EnergySource.SOLAR);
      engine.acceptOrder(bid);
      engine.acceptOrder(offer);
      long round = 1 + RANDOM.nextLong(1L << 40);
      String buyId = bid.id(domain);
      String sellId = offer.id(domain);
      trade =
          new Trade(
                  Trade.tradeId(buyId, sellId, round, 0),
                  round,
                  SLOT,
                  offer.order().kind().market(),
                  buyId,
                  sellId,
                  provider.address(),
                  microgrid.address(),
                  1_500,
                  90_000,
                  Units.amountMicros(1_500, 90_000),
                  1_500,
                  Units.carbonMg(1_500, offer.order().carbonMgPerKwh()))
              .validate();
      String root = Hex.encode(MerkleTree.of(List.of(trade.leaf())).root());
      batch =
          new SettlementBatch(
              SettlementBatch.batchId(domain, round),
              round,
              SLOT,
              root,
              Hex.encode(Keccak.hash("inputs " + round)),
              Hex.encode(Keccak.hash("outputs " + round)),
              List.of(trade),
              List.of(bid, offer),
              List.of(buyId));
      engine.settle(batch);
    }

    try (FabricLedger auditor = FabricLedger.fromProfile(net.profile("auditor-platform.json"))) {
      assertThat(auditor.status().height()).isPositive();
      assertThat(auditor.participant(provider.address()))
          .hasValueSatisfying(p -> assertThat(p.role()).isEqualTo(Role.PROVIDER));
      BatchRecord onLedger = auditor.batch(batch.batchId()).orElseThrow();
      assertThat(
              MerkleTree.verify(
                  MerkleTree.of(List.of(trade.leaf())).proof(0),
                  Hex.decode(onLedger.merkleRoot()),
                  trade.leaf()))
          .isTrue();
      long paid = auditor.balance(microgrid.address()).availableMicros();
      assertThat(paid).isEqualTo(trade.amountMicros());

      Secp256k1.KeyPair stranger = Secp256k1.KeyPair.generate(RANDOM);
      assertRole(
          () -> auditor.register(Registration.sign(domain, stranger, Role.USER, "by-auditor", 1)));
      assertRole(() -> auditor.deposit("auditor-" + stranger.address(), provider.address(), 5));
      assertRole(
          () ->
              auditor.acceptOrder(
                  sign(provider, OrderKind.ENERGY_BID, 1_000, 1_000, EnergySource.NONE)));
      assertRole(() -> auditor.settle(batch));
      assertThat(auditor.participant(stranger.address())).isEmpty();
      assertThat(auditor.balance(provider.address()).availableMicros())
          .isEqualTo(1_000_000 - trade.amountMicros());
    }
  }

  @Test
  void anIdentityWithoutTheOperatorRoleIsRefusedByTheChaincode() throws Exception {
    // A Platform client certificate from Platform's CA, valid for the channel, with
    // cne.role=participant.
    Path profile =
        net.identityProfile(
            "participant-" + Long.toHexString(RANDOM.nextLong() & 0xffffff),
            "platform",
            "PlatformMSP",
            "participant");
    Secp256k1.KeyPair key = Secp256k1.KeyPair.generate(RANDOM);
    try (FabricLedger participant = FabricLedger.fromProfile(profile)) {
      assertRole(
          () -> participant.register(Registration.sign(domain, key, Role.USER, "self-service", 1)));
      assertRole(() -> participant.deposit("self-" + key.address(), key.address(), 1_000));
      assertRole(() -> participant.participant(key.address()));
    }
    try (FabricLedger engine = FabricLedger.fromProfile(net.profile("engine-platform.json"))) {
      assertThat(engine.participant(key.address())).isEmpty();
    }
  }

  private SignedOrder sign(
      Secp256k1.KeyPair key, OrderKind kind, long quantity, long priceMicros, EnergySource source) {
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
                1 + RANDOM.nextInt(1_000_000),
                0)
            .validate();
    return SignedOrder.sign(domain, o, key);
  }

  private interface Call {
    void run() throws Exception;
  }

  private static void assertRole(Call call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            LedgerRejectedException.class,
            e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(LedgerReason.ROLE));
  }
}
