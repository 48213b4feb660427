package org.cnemarket.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cnemarket.engine.MarketFixture.DOMAIN;
import static org.cnemarket.engine.MarketFixture.key;
import static org.cnemarket.engine.MarketFixture.order;
import static org.cnemarket.engine.MarketFixture.signed;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.engine.store.Orders.IntakeOrder;
import org.junit.jupiter.api.Test;

class OrdersTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  /**
   * The ledger feed asks these on every flush, while the orders table only grows: a full scan, or a
   * scan of every order still marked PENDING below the feed's mark, would make each flush slower
   * with every order ever taken.
   */
  @Test
  void theLedgerFeedsQueriesReadTheRangeAboveTheMarkNotTheTable() throws Exception {
    try (MarketStore store =
        new MarketStore(Db.openMemory("orders-plan-" + DATABASES.incrementAndGet()))) {
      String pending = LedgerState.PENDING.name();
      List<String> plans =
          List.of(
              QueryPlans.of(store, Orders.LAST_PENDING_SEQ_QUERY, List.of(pending, 3L)),
              QueryPlans.of(store, Orders.PENDING_QUERY, List.of(pending, 3L, 10L, 5)),
              QueryPlans.of(store, Orders.PENDING_COUNT_QUERY, List.of(pending, 3L)));
      assertThat(plans)
          .allSatisfy(
              p ->
                  assertThat(p)
                      .as("a range of the index, not a scan of all of it")
                      .containsPattern("ORDERS_BY_SEQ:[^*]*SEQ > \\?2"));
    }
  }

  /**
   * A round's close reads its open orders through the state's status index, and each order's row,
   * body and state by key; one order by id likewise: never a scan of every order ever taken.
   */
  @Test
  void ordersAreReadByIndexAndTheirBodiesAndStatesByKey() throws Exception {
    try (MarketStore store =
        new MarketStore(Db.openMemory("orders-plan-" + DATABASES.incrementAndGet()))) {
      String open =
          QueryPlans.of(
              store,
              Orders.SELECT_ORDERS + Orders.OPEN_FOR,
              List.of(OrderStatus.OPEN.name(), 5L, 5L));
      assertThat(open)
          .contains("ORDER_STATE_OPEN")
          .contains("ORDERS_BY_SEQ: SEQ = S.SEQ")
          .doesNotContain("ORDER_BODIES");
      String one = QueryPlans.of(store, Orders.SELECT_ORDERS + Orders.BY_ID, List.of(1L, "0x01"));
      assertThat(one)
          .contains("ORDERS_KEY: ORDER_KEY = ?1")
          .containsPattern("PRIMARY_KEY_\\w+: SEQ = O.SEQ")
          .doesNotContain("tableScan");
    }
  }

  /**
   * The same queries over a table of thousands of orders, all on the ledger. H2 chooses plans by
   * row counts and statistics (with the bodies joined, it chose at 10^5 orders to scan every body
   * on each flush of the feed); the feed's query has the orders as its only table, so no plan can
   * start anywhere else.
   */
  @Test
  void overThousandsOfOrdersTheQueriesStillReadByIndexAndKey() throws Exception {
    try (MarketStore store =
        new MarketStore(Db.openMemory("orders-plan-" + DATABASES.incrementAndGet()))) {
      var grid = key("plan-grid");
      List<IntakeOrder> group = new ArrayList<>();
      for (int nonce = 1; nonce <= 3_000; nonce++) {
        SignedOrder so = signed(order(OrderKind.ENERGY_OFFER, grid, 7, 1_000, 50_000, nonce), grid);
        group.add(new IntakeOrder(so.id(DOMAIN), so, 0, false));
      }
      assertThat(store.orders().accept(group, 1_000)).containsOnlyNulls();
      long last = store.orders().lastPendingSeq();
      store.orders().recordOnLedger(last, Map.of());
      String pending = LedgerState.PENDING.name();
      assertThat(QueryPlans.of(store, Orders.PENDING_QUERY, List.of(pending, last, last, 2000)))
          .containsPattern("FROM \"PUBLIC\".\"ORDERS\" \"O\"\\s*/\\* PUBLIC.ORDERS_BY_SEQ")
          .doesNotContain("tableScan");
      assertThat(
              QueryPlans.of(
                  store,
                  Orders.SELECT_ORDERS + Orders.OPEN_FOR,
                  List.of(OrderStatus.OPEN.name(), 7L, 7L)))
          .contains("ORDER_STATE_OPEN")
          .doesNotContain("tableScan");
      // Taken in one group (the same millisecond), they come oldest first and then by id: the
      // order the clearing sees, whatever order H2 streams them in.
      List<StoredOrder> open = store.orders().openFor(7);
      assertThat(open).hasSize(3_000);
      assertThat(open)
          .isSortedAccordingTo(
              Comparator.comparingLong(StoredOrder::acceptedAtMillis)
                  .thenComparing(StoredOrder::orderId));
      assertThat(open.get(0).orderId()).isNotEqualTo(group.get(0).orderId());
    }
  }

  /** Orders are found by a 64-bit key of their id; two ids that share it are still told apart. */
  @Test
  void ordersWhoseIdsShareAKeyAreEachFoundByTheirOwnId() throws Exception {
    try (MarketStore store =
        new MarketStore(Db.openMemory("orders-key-" + DATABASES.incrementAndGet()))) {
      var grid = key("key-grid");
      String prefix = "0x" + "ab".repeat(8);
      List<IntakeOrder> group = new ArrayList<>();
      for (int nonce = 1; nonce <= 3; nonce++) {
        SignedOrder so = signed(order(OrderKind.ENERGY_OFFER, grid, 7, 1_000, 50_000, nonce), grid);
        group.add(new IntakeOrder(prefix + String.format("%048x", nonce), so, 0, false));
      }
      assertThat(store.orders().accept(group, 1_000)).containsOnlyNulls();
      assertThat(group.stream().map(io -> Orders.key(io.orderId())).distinct()).hasSize(1);
      for (IntakeOrder io : group) {
        assertThat(store.orders().get(io.orderId()))
            .hasValueSatisfying(o -> assertThat(o.signed()).isEqualTo(io.signed()));
      }
      assertThat(store.orders().get(prefix + String.format("%048x", 4))).isEmpty();
    }
  }
}
