package org.cnemarket.engine.ledger.fabric;

import java.time.Duration;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * When and how long to wait before submitting a transaction again. Pure: no clock, no threads.
 *
 * <p>A Fabric transaction that was endorsed against state another transaction changed before it
 * committed is invalidated with {@code MVCC_READ_CONFLICT} (or {@code PHANTOM_READ_CONFLICT} for
 * range reads); nothing of it was applied, and a fresh endorsement usually succeeds. Those two
 * codes are retried, with exponential backoff, at most {@code maxAttempts} submissions in all.
 * Every other non-valid code is final.
 *
 * @param maxAttempts total submissions, at least 1
 * @param initialBackoff wait after the first conflict
 * @param maxBackoff cap of the wait
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(5));

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("retry.maxAttempts must be at least 1");
    }
    if (initialBackoff == null || initialBackoff.isNegative()) {
      throw new IllegalArgumentException("retry.initialBackoffMs must not be negative");
    }
    if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "retry.maxBackoffMs must be at least retry.initialBackoffMs");
    }
  }

  /** True for the commit codes that a new endorsement and submission may cure. */
  public boolean retryable(TxValidationCode code) {
    return code == TxValidationCode.MVCC_READ_CONFLICT
        || code == TxValidationCode.PHANTOM_READ_CONFLICT;
  }

  /**
   * True when a transaction that failed on its {@code attempt}-th submission (1-based) may go
   * again.
   */
  public boolean shouldRetry(TxValidationCode code, int attempt) {
    return retryable(code) && attempt < maxAttempts;
  }

  /**
   * The wait after the {@code attempt}-th failed submission (1-based): {@code min(maxBackoff,
   * initialBackoff * 2^(attempt-1))}.
   */
  public Duration backoff(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt is 1-based");
    }
    long initial = initialBackoff.toMillis();
    long cap = maxBackoff.toMillis();
    long wait = initial;
    for (int i = 1; i < attempt && wait < cap; i++) {
      wait = wait > cap / 2 ? cap : wait * 2;
    }
    return Duration.ofMillis(Math.min(wait, cap));
  }

  /**
   * {@link #backoff(int)} spread by {@code random} in [0, 1): between half and all of it, so
   * engines that conflicted with each other do not retry in step.
   */
  public Duration jitteredBackoff(int attempt, double random) {
    if (random < 0 || random >= 1) {
      throw new IllegalArgumentException("random must be in [0, 1)");
    }
    long full = backoff(attempt).toMillis();
    return Duration.ofMillis(full / 2 + (long) ((full - full / 2) * random));
  }
}
