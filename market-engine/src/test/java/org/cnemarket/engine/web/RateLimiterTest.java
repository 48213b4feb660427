package org.cnemarket.engine.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  @Test
  void aBurstIsAllowedThenTheCallerWaitsForTheRefill() {
    AtomicLong now = new AtomicLong();
    RateLimiter l = new RateLimiter(2, 3, now::get);
    assertThat(l.acquire("a")).isZero();
    assertThat(l.acquire("a")).isZero();
    assertThat(l.acquire("a")).isZero();
    assertThat(l.acquire("a")).isEqualTo(1);
    assertThat(l.acquire("b")).as("limits are per caller").isZero();
    now.addAndGet(500_000_000L);
    assertThat(l.acquire("a")).isZero();
  }
}
