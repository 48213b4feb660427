package org.cnemarket.load;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.ToLongFunction;
import org.cnemarket.core.client.MarketClient;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.merkle.MerkleTree;
import org.cnemarket.core.model.Trade;

/**
 * One round at one scale on a fresh engine: N pre-signed orders for one slot over REST, the round
 * closed without settlement, then settled, then proofs of random trades fetched and checked against
 * the root the ledger holds. Times each phase; reads the engine's peak RSS and its bytes on disk.
 */
final class RoundRun {
  private final EngineProcess engine;
  private final PrintWriter out;

  RoundRun(EngineProcess engine, PrintWriter out) {
    this.engine = engine;
    this.out = out;
  }

  /** Everything one run measured; times in nanoseconds, sizes in bytes. */
  record Figures(
      int orders,
      int accepted,
      long trades,
      long intakeNanos,
      long closeNanos,
      long settleNanos,
      long firstProofNanos,
      long proofP50Nanos,
      long proofMaxNanos,
      boolean proofsVerified,
      long peakRssBytes,
      long engineBytes,
      long ledgerBytes,
      String loadAverage) {
    long endToEndNanos() {
      return closeNanos + settleNanos + firstProofNanos;
    }

    String line() {
      return String.format(
          Locale.ROOT,
          "scale %d: %d accepted in %.1f s (%.0f /s); %d trades; close (clear+commit) %.2f s,"
              + " settle %.2f s, first proof %.0f ms, end to end %.2f s; proof p50 %.1f ms, max %.1f ms, verified %s;"
              + " peak RSS %s; disk engine %s + ledger %s = %s per order; load average %s",
          orders,
          accepted,
          intakeNanos / 1e9,
          accepted * 1e9 / intakeNanos,
          trades,
          closeNanos / 1e9,
          settleNanos / 1e9,
          firstProofNanos / 1e6,
          endToEndNanos() / 1e9,
          proofP50Nanos / 1e6,
          proofMaxNanos / 1e6,
          proofsVerified,
          peakRssBytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f MB", peakRssBytes / 1e6),
          mb(engineBytes),
          mb(ledgerBytes),
          accepted == 0
              ? "n/a"
              : String.format(Locale.ROOT, "%.1f KB", (engineBytes + ledgerBytes) / 1e3 / accepted),
          loadAverage);
    }

    private static String mb(long b) {
      return String.format(Locale.ROOT, "%.1f MB", b / 1e6);
    }

    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("orders", (long) orders);
      m.put("accepted", (long) accepted);
      m.put("trades", trades);
      m.put("intakeMillis", intakeNanos / 1_000_000);
      m.put("closeMillis", closeNanos / 1_000_000);
      m.put("settleMillis", settleNanos / 1_000_000);
      m.put("firstProofMillis", firstProofNanos / 1_000_000);
      m.put("endToEndMillis", endToEndNanos() / 1_000_000);
      m.put("proofP50Micros", proofP50Nanos / 1000);
      m.put("proofMaxMicros", proofMaxNanos / 1000);
      m.put("proofsVerified", proofsVerified);
      m.put("peakRssBytes", peakRssBytes);
      m.put("engineBytes", engineBytes);
      m.put("ledgerBytes", ledgerBytes);
      m.put("loadAverage", loadAverage);
      return m;
    }
  }

  Figures run(int n, long seed, int participants, int connections, int proofCount, int batch)
      throws Exception {
    String url = engine.baseUrl();
    LoadHarness.Market market = LoadHarness.Market.of(url);
    int microgrids = Math.max(1, participants / 2);
    int providers = Math.max(1, participants - microgrids);
    Population pop =
        Population.enrol(
            url,
            engine.operatorToken(),
            market.domain(),
            seed,
            microgrids,
            providers,
            PreparedOrder.providerDepositMicros(n, providers));
    long slot = market.openSlot();
    List<PreparedOrder> orders = PreparedOrder.prepare(pop, market.domain(), seed, slot, 0, n);
    out.printf(
        Locale.ROOT,
        "scale %d: %d participants, %d orders signed for slot %d%n",
        n,
        pop.size(),
        n,
        slot);
    out.flush();

    RestLoad.Result intake;
    try (RestLoad load = new RestLoad()) {
      intake = load.run(url, orders, connections, Duration.ofHours(4), batch);
    }
    if (!intake.refusals().isEmpty()) {
      out.println("  refused during intake: " + intake.refusals());
    }
    try (MarketClient op =
        MarketClient.connect(url, Duration.ofHours(2)).withBearer(engine.operatorToken())) {
      long t0 = System.nanoTime();
      Fields round = op.post("/v1/rounds", Map.of("slot", slot, "settle", false));
      long closeNanos = System.nanoTime() - t0;
      long roundNo = round.longValue("round");
      long trades = round.longValue("trades");
      String batchId = round.string("batchId");

      t0 = System.nanoTime();
      op.post("/v1/settlement/run", Map.of());
      // The engine's own settlement timer may have taken the batch first: wait for the state, not
      // the call.
      while (!"SETTLED".equals(op.get("/v1/rounds/" + roundNo).string("settlement", ""))) {
        if (System.nanoTime() - t0 > Duration.ofHours(2).toNanos()) {
          throw new IllegalStateException("round " + roundNo + " did not settle within 2 h");
        }
        Thread.sleep(20);
      }
      long settleNanos = System.nanoTime() - t0;

      long firstProof = 0;
      List<Long> proofTimes = new ArrayList<>();
      boolean verified = trades > 0;
      if (trades > 0) {
        byte[] root = Hex.decode(op.get("/v1/ledger/batches/" + batchId).string("merkleRoot"));
        Random rnd = new Random(seed);
        for (int k = 0; k <= proofCount; k++) {
          long offset = k == 0 ? 0 : rnd.nextLong(trades);
          Fields item =
              Fields.of(
                  op.get(
                          "/v1/trades?fromSlot="
                              + slot
                              + "&toSlot="
                              + slot
                              + "&offset="
                              + offset
                              + "&limit=1")
                      .list("items")
                      .get(0),
                  "trade");
          Trade t = RecordCodec.trade(item);
          long p0 = System.nanoTime();
          Fields p = op.get("/v1/trades/" + t.tradeId() + "/proof");
          long took = System.nanoTime() - p0;
          List<byte[]> proof = p.list("proof").stream().map(x -> Hex.decode((String) x)).toList();
          verified &= MerkleTree.verify(proof, root, t.leaf());
          if (k == 0) {
            firstProof = took;
          } else {
            proofTimes.add(took);
          }
        }
      }
      long[] sorted = proofTimes.stream().mapToLong(Long::longValue).sorted().toArray();
      EngineProcess.DiskUse disk = engine.diskUse();
      return new Figures(
          n,
          intake.accepted(),
          trades,
          intake.windowNanos(),
          closeNanos,
          settleNanos,
          firstProof,
          RestLoad.percentile(sorted, 0.5),
          sorted.length == 0 ? 0 : sorted[sorted.length - 1],
          verified,
          engine.peakRssBytes().orElse(-1L),
          disk.engineBytes(),
          disk.ledgerBytes(),
          LoadHarness.loadAverage());
    }
  }

  /**
   * Growth exponents k in t ~ N^k: between consecutive scales and fitted over all of them (least
   * squares on log t against log N), for end to end and for each phase.
   */
  static List<Map<String, Object>> growth(List<Figures> runs) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (runs.size() < 2) {
      return out;
    }
    Map<String, ToLongFunction<Figures>> phases = new LinkedHashMap<>();
    phases.put("endToEnd", Figures::endToEndNanos);
    phases.put("intake", Figures::intakeNanos);
    phases.put("close", Figures::closeNanos);
    phases.put("settle", Figures::settleNanos);
    phases.put("peakRss", Figures::peakRssBytes);
    for (var e : phases.entrySet()) {
      double[] x = runs.stream().mapToDouble(f -> Math.log(f.orders())).toArray();
      double[] y =
          runs.stream()
              .mapToDouble(f -> Math.log(Math.max(1, e.getValue().applyAsLong(f))))
              .toArray();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("of", e.getKey());
      List<String> steps = new ArrayList<>();
      for (int i = 1; i < x.length; i++) {
        steps.add(
            String.format(
                Locale.ROOT,
                "%d->%d: %.2f",
                runs.get(i - 1).orders(),
                runs.get(i).orders(),
                (y[i] - y[i - 1]) / (x[i] - x[i - 1])));
      }
      m.put("steps", steps);
      m.put("fitted", String.format(Locale.ROOT, "%.2f", slope(x, y)));
      out.add(m);
    }
    return out;
  }

  private static double slope(double[] x, double[] y) {
    double mx = 0;
    double my = 0;
    for (int i = 0; i < x.length; i++) {
      mx += x[i] / x.length;
      my += y[i] / y.length;
    }
    double num = 0;
    double den = 0;
    for (int i = 0; i < x.length; i++) {
      num += (x[i] - mx) * (y[i] - my);
      den += (x[i] - mx) * (x[i] - mx);
    }
    return num / den;
  }
}
