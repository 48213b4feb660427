package org.cnemarket.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.merkle.MerkleTiles;
import org.cnemarket.core.merkle.MerkleTree;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Trade;
import org.cnemarket.core.model.Units;
import org.cnemarket.engine.store.Database;
import org.cnemarket.engine.store.MarketStore;
import org.cnemarket.engine.store.RoundRecord;
import org.cnemarket.engine.store.RoundTrees;

/**
 * Latency of a trade's Merkle proof from the engine database at large rounds. One round of {@code
 * --trades} trades is closed through the engine's store ({@code Rounds.commit}: the trades, their
 * leaves and the round's stored tree in one transaction, as the engine closes a round; no REST
 * intake), then:
 *
 * <ol>
 *   <li>what the tree adds to the commit: the same tree dropped and stored again through the path a
 *       round closed before trees were stored takes (reading the round's leaves, hashing, writing
 *       the tiles), less the time to read the leaves, measured alone; and the bytes stored;
 *   <li>cold proofs: {@code --cold} fresh JVMs, each opening the database, reading the proofs an
 *       engine reads before it listens ({@code --warm-up}, by default {@link
 *       RoundTrees#START_WARM_UP_PROOFS}; 0 for none) and timing its first proof of a random trade
 *       (the operating system's file cache is not dropped);
 *   <li>warm proofs: {@code --proofs} random trades in this JVM after reopening the database;
 *   <li>trade pages as the API lists them, newest first: the first page and one half-way.
 * </ol>
 *
 * With {@code --reuse} a round stored in {@code --data} by an earlier run is measured again.
 *
 * <p>Every proof is checked against the root of {@link MerkleTree} over the round's leaves,
 * computed here apart from the store.
 *
 * <pre>
 * java -Xmx8g -cp tests/target/benchmarks.jar org.cnemarket.bench.ProofLatency --trades 1000000
 * </pre>
 */
public final class ProofLatency {
  private static final long ROUND = 1;
  private static final int PAGE = 50;
  private static final String BUYER = "0x" + "b1".repeat(20);
  private static final String SELLER = "0x" + "5e".repeat(20);

  private ProofLatency() {}

  /** Trade {@code i} of the benchmark's round: the same in every JVM, found by its id. */
  static Trade trade(int i) {
    String buy = Hex.encode(Keccak.hash("bench-buy-" + i));
    String sell = Hex.encode(Keccak.hash("bench-sell-" + (i / 4)));
    long q = 1_000 + i % 9_000;
    long p = 40_000 + i % 20_000;
    return new Trade(
        Trade.tradeId(buy, sell, ROUND, i),
        ROUND,
        500_000,
        OrderKind.Market.ENERGY,
        buy,
        sell,
        BUYER,
        SELLER,
        q,
        p,
        Units.amountMicros(q, p),
        i % 2 == 0 ? q : 0,
        3 * q);
  }

