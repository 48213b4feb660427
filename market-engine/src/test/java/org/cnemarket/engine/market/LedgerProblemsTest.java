package org.cnemarket.engine.market;

import static org.assertj.core.api.Assertions.assertThat;

import org.cnemarket.engine.ledger.LedgerReason;
import org.cnemarket.engine.ledger.LedgerRejectedException;
import org.junit.jupiter.api.Test;

class LedgerProblemsTest {

  private static Refusal of(LedgerReason reason, LedgerProblems.Asset asset) {
    return LedgerProblems.of(new LedgerRejectedException(reason, "why"), asset);
  }

  @Test
  void eachReasonHasItsRefusal() {
    LedgerProblems.Asset credits = LedgerProblems.Asset.CREDITS;
    assertThat(of(LedgerReason.OVERDRAFT, credits).reason())
        .isEqualTo(Refusal.Reason.INSUFFICIENT_FUNDS);
    assertThat(of(LedgerReason.SIGNATURE, credits).reason())
        .isEqualTo(Refusal.Reason.BAD_SIGNATURE);
    assertThat(of(LedgerReason.NONCE, credits).reason()).isEqualTo(Refusal.Reason.NONCE_USED);
    assertThat(of(LedgerReason.ROLE, credits).reason()).isEqualTo(Refusal.Reason.FORBIDDEN);
    assertThat(of(LedgerReason.UNKNOWN_PARTICIPANT, credits).reason())
        .isEqualTo(Refusal.Reason.UNKNOWN_PARTICIPANT);
    assertThat(of(LedgerReason.NOT_FOUND, credits).reason()).isEqualTo(Refusal.Reason.NOT_FOUND);
    assertThat(of(LedgerReason.DOUBLE_CLAIM, credits).reason())
        .isEqualTo(Refusal.Reason.LEDGER_REJECTED);
    for (LedgerReason r :
        new LedgerReason[] {
          LedgerReason.ROOT_MISMATCH,
          LedgerReason.BATCH_CONFLICT,
          LedgerReason.BAD_PROOF,
          LedgerReason.INVALID,
          LedgerReason.UNKNOWN_ORDER,
          LedgerReason.NOT_CONFIGURED
        }) {
      assertThat(of(r, credits).reason()).isEqualTo(Refusal.Reason.LEDGER_REJECTED);
    }
  }

  @Test
  void certificatesShortAreNotFundsShort() {
    LedgerProblems.Asset certificates = LedgerProblems.Asset.CERTIFICATES;
    assertThat(of(LedgerReason.OVERDRAFT, certificates).reason())
        .isEqualTo(Refusal.Reason.INSUFFICIENT_CERTIFICATES);
    assertThat(of(LedgerReason.DOUBLE_CLAIM, certificates).reason())
        .isEqualTo(Refusal.Reason.INSUFFICIENT_CERTIFICATES);
  }

  @Test
  void theDetailKeepsTheMessageAndALedgerRefusalLeadsWithItsCode() {
    LedgerProblems.Asset credits = LedgerProblems.Asset.CREDITS;
    assertThat(of(LedgerReason.NONCE, credits).getMessage()).isEqualTo("why");
    assertThat(of(LedgerReason.BATCH_CONFLICT, credits).getMessage())
        .isEqualTo("BATCH_CONFLICT: why");
  }
}
