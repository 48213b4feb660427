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
      store
          .database()
          .inTransaction(
              c -> {
                store.settings().put("a", "1");
                store.settings().put("b", "2");
                return null;
              });
      assertThat(store.settings().get("a")).contains("1");
      assertThat(store.settings().get("b")).contains("2");
    }
  }

  @Test
  void aFailureAfterAnInnerWriteRollsBackTheInnerWriteToo() throws Exception {
    try (MarketStore store = new MarketStore(Database.openFile(dir, "engine"))) {
      assertThatThrownBy(
              () ->
                  store
                      .database()
                      .inTransaction(
                          c -> {
                            store.settings().put("a", "1");
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
  void anSqlErrorInAnInnerWriteRollsBackTheWholeTransaction() throws Exception {
    try (MarketStore store = new MarketStore(Database.openFile(dir, "engine"))) {
      assertThatThrownBy(
              () ->
                  store
                      .database()
                      .inTransaction(
                          c -> {
                            store.settings().put("a", "1");
                            return store
                                .database()
                                .inTransaction(
                                    "bad statement",
                                    inner -> Sql.number(inner, "SELECT nothing FROM nowhere"));
                          }))
          .isInstanceOf(StoreException.class)
          .hasMessageStartingWith("bad statement: ");
      assertThat(store.settings().get("a")).isEmpty();
    }
  }
}
