package org.cnemarket.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OrdersTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  /**
   * The ledger feed asks these on every flush, while the orders table only grows: a full scan would
   * make each flush slower with every order ever taken.
   */
  @Test
  void theLedgerFeedsQueriesReadTheLedgerStateIndexNotTheTable() throws Exception {
    try (MarketStore store =
        new MarketStore(Db.openMemory("orders-plan-" + DATABASES.incrementAndGet()))) {
      String pending = LedgerState.PENDING.name();
      List<String> plans =
          List.of(
              QueryPlans.of(store, Orders.LAST_PENDING_SEQ_QUERY, List.of(pending)),
              QueryPlans.of(store, Orders.PENDING_QUERY, List.of(pending, 10L, 5)));
      assertThat(plans)
          .allSatisfy(
              p ->
                  assertThat(p)
                      .as("a range of the index, not a scan of all of it")
                      .contains("ORDERS_LEDGER: LEDGER_STATE = ?1"));
    }
  }
}
