package org.cnemarket.wallet.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.cnemarket.core.model.OrderKind;
import org.junit.jupiter.api.Test;

class AmountsAndSlotsTest {
  @Test
  void convertsCreditsToMicrosExactly() {
    assertThat(Amounts.creditsToMicros("0.12")).isEqualTo(120_000);
    assertThat(Amounts.creditsToMicros("1")).isEqualTo(1_000_000);
    assertThat(Amounts.creditsToMicros("0.000001")).isEqualTo(1);
    assertThat(Amounts.creditsToMicros("0.1200000")).isEqualTo(120_000);
    // 0.1 + 0.2 style traps do not exist: no binary floating point anywhere.
    assertThat(Amounts.creditsToMicros("0.3")).isEqualTo(300_000);
  }

  @Test
  void rejectsMoreDecimalsThanTheUnitHolds() {
    assertThatThrownBy(() -> Amounts.creditsToMicros("0.1234567"))
        .hasMessageContaining("more than 6 decimal");
    assertThatThrownBy(() -> Amounts.kwhToWh("1.0005")).hasMessageContaining("more than 3 decimal");
    assertThatThrownBy(() -> Amounts.creditsToMicros("-1")).hasMessageContaining("negative");
    assertThatThrownBy(() -> Amounts.creditsToMicros("abc")).hasMessageContaining("decimal number");
    assertThatThrownBy(() -> Amounts.creditsToMicros("1e30")).hasMessageContaining("too large");
    assertThatThrownBy(() -> Amounts.percentToBps("100.01")).hasMessageContaining("at most 100");
  }

  @Test
  void convertsEnergyComputeAndShares() {
    assertThat(Amounts.kwhToWh("1.5")).isEqualTo(1_500);
    assertThat(Amounts.unitsToMilli("2.25")).isEqualTo(2_250);
    assertThat(Amounts.gramsToMg("45.5")).isEqualTo(45_500);
    assertThat(Amounts.percentToBps("12.5")).isEqualTo(1_250);
    assertThat(Amounts.format(120_000, 6)).isEqualTo("0.12");
    assertThat(Amounts.format(3_000_000, 6)).isEqualTo("3");
    assertThat(Amounts.format(0, 6)).isEqualTo("0");
  }

  @Test
  void parsesSlotsAsHoursOrIsoHours() {
    long slot = Instant.parse("2026-07-01T13:00:00Z").getEpochSecond() / 3600;
    assertThat(Slots.parse("2026-07-01T13:00Z")).isEqualTo(slot);
    assertThat(Slots.parse("2026-07-01T15:00+02:00")).isEqualTo(slot);
    assertThat(Slots.parse(Long.toString(slot))).isEqualTo(slot);
    assertThat(Slots.format(slot)).isEqualTo("2026-07-01T13:00Z");
    assertThatThrownBy(() -> Slots.parse("2026-07-01T13:30Z")).hasMessageContaining("whole hour");
    assertThatThrownBy(() -> Slots.parse("tomorrow")).hasMessageContaining("ISO-8601");
    assertThatThrownBy(() -> Slots.parse("2026-07-01T13:00")).hasMessageContaining("ISO-8601");
  }

  @Test
  void noncesIncreaseStrictly() {
    long a = Nonces.next();
    long b = Nonces.next();
    assertThat(b).isGreaterThan(a);
    assertThat(a).isGreaterThanOrEqualTo(System.currentTimeMillis() - 60_000);
  }

  @Test
  void termsBecomeValidatedOrders() {
    OrderTerms t =
        OrderTerms.of(10, 1_500, 120_000).withNonce(7).withExpiry(12).withGreenBps(5_000);
    var o = t.toOrder(OrderKind.ENERGY_BID, "0x" + "AB".repeat(20));
    assertThat(o.trader()).isEqualTo("0x" + "ab".repeat(20));
    assertThat(o.nonce()).isEqualTo(7);
    assertThatThrownBy(
            () ->
                OrderTerms.of(10, 1_500, 120_000)
                    .withExpiry(9)
                    .toOrder(OrderKind.ENERGY_BID, "0x" + "ab".repeat(20)))
        .hasMessageContaining("expiry");
    assertThatThrownBy(
            () ->
                OrderTerms.of(10, 1_500, 120_000)
                    .toOrder(OrderKind.ENERGY_OFFER, "0x" + "ab".repeat(20)))
        .hasMessageContaining("source");
  }
}
