package org.cnemarket.engine.ledger.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.engine.ledger.LedgerReason;
import org.cnemarket.engine.ledger.LedgerRejectedException;
import org.cnemarket.engine.ledger.LedgerUnavailableException;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;

/**
 * FabricLedger over a scripted submitter: retries, rejection handling, argument and result shapes.
 */
class FabricLedgerTest {
  private final FakeSubmitter fake = new FakeSubmitter();
  private final List<Duration> sleeps = new ArrayList<>();
  private final RetryPolicy policy =
      new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1));
  private final FabricLedger ledger = new FabricLedger(fake, policy, "cne", sleeps::add, () -> 0.5);

  @Test
  void retriesMvccConflictsWithBackoffThenSucceeds() throws Exception {
    fake.codes.add(TxValidationCode.MVCC_READ_CONFLICT);
    fake.codes.add(TxValidationCode.PHANTOM_READ_CONFLICT);

    ledger.deposit("0x" + "11".repeat(32), "0x" + "22".repeat(20), 5_000_000);

    assertThat(fake.submits).hasSize(3);
    assertThat(fake.submits.get(2).args())
        .containsExactly("0x" + "11".repeat(32), "0x" + "22".repeat(20), "5000000");
    // jittered (random 0.5): 3/4 of 100 ms, then 3/4 of 200 ms
    assertThat(sleeps).containsExactly(Duration.ofMillis(75), Duration.ofMillis(150));
  }

  @Test
  void givesUpAfterMaxAttemptsAsUnavailable() {
    for (int i = 0; i < 5; i++) {
      fake.codes.add(TxValidationCode.MVCC_READ_CONFLICT);
    }
    assertThatThrownBy(() -> ledger.deposit("d", "a", 1))
        .isInstanceOf(LedgerUnavailableException.class)
        .hasMessageContaining("MVCC_READ_CONFLICT after 3 attempts");
    assertThat(fake.submits).hasSize(3);
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void otherCommitFailuresAreFinalRejections() {
    fake.codes.add(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
    assertThatThrownBy(() -> ledger.deposit("d", "a", 1))
        .isInstanceOfSatisfying(
            LedgerRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(LedgerReason.INVALID))
        .hasMessageContaining("ENDORSEMENT_POLICY_FAILURE");
    assertThat(fake.submits).hasSize(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void endorsementRejectionIsNotRetried() {
    fake.failures.put(
        "escrow:Deposit", new LedgerRejectedException(LedgerReason.ROLE, "not an operator"));
    assertThatThrownBy(() -> ledger.deposit("d", "a", 1))
        .isInstanceOfSatisfying(
            LedgerRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(LedgerReason.ROLE));
    assertThat(fake.submits).hasSize(1);
  }

  @Test
  void registerSendsTheCanonicalRegistration() throws Exception {
    Secp256k1.KeyPair key = Secp256k1.KeyPair.generate(new SecureRandom());
    Registration r =
        Registration.sign(
            Eip712.Domain.cne(31337, Eip712.Domain.ZERO_ADDRESS), key, Role.PROVIDER, "dc-1", 7);

    ledger.register(r);

    FakeSubmitter.Call call = fake.submits.get(0);
    assertThat(call.transaction()).isEqualTo("participants:Register");
    Map<String, Object> sent = Json.parseObject(call.args().get(0));
    assertThat(sent)
        .containsEntry("account", key.address())
        .containsEntry("role", "PROVIDER")
        .containsEntry("name", "dc-1")
        .containsEntry("nonce", 7L)
        .containsEntry("signature", r.signature().toHex());
  }

  @Test
  void lookupsMapNotFoundToEmpty() throws Exception {
    fake.failures.put(
        "participants:Get", new LedgerRejectedException(LedgerReason.NOT_FOUND, "no participant"));
    assertThat(ledger.participant("0x" + "ab".repeat(20))).isEmpty();
    assertThat(fake.evaluations.get(0).args()).containsExactly("0x" + "ab".repeat(20));

    assertThat(ledger.batch("0x" + "01".repeat(32))).isEmpty();

    fake.results.put(
        "participants:Get",
        "{\"address\":\"0x" + "ab".repeat(20) + "\",\"name\":\"g\",\"role\":\"MICROGRID\"}");
    fake.failures.clear();
    assertThat(ledger.participant("0x" + "AB".repeat(20)).orElseThrow().role())
        .isEqualTo(Role.MICROGRID);
  }

  @Test
  void settleReadsTheReceipt() throws Exception {
    fake.results.put(
        "settlement:Settle", "{\"alreadySettled\":true,\"batchId\":\"0xb\",\"txId\":\"first-tx\"}");
    fake.blocksOfTransactions.put("first-tx", 7L);
    Eip712.Domain domain = Eip712.Domain.cne(31337, Eip712.Domain.ZERO_ADDRESS);
    fake.results.put("config:Get", RecordCodec.toJson(domain));
    var receipt =
        ledger.settle(
            SettlementBatch.build(
                domain,
                1,
                2,
                "0x" + "00".repeat(32),
                "0x" + "00".repeat(32),
                List.of(),
                List.of(),
                List.of(),
                List.of()));
    assertThat(receipt.alreadySettled()).isTrue();
    assertThat(receipt.txId()).isEqualTo("first-tx");
    // The block of the original settlement, not of the no-op repeat (which the fake puts in 11).
    assertThat(receipt.blockNumber()).isEqualTo(7L);
    assertThat(fake.submits.get(0).transaction()).isEqualTo("settlement:Settle");
    // the header and the net movements, not the trades
    assertThat(Json.parseObject(fake.submits.get(0).args().get(0)))
        .containsEntry("tradeCount", 0L)
        .containsEntry("orders", List.of())
        .doesNotContainKey("trades");
  }

  @Test
  void malformedResultsAreLedgerExceptions() {
    fake.results.put("escrow:Balance", "{\"account\":\"0x1\"}");
    assertThatThrownBy(() -> ledger.balance("0x1")).hasMessageContaining("availableMicros");
  }

  @Test
  void statusAndClose() throws Exception {
    fake.height = 42;
    assertThat(ledger.status().height()).isEqualTo(42);
    assertThat(ledger.status().network()).isEqualTo("cne");
    assertThat(ledger.backend()).isEqualTo("fabric");
    ledger.close();
    assertThat(fake.closed).isTrue();
  }
}
