package org.cnemarket.engine.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.engine.round.ClearingOutcome;
import org.cnemarket.engine.round.Fill;
import org.cnemarket.engine.round.OpenOrder;
import org.cnemarket.engine.round.PricingRoundClearing;
import org.cnemarket.engine.round.RoundInput;
import org.cnemarket.engine.round.RoundParameters;

class ZonedRoundClearingTest {
  static String addr(int i) {
    return String.format("0x%040x", i + 1);
  }

  /** Energy and compute never trade across zones, and no order is filled beyond its quantity. */
  @Property(tries = 60)
  void noFillCrossesAZone(
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed,
      @ForAll @IntRange(min = 0, max = 1) int compute) {
    Random r = new Random(seed);
    List<OpenOrder> orders = new ArrayList<>();
    Map<String, Order> byId = new HashMap<>();
    int n = 0;
    for (int i = 0; i < 12; i++) {
      long zone = 1 + r.nextInt(3);
      OrderKind kind = OrderKind.values()[r.nextInt(4)];
      Order o =
          new Order(
              kind,
              addr(i % 6),
              100,
              zone,
              1_000 + r.nextInt(50_000),
              10_000 + r.nextInt(200_000),
              kind == OrderKind.ENERGY_OFFER ? EnergySource.WIND : EnergySource.NONE,
              0,
              kind == OrderKind.ENERGY_OFFER ? 11_000 : 0,
              0,
              n,
              0);
      String id = String.format("o%04d", n++);
      orders.add(new OpenOrder(id, o, o.quantity()));
      byId.put(id, o);
    }
    RoundParameters params =
        new RoundParameters("uniform", 500, compute == 1 ? "stackelberg" : "uniform");
    ClearingOutcome out =
        new ZonedRoundClearing(new PricingRoundClearing())
            .clear(new RoundInput(1, 100, orders, Map.of(), params));
    Map<String, Long> filled = new HashMap<>();
    for (Fill f : out.fills()) {
      assertThat(byId.get(f.buyOrderId()).zone()).isEqualTo(byId.get(f.sellOrderId()).zone());
      filled.merge(f.buyOrderId(), f.quantity(), Long::sum);
      filled.merge(f.sellOrderId(), f.quantity(), Long::sum);
    }
    filled.forEach((id, q) -> assertThat(q).isLessThanOrEqualTo(byId.get(id).quantity()));
  }
}
