package org.cnemarket.agents.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.junit.jupiter.api.Test;

class AgentsTest {
  static final String A = "0x00000000000000000000000000000000000000a1";

  /**
   * The battery never holds more than its capacity or less than nothing, and never creates energy.
   */
  @Property(tries = 300)
  void batteryStaysInBoundsAndLoses(
      @ForAll @Size(max = 50) List<@LongRange(min = -5_000, max = 5_000) Long> steps) {
    Battery b = new Battery(10_000, 3_000, 2_000, 9_000);
    long in = 0;
    long out = 0;
    for (long s : steps) {
      if (s >= 0) {
        in += b.charge(s);
      } else {
        long d = Math.min(-s, b.dischargeableWh());
        b.discharge(d);
        out += d;
      }
      assertThat(b.stateOfChargeWh()).isBetween(0L, 10_000L);
    }
    assertThat(out + b.stateOfChargeWh()).isLessThanOrEqualTo(in);
  }

  @Test
  void microgridStoresUnsoldSolarAndOffersItLater() {
    MicrogridAgent m =
        new MicrogridAgent(
            A, 1, EnergySource.SOLAR, new Battery(50_000, 20_000, 10_000, 9_000), 9_000);
    Nonces n = new Nonces(0);
    List<Order> noon = m.offers(10, 30_000, 10_000, 41_000, 100_000, n);
    assertThat(noon).hasSize(1);
    long curtailed = m.settle(30_000, 10_000, 0, 41_000);
    assertThat(curtailed).isZero(); // 20 kWh surplus, all within the charge limit
    assertThat(m.battery().stateOfChargeWh()).isEqualTo(18_000);
    List<Order> evening = m.offers(11, 0, 10_000, 41_000, 100_000, n);
    assertThat(evening)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.source()).isEqualTo(EnergySource.STORAGE);
              assertThat(o.quantity()).isEqualTo(10_000);
              assertThat(o.priceMicros()).isEqualTo(90_000);
              assertThat(o.carbonMgPerKwh()).isEqualTo(45_555);
            });
  }

  @Test
  void providerBuysEnergyForItsCommittedJobsAndOffersFreeCapacity() {
    ProviderAgent p =
        new ProviderAgent(A, 2, 1_200, 500_000, new ProviderStrategy.Green(5000), true);
    List<Order> orders = p.orders(new ProviderAgent.Outlook(7, 10, 4, 100_000), new Nonces(70));
    assertThat(orders)
        .extracting(Order::kind)
        .containsExactly(OrderKind.ENERGY_BID, OrderKind.COMPUTE_OFFER);
    assertThat(orders.get(0).quantity()).isEqualTo(12_000);
    assertThat(orders.get(0).greenBps()).isEqualTo(5000);
    assertThat(orders.get(1).quantity()).isEqualTo(4_000);
    assertThat(orders.get(1).priceMicros()).isEqualTo((500_000 + 120_000) * 11 / 10);
    assertThat(orders).extracting(Order::nonce).containsExactly(70L, 71L);
  }
}
