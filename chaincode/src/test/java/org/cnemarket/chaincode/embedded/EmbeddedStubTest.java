package org.cnemarket.chaincode.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.shim.ledger.KeyModification;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class EmbeddedStubTest {
  static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  final InMemoryStateStore store = new InMemoryStateStore();

  EmbeddedStub stub(String txId, String... args) {
    return new EmbeddedStub(store, "ch", txId, List.of(args), new byte[] {1}, T0);
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static List<String> keys(QueryResultsIterator<KeyValue> it) {
    List<String> out = new ArrayList<>();
    try (it) {
      it.forEach(kv -> out.add(kv.getKey()));
    }
    return out;
  }

  @Nested
  class State {
    @Test
    void readsSeeCommittedStateOnlyAndTheWriteSetIsOrderedLastWriteWins() {
      store.commit("t0", T0, List.of(Write.put("a", b("1"))));
      EmbeddedStub s = stub("t1");
      s.putState("c", b("3"));
      s.putState("a", b("2"));
      s.putState("b", b("x"));
      s.delState("b");
      assertThat(new String(s.getState("a"), StandardCharsets.UTF_8)).isEqualTo("1");
      assertThat(s.getState("c")).isEmpty();
      assertThat(s.writeSet())
          .containsExactly(Write.put("a", b("2")), Write.delete("b"), Write.put("c", b("3")));
    }

    @Test
    void anEmptyValueIsADeleteAndKeysAreValidated() {
      EmbeddedStub s = stub("t1");
      s.putState("a", new byte[0]);
      assertThat(s.writeSet()).containsExactly(Write.delete("a"));
      assertThatThrownBy(() -> s.putState("", b("x"))).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> s.putState("k", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void rangeQueriesSkipCompositeKeysAndPartialKeysMatchPrefixes() {
      EmbeddedStub w = stub("t0");
      String c1 = w.createCompositeKey("idx", "alice", "1").toString();
      String c2 = w.createCompositeKey("idx", "alice", "2").toString();
      String c3 = w.createCompositeKey("idx", "bob", "1").toString();
      store.commit(
          "t0",
          T0,
          List.of(
              Write.put("a", b("1")),
              Write.put("b", b("2")),
              Write.put("c", b("3")),
              Write.put(c1, b("x")),
              Write.put(c2, b("y")),
              Write.put(c3, b("z"))));
      EmbeddedStub s = stub("t1");
      assertThat(keys(s.getStateByRange("", ""))).containsExactly("a", "b", "c");
      assertThat(keys(s.getStateByRange("b", "c"))).containsExactly("b");
      assertThat(keys(s.getStateByPartialCompositeKey("idx", "alice"))).containsExactly(c1, c2);
      assertThat(keys(s.getStateByPartialCompositeKey(s.createCompositeKey("idx"))))
          .containsExactly(c1, c2, c3);
      assertThat(s.splitCompositeKey(c2).getAttributes()).containsExactly("alice", "2");
      assertThatThrownBy(() -> s.getStateByRange(c1, "")).isInstanceOf(RuntimeException.class);
    }

    @Test
    void closedIteratorsStopIterating() {
      store.commit("t0", T0, List.of(Write.put("a", b("1")), Write.put("b", b("2"))));
      QueryResultsIterator<KeyValue> it = stub("t1").getStateByRange("", "");
      var iter = it.iterator();
      iter.next();
      it.close();
      assertThat(iter.hasNext()).isFalse();
    }

    @Test
    void keysOrderByCodePointLikeUtf8Bytes() {
      // U+FFFF sorts after U+E000 and before U+10000 in UTF-8; String.compareTo disagrees.
      String high = "k\uffff";
      String supplementary = "k" + new String(Character.toChars(0x10000));
      assertThat(StateStore.KEY_ORDER.compare(high, supplementary)).isNegative();
      assertThat(high.compareTo(supplementary)).isPositive();
    }
  }

  @Nested
  class History {
    @Test
    void newestFirstWithDeletes() {
      store.commit("t1", T0, List.of(Write.put("k", b("1"))));
      store.commit("t2", T0.plusSeconds(1), List.of(Write.put("k", b("2"))));
      store.commit("t3", T0.plusSeconds(2), List.of(Write.delete("k")));
      List<KeyModification> mods = new ArrayList<>();
      try (QueryResultsIterator<KeyModification> it = stub("q").getHistoryForKey("k")) {
        it.forEach(mods::add);
      }
      assertThat(mods).extracting(KeyModification::getTxId).containsExactly("t3", "t2", "t1");
      assertThat(mods.get(0).isDeleted()).isTrue();
      assertThat(mods.get(1).getStringValue()).isEqualTo("2");
      assertThat(mods.get(2).getTimestamp()).isEqualTo(T0);
    }
  }

  @Nested
  class Transaction {
    @Test
    void exposesArgumentsIdentityTimeAndOneEvent() {
      EmbeddedStub s = stub("tx9", "escrow:Deposit", "d1", "0xabc");
      assertThat(s.getFunction()).isEqualTo("escrow:Deposit");
      assertThat(s.getParameters()).containsExactly("d1", "0xabc");
      assertThat(s.getStringArgs()).hasSize(3);
      assertThat(s.getArgs()).hasSize(3);
      assertThat(s.getTxId()).isEqualTo("tx9");
      assertThat(s.getChannelId()).isEqualTo("ch");
      assertThat(s.getTxTimestamp()).isEqualTo(T0);
      assertThat(s.getCreator()).containsExactly(1);
      assertThat(s.getTransient()).isEmpty();
      s.setEvent("A", b("1"));
      s.setEvent("B", b("2"));
      assertThat(s.txEvent()).contains(new TxEvent("B", b("2")));
      assertThat(s.getEvent().getEventName()).isEqualTo("B");
    }

    @Test
    void unsupportedFeaturesSayWhat() {
      EmbeddedStub s = stub("t");
      assertThatThrownBy(() -> s.getPrivateData("c", "k"))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("private data");
      assertThatThrownBy(() -> s.getQueryResult("{}"))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("rich queries");
      assertThatThrownBy(() -> s.getStateByRangeWithPagination("a", "b", 1, ""))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("paginated");
      assertThatThrownBy(() -> s.invokeChaincode("x", List.of(), "c"))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("chaincode-to-chaincode");
      assertThatThrownBy(s::getSignedProposal).isInstanceOf(UnsupportedOperationException.class);
    }
  }
}
