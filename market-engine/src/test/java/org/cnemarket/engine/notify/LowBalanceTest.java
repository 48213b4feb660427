package org.cnemarket.engine.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * The low-balance rule: warned exactly when the credits held cannot fund the next rounds' orders.
 */
class LowBalanceTest {

  @Property
  void warnsExactlyWhenHeldCreditsAreBelowTheNextRoundsNeed(
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long perRound,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 4) long available,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 4) long escrow,
      @ForAll @IntRange(min = 1, max = 24) int rounds) {
    BigInteger need = BigInteger.valueOf(perRound).multiply(BigInteger.valueOf(rounds));
    BigInteger held = BigInteger.valueOf(available).add(BigInteger.valueOf(escrow));
    var warning = LowBalance.check(perRound, available, escrow, rounds);
    assertThat(warning.isPresent()).isEqualTo(perRound > 0 && held.compareTo(need) < 0);
    warning.ifPresent(
        w -> {
          assertThat(w.shortfallMicros()).isPositive();
          assertThat(BigInteger.valueOf(w.shortfallMicros()))
              .isEqualTo(need.min(BigInteger.valueOf(Long.MAX_VALUE)).subtract(held));
        });
  }

  @Test
  void theDemoOfTheIssue() {
    // 4 credits left, the last round's bids locked 8: warned, 4 short.
    var w = LowBalance.check(8_000_000, 4_000_000, 0, 1).orElseThrow();
    assertThat(w.needMicros()).isEqualTo(8_000_000);
    assertThat(w.shortfallMicros()).isEqualTo(4_000_000);
    assertThat(LowBalance.check(8_000_000, 8_000_000, 0, 1)).isEmpty();
    assertThat(LowBalance.check(0, 0, 0, 1)).as("bought nothing: nothing to warn about").isEmpty();
    assertThat(LowBalance.check(5_000_000, 1_000_000, 5_000_000, 2)).isPresent();
  }
}
