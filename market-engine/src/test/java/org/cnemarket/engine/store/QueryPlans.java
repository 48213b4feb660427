package org.cnemarket.engine.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;

/** H2's plan of a query the store runs, for tests that check it reads an index. */
final class QueryPlans {
  private QueryPlans() {}

  /** {@code query}'s plan, its parameters bound to {@code args} in order. */
  static String of(MarketStore store, String query, List<Object> args) {
    return store
        .database()
        .inTransaction(
            c -> {
              try (PreparedStatement s = c.prepareStatement("EXPLAIN " + query)) {
                Sql.bind(s, args);
                try (ResultSet r = s.executeQuery()) {
                  r.next();
                  return r.getString(1);
                }
              }
            });
  }
}
