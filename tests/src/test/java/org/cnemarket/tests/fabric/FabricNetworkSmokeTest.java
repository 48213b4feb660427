package org.cnemarket.tests.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;
import org.cnemarket.engine.ledger.LedgerEvent;
import org.cnemarket.engine.ledger.LedgerReason;
import org.cnemarket.engine.ledger.LedgerRejectedException;
import org.cnemarket.engine.ledger.fabric.FabricLedger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Fabric ledger adapter against the live network of {@link FabricNetwork}. Without Fabric
 * binaries every test is reported as skipped with {@link FabricNetwork#NOT_RUN}, never as passed.
 */
@Tag("fabric")
class FabricNetworkSmokeTest {
  private Path profile;

  // Per test (not @BeforeAll) so that each test is reported as skipped with the reason.
  @BeforeEach
  void requireNetwork() {
    profile = FabricNetwork.shared().profile("engine-platform.json");
    assertThat(profile).exists();
  }

  private static Eip712.Domain domain() {
    String chainId = System.getenv().getOrDefault("CNE_CHAIN_ID", "31337");
    return Eip712.Domain.cne(Long.parseLong(chainId), Eip712.Domain.ZERO_ADDRESS);
  }

  @Test
  void statusShowsTheChannel() throws Exception {
    try (FabricLedger ledger = FabricLedger.fromProfile(profile)) {
      var status = ledger.status();
      assertThat(status.backend()).isEqualTo("fabric");
      assertThat(status.network()).isEqualTo("cne");
      assertThat(status.height()).isPositive();
    }
  }

  @Test
  void registerLookUpAndEventsRoundTrip() throws Exception {
    try (FabricLedger ledger = FabricLedger.fromProfile(profile)) {
      long before = ledger.status().height();
      Secp256k1.KeyPair key = Secp256k1.KeyPair.generate(new SecureRandom());
      Registration r = Registration.sign(domain(), key, Role.PROVIDER, "smoke-dc", 1);

      ledger.register(r);
      ledger.register(r); // idempotent

      var p = ledger.participant(key.address()).orElseThrow();
      assertThat(p.role()).isEqualTo(Role.PROVIDER);
      assertThat(p.name()).isEqualTo("smoke-dc");
      assertThat(ledger.participant("0x" + "00".repeat(19) + "01")).isEmpty();
      assertThat(ledger.status().height()).isGreaterThan(before);

      List<LedgerEvent> events = ledger.events((before - 1) * FabricLedger.EVENTS_PER_BLOCK, 100);
      assertThat(events).isNotEmpty();
      assertThat(events)
          .allSatisfy(
              e ->
                  assertThat(e.cursor())
                      .isGreaterThanOrEqualTo((before - 1) * FabricLedger.EVENTS_PER_BLOCK));
    }
  }

  @Test
  void aForgedRegistrationIsRejectedWithItsReason() throws Exception {
    try (FabricLedger ledger = FabricLedger.fromProfile(profile)) {
      Secp256k1.KeyPair key = Secp256k1.KeyPair.generate(new SecureRandom());
      Secp256k1.KeyPair other = Secp256k1.KeyPair.generate(new SecureRandom());
      Registration signedByOther = Registration.sign(domain(), other, Role.USER, "forged", 1);
      Registration forged =
          new Registration(key.address(), Role.USER, "forged", 1, signedByOther.signature());

      assertThatThrownBy(() -> ledger.register(forged))
          .isInstanceOfSatisfying(
              LedgerRejectedException.class,
              e -> assertThat(e.reason()).isEqualTo(LedgerReason.SIGNATURE));
    }
  }

  @Test
  void profileIsReadable() throws Exception {
    assertThat(Files.readString(profile)).contains("\"channel\"");
  }
}