  public static void main(String[] args) throws Exception {
    int n = 1_000_000;
    int proofs = 1_000;
    int cold = 5;
    Path dir = null;
    String coldTrade = null;
    boolean reuse = false;
    int warmUp = RoundTrees.START_WARM_UP_PROOFS;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--trades" -> n = Integer.parseInt(args[++i]);
        case "--proofs" -> proofs = Integer.parseInt(args[++i]);
        case "--cold" -> cold = Integer.parseInt(args[++i]);
        case "--data" -> dir = Path.of(args[++i]);
        case "--cold-proof" -> coldTrade = args[++i];
        case "--warm-up" -> warmUp = Integer.parseInt(args[++i]);
        case "--reuse" -> reuse = true;
        default -> {
          System.err.println(
              "usage: ProofLatency [--trades 1000000] [--proofs 1000] [--cold 5] [--warm-up "
                  + RoundTrees.START_WARM_UP_PROOFS
                  + "] [--data DIR [--reuse]]");
          System.exit(2);
        }
      }
    }
    if (coldTrade != null) {
      coldProof(dir, Integer.parseInt(coldTrade), warmUp);
      return;
    }
    if (n < 1 || proofs < 1 || cold < 0) {
      System.err.println("ProofLatency: --trades and --proofs positive, --cold not negative");
      System.exit(2);
    }
    dir =
        dir == null ? Files.createTempDirectory("cne-proof-latency") : Files.createDirectories(dir);
    System.out.printf("round of %,d trades in %s%n", n, dir);

    if (reuse && Files.isRegularFile(dir.resolve("root.hex"))) {
      try (MarketStore store = new MarketStore(Database.openFile(dir, "engine"))) {
        n = leafCount(store);
      }
      System.out.printf("the round of %,d trades stored by an earlier run, reused%n", n);
    } else {
      buildRound(dir, n);
    }
    byte[] root = Hex.decode(Files.readString(dir.resolve("root.hex")).trim());

    // Cold: a fresh JVM opens the database and asks one proof.
    Random random = new Random(42);
    List<Double> coldMillis = new ArrayList<>();
    for (int k = 0; k < cold; k++) {
      int pick = random.nextInt(n);
      Process p =
          new ProcessBuilder(
                  ProcessHandle.current().info().command().orElse("java"),
                  "-cp",
                  System.getProperty("java.class.path"),
                  ProofLatency.class.getName(),
                  "--data",
                  dir.toString(),
                  "--cold-proof",
                  Integer.toString(pick),
                  "--warm-up",
                  Integer.toString(warmUp))
              .redirectErrorStream(true)
              .start();
      String last = null;
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          last = line;
        }
      }
      if (p.waitFor() != 0 || last == null || !last.startsWith("cold ")) {
        throw new IllegalStateException("cold proof run failed: " + last);
      }
      System.out.println(last);
      coldMillis.add(Double.parseDouble(last.split(" ")[2]));
    }

    // Warm: one JVM, the database reopened, random trades.
    double[] warm = new double[proofs];
    double[] warmCpu = new double[proofs];
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double firstAfterOpen;
    double[] pages = new double[20];
    double deepPage;
    try (MarketStore store = new MarketStore(Database.openFile(dir, "engine"))) {
      int pick = random.nextInt(n);
      long f0 = System.nanoTime();
      check(store.trees().proof(trade(pick).tradeId()).orElseThrow(), root, pick);
      firstAfterOpen = (System.nanoTime() - f0) / 1e6;
      for (int k = 0; k < proofs; k++) {
        pick = random.nextInt(n);
        String id = trade(pick).tradeId();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long w0 = System.nanoTime();
        RoundTrees.StoredProof proof = store.trees().proof(id).orElseThrow();
        warm[k] = (System.nanoTime() - w0) / 1e6;
        warmCpu[k] = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6;
        check(proof, root, pick);
      }
      // Trade pages as the API serves them, newest first: the first page, and one half-way.
      for (int k = 0; k < pages.length; k++) {
        long t0 = System.nanoTime();
        int got = store.trades().list(null, null, 0, Long.MAX_VALUE, 0, PAGE).size();
        pages[k] = (System.nanoTime() - t0) / 1e6;
        if (got != Math.min(PAGE, n)) {
          throw new IllegalStateException("a page of " + got + " trades");
        }
      }
      long d0 = System.nanoTime();
      store.trades().list(null, null, 0, Long.MAX_VALUE, n / 2, PAGE);
      deepPage = (System.nanoTime() - d0) / 1e6;
    }
    Arrays.sort(pages);
    Arrays.sort(warm);
    Arrays.sort(warmCpu);
    double[] coldSorted = coldMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (coldSorted.length > 0) {
      System.out.printf(
          "cold (fresh JVM, first proof), %d runs: p50 %.2f ms, max %.2f ms%n",
          coldSorted.length, coldSorted[coldSorted.length / 2], coldSorted[coldSorted.length - 1]);
    }
    System.out.printf(
        "warm, %d random trades after reopening (first %.2f ms): p50 %.3f ms, p99 %.3f ms,"
            + " max %.3f ms; every proof verified%n",
        proofs,
        firstAfterOpen,
        warm[proofs / 2],
        warm[Math.min(proofs - 1, (int) Math.ceil(proofs * 0.99) - 1)],
        warm[proofs - 1]);
    System.out.printf(
        "warm, CPU time of the asking thread: p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
        warmCpu[proofs / 2],
        warmCpu[Math.min(proofs - 1, (int) Math.ceil(proofs * 0.99) - 1)],
        warmCpu[proofs - 1]);
    System.out.printf(
        "trade pages of %d, newest first: first page p50 %.2f ms, max %.2f ms; at offset %,d %.1f"
            + " ms%n",
        PAGE, pages[pages.length / 2], pages[pages.length - 1], n / 2, deepPage);
  }

  /** Closes a round of {@code n} trades through the store, as the engine closes one. */
  private static void buildRound(Path dir, int n) throws Exception {
    // The round, closed through the store as the engine closes one.
    long t0 = System.nanoTime();
    List<Trade> trades = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      trades.add(trade(i));
    }
    long made = System.nanoTime() - t0;
    byte[] root;
    long tilesNanos;
    {
      long h0 = System.nanoTime();
      List<byte[]> leaves = new ArrayList<>(n);
      for (Trade t : trades) {
        leaves.add(t.leaf());
      }
      root = MerkleTree.of(leaves).root();
      long h1 = System.nanoTime();
      MerkleTiles tiles = MerkleTiles.of(leaves);
      long h2 = System.nanoTime();
      tilesNanos = h2 - h1;
      System.out.printf(
          "made in %.1f s; in memory: leaves + MerkleTree %.2f s, MerkleTiles %.2f s (%d tiles)%n",
          made / 1e9, (h1 - h0) / 1e9, (h2 - h1) / 1e9, tiles.tiles().size());
    }
    Files.writeString(dir.resolve("root.hex"), Hex.encode(root));
    long commitNanos;
    try (MarketStore store = new MarketStore(Database.openFile(dir, "engine"))) {
      long c0 = System.nanoTime();
      store
          .rounds()
          .commit(
              new RoundRecord(
                  ROUND,
                  500_000,
                  Hex.encode(Keccak.hash("bench-batch")),
                  n,
                  "{}",
                  "{}",
                  "{}",
                  Hex.encode(Keccak.hash("inputs")),
                  Hex.encode(Keccak.hash("outputs")),
                  System.currentTimeMillis()),
              trades,
              List.of(),
              // The batch's JSON (about 1 KB per trade) is left out: a proof never reads it.
              "{}",
              System.currentTimeMillis());
      commitNanos = System.nanoTime() - c0;
    }
    trades = null;
    System.out.printf(
        "commit (trades, leaves, tree, one transaction): %.2f s%n", commitNanos / 1e9);

    // What the tree adds to the commit: the same tree built and stored in a transaction of its
    // own, into a database of its own (the benchmark's round keeps the tree of its commit).
    RoundTrees.TreeInfo info;
    long storeNanos;
    try (MarketStore store = new MarketStore(Database.openFile(dir, "engine"));
        MarketStore scratch = new MarketStore(Database.openFile(dir, "tree-only"))) {
      info = store.trees().info(ROUND).orElseThrow();
      List<byte[]> leaves = store.trades().leavesOfRound(ROUND);
      long s0 = System.nanoTime();
      long bytes = scratch.trees().store(ROUND, leaves);
      storeNanos = System.nanoTime() - s0;
      if (leaves.size() != n || bytes != info.bytes()) {
        throw new IllegalStateException("the tree stored again differs");
      }
    }
    System.out.printf(
        "tree: %,d bytes in %,d tiles + leaf nodes (%.1f B per trade); built and stored in"
            + " %.2f s (of which hashing in memory, above, %.2f s)%n",
        info.bytes(), info.tiles(), info.bytes() / (double) n, storeNanos / 1e9, tilesNanos / 1e9);
  }

  private static void coldProof(Path dir, int pick, int warmUp) throws Exception {
    byte[] root = Hex.decode(Files.readString(dir.resolve("root.hex")).trim());
    String id = trade(pick).tradeId();
    long o0 = System.nanoTime();
    try (MarketStore store = new MarketStore(Database.openFile(dir, "engine"))) {
      // What the engine does before it listens: a spread of proofs of the newest round.
      long w0 = System.nanoTime();
      int warmed = store.trees().warmUp(warmUp);
      long p0 = System.nanoTime();
      RoundTrees.StoredProof proof = store.trees().proof(id).orElseThrow();
      long p1 = System.nanoTime();
      check(proof, root, pick);
      // A second trade in the same JVM: its rows are as cold, the code is loaded.
      int other = (pick + 1 + new Random(pick).nextInt(Integer.MAX_VALUE - 1)) % leafCount(store);
      long q0 = System.nanoTime();
      RoundTrees.StoredProof second = store.trees().proof(trade(other).tradeId()).orElseThrow();
      long q1 = System.nanoTime();
      check(second, root, other);
      System.out.printf(
          "cold proof: %.2f ms (trade %d, %d hashes; opening the database %.0f ms, warm-up of %d"
              + " proofs %.0f ms; a second trade %.2f ms)%n",
          (p1 - p0) / 1e6,
          pick,
          proof.proof().size(),
          (w0 - o0) / 1e6,
          warmed,
          (p0 - w0) / 1e6,
          (q1 - q0) / 1e6);
    }
  }

  private static int leafCount(MarketStore store) {
    return store.trees().info(ROUND).orElseThrow().leaves();
  }

  private static void check(RoundTrees.StoredProof p, byte[] root, int index) {
    if (p.index() != index
        || !Arrays.equals(p.root(), root)
        || !MerkleTree.verify(p.proof(), root, trade(index).leaf())) {
      throw new IllegalStateException("the proof of trade " + index + " does not verify");
    }
  }
}
