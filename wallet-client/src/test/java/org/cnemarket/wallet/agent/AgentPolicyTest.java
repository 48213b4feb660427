package org.cnemarket.wallet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.cnemarket.agents.agent.Battery;
import org.cnemarket.agents.agent.MicrogridAgent;
import org.cnemarket.agents.agent.Nonces;
import org.cnemarket.agents.agent.ProviderAgent;
import org.cnemarket.agents.agent.ProviderStrategy;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Trade;
import org.junit.jupiter.api.Test;

/** What the live agents bid from what they know: their configuration and their own fills. */
class AgentPolicyTest {
  private static final String PROVIDER = "0x" + "11".repeat(20);
  private static final String GRID = "0x" + "22".repeat(20);
  private static final String USER = "0x" + "33".repeat(20);

  private static Trade trade(
      OrderKind.Market m, String buyer, String seller, String sellOrderId, long q) {
    return new Trade(
        "0x" + "ab".repeat(32),
        1,
        10,
        m,
        "0x" + "cd".repeat(32),
        sellOrderId,
        buyer,
        seller,
        q,
        1_000,
        q,
        0,
        0);
  }

  private static Order kind(List<Order> orders, OrderKind k) {
    return orders.stream().filter(o -> o.kind() == k).findFirst().orElseThrow();
  }

  @Property(tries = 100)
  void aProviderBuysEnergyForItsBaseLoadPlusWhatItSoldLastRound(
      @ForAll @IntRange(min = 1, max = 50) int capacity,
      @ForAll @IntRange(min = 0, max = 50) int baseLoad,
      @ForAll @LongRange(min = 0, max = 100_000) long soldMilli,
      @ForAll @IntRange(min = 1, max = 2_000) int whPerUnit) {
    if (baseLoad > capacity) {
      return;
    }
    AgentPolicy.Provider p =
        new AgentPolicy.Provider(
            new ProviderAgent(
                PROVIDER, 0, whPerUnit, 100_000, new ProviderStrategy.Green(5_000), true),
            capacity,
            baseLoad);
    Nonces nonces = new Nonces(1);
    List<Order> first = p.orders(10, 100_000, nonces);
    if (baseLoad > 0) {
      assertThat(kind(first, OrderKind.ENERGY_BID).quantity())
          .isEqualTo((long) baseLoad * whPerUnit);
      assertThat(kind(first, OrderKind.ENERGY_BID).greenBps()).isEqualTo(5_000);
    } else {
      assertThat(first).noneMatch(o -> o.kind() == OrderKind.ENERGY_BID);
    }
    if (capacity > baseLoad) {
      assertThat(kind(first, OrderKind.COMPUTE_OFFER).quantity())
          .isEqualTo((capacity - baseLoad) * 1_000L);
    }
    // A trade it bought in does not count as a sale; the compute it sold does, in whole units.
    p.settled(
        10,
        List.of(
            trade(OrderKind.Market.COMPUTE, USER, PROVIDER, "0x" + "01".repeat(32), soldMilli),
            trade(OrderKind.Market.ENERGY, PROVIDER, GRID, "0x" + "02".repeat(32), 5_000)),
        Map.of());
    long expectedUnits = baseLoad + Math.min((soldMilli + 999) / 1000, capacity - baseLoad);
    List<Order> next = p.orders(11, 100_000, nonces);
    long bid =
        next.stream()
            .filter(o -> o.kind() == OrderKind.ENERGY_BID)
            .mapToLong(Order::quantity)
            .sum();
    assertThat(bid).isEqualTo(expectedUnits * whPerUnit);
    // Nonces never repeat across rounds.
    assertThat(next).allMatch(o -> first.stream().noneMatch(f -> f.nonce() == o.nonce()));
  }

  @Test
  void aMicrogridOffersItsHourlyProfileAndStoresWhatDidNotSell() {
    long[] profile = new long[24];
    Arrays.fill(profile, 0);
    profile[12] = 10_000;
    Battery battery = new Battery(8_000, 4_000, 4_000, 10_000);
    AgentPolicy.Microgrid g =
        new AgentPolicy.Microgrid(
            new MicrogridAgent(GRID, 0, EnergySource.SOLAR, battery, 9_000),
            profile,
            30_000,
            40_000);
    Nonces nonces = new Nonces(1);
    long noon = 24 * 1000 + 12;
    List<Order> offers = g.orders(noon, 100_000, nonces);
    assertThat(offers)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.kind()).isEqualTo(OrderKind.ENERGY_OFFER);
              assertThat(o.quantity()).isEqualTo(10_000);
              assertThat(o.priceMicros()).isEqualTo(30_000);
              assertThat(o.source()).isEqualTo(EnergySource.SOLAR);
            });
    Map<String, Order> sent = new HashMap<>();
    sent.put("0x" + "0a".repeat(32), offers.get(0));
    // 7 kWh of 10 sold: 3 kWh go into the battery (charge limit 4 kWh).
    g.settled(
        noon,
        List.of(trade(OrderKind.Market.ENERGY, PROVIDER, GRID, "0x" + "0a".repeat(32), 7_000)),
        sent);
    assertThat(battery.stateOfChargeWh()).isEqualTo(3_000);
    // At 13:00 there is no output: only the stored energy is offered, as STORAGE, at 90 % of the
    // forecast price.
    List<Order> later = g.orders(noon + 1, 100_000, nonces);
    assertThat(later)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.source()).isEqualTo(EnergySource.STORAGE);
              assertThat(o.quantity()).isEqualTo(3_000);
              assertThat(o.priceMicros()).isEqualTo(90_000);
            });
    sent.put("0x" + "0b".repeat(32), later.get(0));
    g.settled(
        noon + 1,
        List.of(trade(OrderKind.Market.ENERGY, PROVIDER, GRID, "0x" + "0b".repeat(32), 1_000)),
        sent);
    assertThat(battery.stateOfChargeWh()).isEqualTo(2_000);
  }

  @Test
  void badConfigurationsAreRefused() {
    ProviderAgent agent =
        new ProviderAgent(PROVIDER, 0, 100, 1, new ProviderStrategy.CarbonBlind(), true);
    assertThatThrownBy(() -> new AgentPolicy.Provider(agent, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AgentPolicy.Provider(agent, 4, 5))
        .isInstanceOf(IllegalArgumentException.class);
    MicrogridAgent grid = new MicrogridAgent(GRID, 0, EnergySource.WIND, null, 9_000);
    assertThatThrownBy(() -> new AgentPolicy.Microgrid(grid, new long[23], 1, 0))
        .hasMessageContaining("24 hourly values");
    assertThatThrownBy(() -> new AgentPolicy.Microgrid(grid, new long[24], 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
