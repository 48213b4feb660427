package org.cnemarket.engine.ledger.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy =
      new RetryPolicy(4, Duration.ofMillis(100), Duration.ofMillis(350));

  @Test
  void retriesOnlyReadConflicts() {
    assertThat(policy.retryable(TxValidationCode.MVCC_READ_CONFLICT)).isTrue();
    assertThat(policy.retryable(TxValidationCode.PHANTOM_READ_CONFLICT)).isTrue();
    assertThat(policy.retryable(TxValidationCode.ENDORSEMENT_POLICY_FAILURE)).isFalse();
    assertThat(policy.retryable(TxValidationCode.VALID)).isFalse();
  }

  @Test
  void givesUpAfterMaxAttempts() {
    assertThat(policy.shouldRetry(TxValidationCode.MVCC_READ_CONFLICT, 1)).isTrue();
    assertThat(policy.shouldRetry(TxValidationCode.MVCC_READ_CONFLICT, 3)).isTrue();
    assertThat(policy.shouldRetry(TxValidationCode.MVCC_READ_CONFLICT, 4)).isFalse();
    assertThat(policy.shouldRetry(TxValidationCode.BAD_PAYLOAD, 1)).isFalse();
  }

  @Test
  void backoffDoublesUpToTheCap() {
    assertThat(policy.backoff(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(policy.backoff(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(policy.backoff(3)).isEqualTo(Duration.ofMillis(350));
    assertThat(policy.backoff(60)).isEqualTo(Duration.ofMillis(350));
  }

  @Test
  void jitterStaysBetweenHalfAndAll() {
    assertThat(policy.jitteredBackoff(2, 0.0)).isEqualTo(Duration.ofMillis(100));
    assertThat(policy.jitteredBackoff(2, 0.5)).isEqualTo(Duration.ofMillis(150));
    assertThat(policy.jitteredBackoff(2, 0.999999))
        .isBetween(Duration.ofMillis(199), Duration.ofMillis(200));
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> new RetryPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> policy.backoff(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
