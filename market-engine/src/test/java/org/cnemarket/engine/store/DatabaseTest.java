package org.cnemarket.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stores of one database share its transactions: an inner one joins the outer one. */
class DatabaseTest {
  @TempDir Path dir;

  @Test
  void writesOfSeveralStoresInOneTransactionCommitTogether() throws Exception {
    try (MarketStore store = new MarketStore(Database.openFile(dir, "engine"))) {
      inOneTransaction(store, () -> store.settings().put("b", "2"));
      assertThat(store.settings().get("a")).contains("1");
      assertThat(store.settings().get("b")).contains("2");
    }
  }

  @Test
  void aFailureAfterAnInnerWriteRollsBackTheInnerWriteToo() throws Exception {
    try (MarketStore store = new MarketStore(Database.openFile(dir, "engine"))) {
      assertThatThrownBy(
              () ->
                  inOneTransaction(
                      store,
                      () -> {
                        throw new IllegalStateException("the use case fails");
                      }))
          .hasMessage("the use case fails");
      assertThat(store.settings().get("a")).isEmpty();
      // The handle is usable afterwards, and a later transaction commits on its own.
      store.settings().put("a", "2");
      assertThat(store.settings().get("a")).contains("2");
    }
  }

  @Test
  void anSqlErrorInAnInnerTransactionRollsBackTheWholeTransaction() throws Exception {
    try (MarketStore store = new MarketStore(Database.openFile(dir, "engine"))) {
      assertThatThrownBy(
              () ->
                  inOneTransaction(
                      store,
                      () ->
                          store
                              .database()
                              .inTransaction(
                                  "bad statement",
                                  c -> Sql.number(c, "SELECT nothing FROM nowhere"))))
          .isInstanceOf(StoreException.class)
          .hasMessageStartingWith("bad statement: ");
      assertThat(store.settings().get("a")).isEmpty();
    }
  }

  /** Writes setting a=1, then runs {@code then}, all in one transaction. */
  private static void inOneTransaction(MarketStore store, Runnable then) {
    store
        .database()
        .inTransaction(
            c -> {
              store.settings().put("a", "1");
              then.run();
              return null;
            });
  }
}
