package org.cnemarket.engine.publicdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cnemarket.engine.MarketFixture.key;

import java.nio.file.Path;
import java.util.Map;
import org.cnemarket.core.codec.Json;
import org.cnemarket.engine.MarketFixture;
import org.cnemarket.engine.store.RoundHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A round's public figures show the energy mix by source and the batch's Merkle root: from the
 * round's summary, and for a round recorded before the summary carried them, gathered from its
 * trades and batch, with the same result.
 */
class PublicRoundFiguresTest {
  @TempDir Path dir;

  @Test
  void theMixAndTheRootComeFromTheSummaryOrAreGatheredForOlderRounds() throws Exception {
    var grid = key("p-grid");
    var dc = key("p-dc");
    try (MarketFixture f = new MarketFixture(dir)) {
      f.energyOfferAndBid(grid, dc, 40);
      var closed = f.market.closeRound(40);
      long tradedWh = closed.trades().stream().mapToLong(t -> t.quantity()).sum();
      assertThat(tradedWh).isPositive();

      RoundHeader header = f.store.rounds().header(closed.record().round()).orElseThrow();
      Map<String, Object> summary = Json.parseObject(header.summaryJson());
      assertThat(summary)
          .containsEntry("merkleRoot", closed.batch().merkleRoot())
          .containsEntry("energyBySourceWh", Map.of("SOLAR", tradedWh));
      Map<String, Object> fromSummary = new PublicMarketData(f.store).round(header);
      assertThat(fromSummary)
          .containsEntry("merkleRoot", closed.batch().merkleRoot())
          .containsEntry("energyBySourceWh", Map.of("SOLAR", tradedWh));

      // The same round as an older engine recorded it: no mix, no root in its summary.
      summary.remove("merkleRoot");
      summary.remove("energyBySourceWh");
      RoundHeader older =
          new RoundHeader(
              header.round(),
              header.slot(),
              header.batchId(),
              header.tradeCount(),
              Json.write(summary),
              header.inputsHash(),
              header.outputsHash(),
              header.closedAtMillis());
      assertThat(new PublicMarketData(f.store).round(older))
          .containsEntry("merkleRoot", closed.batch().merkleRoot())
          .containsEntry("energyBySourceWh", Map.of("SOLAR", tradedWh));
    }
  }
}
