package org.cnemarket.engine.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.cnemarket.core.model.Role;
import org.junit.jupiter.api.Test;

/** Verified tokens are remembered, but expiry, signature and issuer are never skipped. */
class TokenServiceTest {
  private static final String ALICE = "0x00000000000000000000000000000000000a11ce";

  /** A clock the test moves. */
  private static final class MovableClock extends Clock {
    private long millis = 1_800_000_000_000L;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    void advanceSeconds(long s) {
      millis += s * 1000;
    }
  }

  private static TokenService service(Clock clock, int cacheLimit) {
    AtomicReference<String> key = new AtomicReference<>();
    return new TokenService(() -> Optional.ofNullable(key.get()), key::set, clock, 900, cacheLimit);
  }

  @Test
  void aVerifiedTokenKeepsItsPrincipalUntilItExpiresEvenWhenRemembered() {
    MovableClock clock = new MovableClock();
    TokenService tokens = service(clock, 100);
    String token = tokens.issue(ALICE, Role.PROVIDER);
    for (int i = 0; i < 3; i++) {
      assertThat(tokens.check(token).principal()).isEqualTo(new Principal(ALICE, Role.PROVIDER));
    }
    assertThat(tokens.cachedTokens()).isEqualTo(1);
    clock.advanceSeconds(899);
    assertThat(tokens.check(token).principal()).isEqualTo(new Principal(ALICE, Role.PROVIDER));
    clock.advanceSeconds(1);
    TokenService.Check expired = tokens.check(token);
    assertThat(expired.principal()).isNull();
    assertThat(expired.problem()).contains("expired");
    // And still refused on the next call, when nothing is remembered any more.
    assertThat(tokens.check(token).problem()).contains("expired");
  }

  @Test
  void aTamperedTokenIsRefusedAlthoughTheOriginalWasRemembered() {
    TokenService tokens = service(new MovableClock(), 100);
    String token = tokens.issue(ALICE, Role.PROVIDER);
    assertThat(tokens.check(token).principal()).isNotNull();
    String[] parts = token.split("\\.");
    String claims = new String(Base64.getUrlDecoder().decode(parts[1]));
    String forged =
        parts[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(claims.replace("PROVIDER", "OPERATOR").getBytes())
            + "."
            + parts[2];
    assertThat(tokens.check(forged).principal()).isNull();
    assertThat(tokens.check(forged).problem()).contains("signature");
    assertThat(tokens.cachedTokens()).isEqualTo(1);
  }

  @Test
  void aTokenOfAnotherKeyIsRefused() {
    MovableClock clock = new MovableClock();
    String foreign = service(clock, 100).issue(ALICE, Role.OPERATOR);
    TokenService tokens = service(clock, 100);
    assertThat(tokens.check(foreign).principal()).isNull();
    assertThat(tokens.cachedTokens()).isZero();
  }

  @Test
  void theCacheStaysWithinItsLimit() {
    TokenService tokens = service(new MovableClock(), 8);
    for (int i = 0; i < 30; i++) {
      String address = String.format("0x%040x", i + 1);
      String token = tokens.issue(address, Role.USER);
      assertThat(tokens.check(token).principal()).isEqualTo(new Principal(address, Role.USER));
      assertThat(tokens.cachedTokens()).isLessThanOrEqualTo(8);
    }
  }
}
