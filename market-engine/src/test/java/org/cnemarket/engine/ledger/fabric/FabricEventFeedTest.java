package org.cnemarket.engine.ledger.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cnemarket.engine.ledger.LedgerEvent;
import org.cnemarket.engine.ledger.LedgerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Event cursors, the file checkpointer, and resuming after a restart; no network. */
class FabricEventFeedTest {
  @TempDir Path dir;

  private static FakeSubmitter chainWithFiveEvents() {
    FakeSubmitter s = new FakeSubmitter();
    s.emit(3, "BatchSettled", "{\"batchId\":\"0xb1\",\"tradeCount\":2}");
    s.emit(5, "CertificatesIssued", "{\"tradeId\":\"0xt1\",\"holder\":\"0xh\",\"certifiedWh\":100}");
    s.emit(5, "CertificatesIssued", "{\"tradeId\":\"0xt2\",\"holder\":\"0xh\",\"certifiedWh\":0}");
    s.emit(5, "CertificatesRetired", "{\"holder\":\"0xh\",\"slot\":9}");
    s.emit(8, "BatchSettled", "{\"batchId\":\"0xb2\"}");
    return s;
  }

  private static FabricLedger ledgerOver(FakeSubmitter s) {
    return new FabricLedger(s, RetryPolicy.DEFAULT, "cne", d -> {}, () -> 0);
  }

  @Test
  void eventsAreNumberedByBlockAndIndex() throws Exception {
    FabricLedger ledger = ledgerOver(chainWithFiveEvents());

    List<LedgerEvent> all = ledger.events(-1, 100);

    // A delivery report's one chaincode event is DELIVERY_REPORTED, plus CERTIFICATES_ISSUED when
    // green Wh were certified; cursors are block × 10^6 + 2 × index + part.
    assertThat(all).extracting(LedgerEvent::cursor)
        .containsExactly(3_000_000L, 5_000_000L, 5_000_001L, 5_000_002L, 5_000_004L, 8_000_000L);
    assertThat(all.get(0).type()).isEqualTo("BATCH_SETTLED");
    assertThat(all.get(0).key()).isEqualTo("0xb1");
    assertThat(all.get(1).type()).isEqualTo("DELIVERY_REPORTED");
    assertThat(all.get(1).key()).isEqualTo("0xt1");
    assertThat(all.get(2).type()).isEqualTo("CERTIFICATES_ISSUED");
    assertThat(all.get(2).key()).isEqualTo("0xh");
    assertThat(all.get(3).type()).isEqualTo("DELIVERY_REPORTED");
    assertThat(all.get(4).type()).isEqualTo("CERTIFICATES_RETIRED");
    assertThat(all.get(4).key()).isEqualTo("0xh");
    assertThat(all.get(0).payloadJson()).isEqualTo("{\"batchId\":\"0xb1\",\"tradeCount\":2}");
  }

  @Test
  void readingAfterACursorInsideABlockSkipsExactlyThePastEvents() throws Exception {
    FakeSubmitter s = chainWithFiveEvents();
    FabricLedger ledger = ledgerOver(s);

    List<LedgerEvent> next = ledger.events(5_000_000L, 2);

    assertThat(next).extracting(LedgerEvent::cursor).containsExactly(5_000_001L, 5_000_002L);
    assertThat(s.eventReadsFrom).containsExactly(5L);
    assertThat(ledger.events(8_000_000L, 10)).isEmpty();
    // nothing at or past the chain height: no stream is opened at all
    assertThat(s.eventReadsFrom).containsExactly(5L, 8L);
    assertThat(ledger.events(9_000_000L, 10)).isEmpty();
    assertThat(s.eventReadsFrom).hasSize(2);
  }

  @Test
  void feedResumesFromTheFileCheckpointAfterARestart() throws Exception {
    Path file = dir.resolve("state/events.checkpoint.json");
    List<Long> handled = new ArrayList<>();

    FakeSubmitter chain = chainWithFiveEvents();
    try (FabricLedger first = ledgerOver(chain)) {
      FabricEventFeed feed = new FabricEventFeed(first, new FileEventCheckpointer(file));
      assertThat(feed.position()).isEqualTo(-1);
      assertThat(feed.poll(2, e -> handled.add(e.cursor()))).isEqualTo(2);
    }
    assertThat(Files.readString(file)).isEqualTo("{\"blockNumber\":5,\"cursor\":5000000}");

    // "restart": a new ledger connection and a new feed over the same checkpoint file
    try (FabricLedger second = ledgerOver(chain)) {
      FabricEventFeed feed = new FabricEventFeed(second, new FileEventCheckpointer(file));
      assertThat(feed.position()).isEqualTo(5_000_000L);
      assertThat(feed.poll(10, e -> handled.add(e.cursor()))).isEqualTo(4);
      assertThat(feed.poll(10, e -> handled.add(e.cursor()))).isZero();
    }
    assertThat(handled).containsExactly(3_000_000L, 5_000_000L, 5_000_001L, 5_000_002L, 5_000_004L, 8_000_000L);
  }

  @Test
  void aFailingHandlerLeavesItsEventUnCheckpointed() throws Exception {
    Path file = dir.resolve("cp.json");
    FabricEventFeed feed = new FabricEventFeed(ledgerOver(chainWithFiveEvents()), new FileEventCheckpointer(file));
    List<Long> handled = new ArrayList<>();

    assertThatThrownBy(
            () ->
                feed.poll(
                    10,
                    e -> {
                      if (e.cursor() == 5_000_001L) {
                        throw new LedgerException("handler down");
                      }
                      handled.add(e.cursor());
                    }))
        .hasMessage("handler down");

    assertThat(new FileEventCheckpointer(file).load()).hasValue(5_000_000L);
    feed.poll(10, e -> handled.add(e.cursor()));
    assertThat(handled).containsExactly(3_000_000L, 5_000_000L, 5_000_001L, 5_000_002L, 5_000_004L, 8_000_000L);
  }

  @Test
  void corruptCheckpointIsReportedNotIgnored() throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"cursor\":");
    assertThatThrownBy(() -> new FileEventCheckpointer(file).load())
        .isInstanceOf(LedgerException.class)
        .hasMessageContaining("bad.json");
  }
}
