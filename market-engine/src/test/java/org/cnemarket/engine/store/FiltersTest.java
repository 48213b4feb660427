package org.cnemarket.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cnemarket.engine.MarketFixture.key;
import static org.cnemarket.engine.MarketFixture.order;
import static org.cnemarket.engine.MarketFixture.registration;
import static org.cnemarket.engine.MarketFixture.signed;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.Trade;
import org.cnemarket.engine.MarketFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trades filter by participant, market and slot range; orders by trader and kind. */
class FiltersTest {
  @TempDir Path dir;

  @Test
  void tradesAndOrdersFilterByKind() throws Exception {
    var grid = key("f-grid");
    var dc = key("f-dc");
    var user = key("f-user");
    try (MarketFixture f = new MarketFixture(dir)) {
      f.market.register(registration(grid, Role.MICROGRID, "grid"));
      f.market.register(registration(dc, Role.PROVIDER, "dc"));
      f.market.register(registration(user, Role.USER, "user"));
      f.market.deposit("d1", dc.address(), 50_000_000);
      f.market.deposit("d2", user.address(), 50_000_000);
      f.market.submitOrder(
          signed(order(OrderKind.ENERGY_OFFER, grid, 40, 60_000, 70_000, 1), grid));
      f.market.submitOrder(signed(order(OrderKind.ENERGY_BID, dc, 40, 50_000, 150_000, 1), dc));
      f.market.submitOrder(signed(order(OrderKind.COMPUTE_OFFER, dc, 40, 20_000, 20_000, 2), dc));
      f.market.submitOrder(
          signed(order(OrderKind.COMPUTE_DEMAND, user, 40, 10_000, 900_000, 1), user));
      f.market.closeRound(40);

      var energy = f.store.trades().list(null, "ENERGY", 0, Long.MAX_VALUE, 0, 100);
      var compute = f.store.trades().list(dc.address(), "COMPUTE", 40, 40, 0, 100);
      assertThat(energy).isNotEmpty().allMatch(t -> t.market() == OrderKind.Market.ENERGY);
      assertThat(compute)
          .isNotEmpty()
          .allMatch(t -> t.market() == OrderKind.Market.COMPUTE)
          .allMatch(t -> t.seller().equals(dc.address()));
      assertThat(f.store.trades().list(dc.address(), null, 41, 50, 0, 100)).isEmpty();
      assertThat(f.store.trades().list(null, null, 0, Long.MAX_VALUE, 0, 100))
          .extracting(Trade::tradeId)
          .containsExactlyInAnyOrderElementsOf(
              Stream.concat(
                      energy.stream(),
                      f.store.trades().list(null, "COMPUTE", 0, Long.MAX_VALUE, 0, 100).stream())
                  .map(Trade::tradeId)
                  .toList());
      assertThat(f.store.orders().of(dc.address(), "ENERGY_BID", 0, 100))
          .hasSize(1)
          .allMatch(o -> o.signed().order().kind() == OrderKind.ENERGY_BID);
      assertThat(f.store.orders().of(dc.address(), null, 0, 100)).hasSize(2);
    }
  }
}
