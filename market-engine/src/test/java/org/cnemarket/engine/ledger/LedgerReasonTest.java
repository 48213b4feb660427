package org.cnemarket.engine.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.cnemarket.chaincode.ReasonCode;
import org.junit.jupiter.api.Test;

class LedgerReasonTest {

  @Test
  void everyChaincodeCodeHasItsReason() {
    for (ReasonCode code : ReasonCode.values()) {
      assertThat(LedgerReason.of(code.name()).name()).isEqualTo(code.name());
    }
  }

  @Test
  void onlyTheAdaptersOwnCheckIsBeyondTheChaincode() {
    assertThat(LedgerReason.values())
        .filteredOn(
            r -> Arrays.stream(ReasonCode.values()).noneMatch(c -> c.name().equals(r.name())))
        .containsExactly(LedgerReason.ROOT_MISMATCH);
  }

  @Test
  void aMissingOrUnknownCodeIsInvalid() {
    assertThat(LedgerReason.of(null)).isEqualTo(LedgerReason.INVALID);
    assertThat(LedgerReason.of("")).isEqualTo(LedgerReason.INVALID);
    assertThat(LedgerReason.of("FOO")).isEqualTo(LedgerReason.INVALID);
    assertThat(LedgerReason.of("overdraft")).isEqualTo(LedgerReason.INVALID);
    assertThat(LedgerReason.named("FOO")).isEmpty();
    assertThat(LedgerReason.named("NONCE")).contains(LedgerReason.NONCE);
  }
}
