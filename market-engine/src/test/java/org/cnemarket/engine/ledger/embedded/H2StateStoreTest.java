package org.cnemarket.engine.ledger.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import org.cnemarket.chaincode.embedded.StateStore;
import org.cnemarket.chaincode.embedded.Write;
import org.cnemarket.engine.store.Db;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded ledger's world state and key history in H2. */
class H2StateStoreTest {
  @TempDir Path dir;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> values(List<StateStore.HistoryEntry> history) {
    return history.stream()
        .map(h -> h.isDelete() ? "deleted" : new String(h.value(), StandardCharsets.UTF_8))
        .toList();
  }

  @Nested
  class History {
    @Test
    void aKeysHistoryIsItsWritesInOrderAndNoOtherKeys() throws Exception {
      try (Connection c = Db.openFile(dir, "ledger", true)) {
        H2StateStore store = new H2StateStore(c);
        Instant t = Instant.ofEpochMilli(1_000);
        store.commit(
            "tx1", t, List.of(Write.put("order/a", utf8("1")), Write.put("order/b", utf8("x"))));
        store.commit("tx2", t, List.of(Write.put("order/a", utf8("2"))));
        store.commit("tx3", t, List.of(Write.delete("order/a")));
        c.commit();
        assertThat(values(store.history("order/a"))).containsExactly("1", "2", "deleted");
        assertThat(store.history("order/a"))
            .extracting(StateStore.HistoryEntry::txId)
            .containsExactly("tx1", "tx2", "tx3");
        assertThat(values(store.history("order/b"))).containsExactly("x");
        assertThat(store.history("order/c")).isEmpty();
        assertThat(store.get("order/a")).isNull();
      }
    }
  }
}
