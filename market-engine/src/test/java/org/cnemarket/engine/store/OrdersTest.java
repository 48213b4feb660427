package org.cnemarket.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
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
      List<String> plans =
          store
              .database()
              .inTransaction(
                  c -> {
                    List<String> out = new ArrayList<>();
                    for (String q : List.of(Orders.LAST_PENDING_SEQ_QUERY, Orders.PENDING_QUERY)) {
                      try (PreparedStatement s = c.prepareStatement("EXPLAIN " + q)) {
                        s.setString(1, LedgerState.PENDING.name());
                        if (q == Orders.PENDING_QUERY) {
                          s.setLong(2, 10);
                          s.setInt(3, 5);
                        }
                        try (ResultSet r = s.executeQuery()) {
                          r.next();
                          out.add(r.getString(1));
                        }
                      }
                    }
                    return out;
                  });
      assertThat(plans)
          .allSatisfy(
              p ->
                  assertThat(p)
                      .as("a range of the index, not a scan of all of it")
                      .contains("ORDERS_LEDGER: LEDGER_STATE = ?1"));
    }
  }
}
