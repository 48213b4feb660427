package org.cnemarket.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.NetSettlement;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Trade;
import org.cnemarket.core.model.Units;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.ledger.fabric.FabricLedger;

/**
 * Throughput of the Fabric ledger through the engine's own adapter ({@link FabricLedger} on
 * fabric-gateway), on a live network:
 *
 * <ul>
 *   <li>baseline: one transaction per trade-sized write ({@code escrow:Deposit}, one account per
 *       client so clients never conflict) from 1, 2, 4, ... concurrent clients, each sending its
 *       next transaction when the previous one committed, for {@code --seconds} per level; TPS and
 *       commit latency p50/p99;
 *   <li>batched: one settlement batch of N energy trades between {@code --orders} bids and as many
 *       offers, settled as the engine settles a round (the trades checked against their signed
 *       orders and reduced to the batch header and one net movement per order, which is what the
 *       transaction carries), timed from the call to the commit; trades per second.
 * </ul>
 *
 * <p>With {@code --ledger-dir} (a peer's ledger folder) it also prints how much that folder grew
 * per accepted order and per settled trade.
 *
 * <pre>
 * java -cp tests/target/benchmarks.jar org.cnemarket.bench.FabricLoadDriver \
 *     --profile network-config/fabric/build/profiles/engine-platform.json \
 *     --seconds 15 --concurrency 1,2,4,8,16,32,64 --batches 1000,10000
 * </pre>
 */
public final class FabricLoadDriver {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long SLOT = BenchOrders.SLOT;
  private static final long WH_PER_TRADE = 1_000;
  private static final long PRICE_MICROS = BenchOrders.PRICE_MICROS;

  private final Path profile;
  private final Eip712.Domain domain;

  private final int ordersPerSide;
  private final Path ledgerDir;

  private FabricLoadDriver(Path profile, long chainId, int ordersPerSide, Path ledgerDir) {
    this.profile = profile;
    this.domain = Eip712.Domain.cne(chainId, Eip712.Domain.ZERO_ADDRESS);
    this.ordersPerSide = ordersPerSide;
    this.ledgerDir = ledgerDir;
  }

  /** Bytes under the peer's ledger folder, or -1 without {@code --ledger-dir}. */
  private long ledgerBytes() throws IOException {
    if (ledgerDir == null) {
      return -1;
    }
    try (Stream<Path> files = Files.walk(ledgerDir)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (IOException e) {
                  return 0; // a file LevelDB removed while we walked
                }
              })
          .sum();
    }
  }

  public static void main(String[] args) throws Exception {
    Path profile = null;
    int seconds = 15;
    int[] levels = {1, 2, 4, 8, 16, 32, 64};
    int[] batches = {1_000, 10_000};
    long chainId = 31337;
    int ordersPerSide = 1;
    Path ledgerDir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--profile" -> profile = Path.of(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--concurrency" -> levels = ints(args[++i]);
        case "--batches" -> batches = ints(args[++i]);
        case "--chain-id" -> chainId = Long.parseLong(args[++i]);
        case "--orders" -> ordersPerSide = Integer.parseInt(args[++i]);
        case "--ledger-dir" -> ledgerDir = Path.of(args[++i]);
        default -> {
          System.err.println(
              "usage: FabricLoadDriver --profile PROFILE.json [--seconds 15] [--concurrency 1,2,4]"
                  + " [--batches 1000,10000] [--orders 1] [--ledger-dir PEER_LEDGER_DIR]"
                  + " [--chain-id 31337]");
          System.exit(2);
        }
      }
    }
    if (profile == null) {
      System.err.println("FabricLoadDriver: --profile is required");
      System.exit(2);
    }
    if (ordersPerSide < 1) {
      System.err.println("FabricLoadDriver: --orders must be positive");
      System.exit(2);
    }
    FabricLoadDriver d = new FabricLoadDriver(profile, chainId, ordersPerSide, ledgerDir);
    double best = levels.length == 0 ? 0 : d.baseline(levels, seconds);
    for (int n : batches) {
      d.batched(n, best);
    }
  }

  private static int[] ints(String csv) {
    return csv.isBlank()
        ? new int[0]
        : Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
  }

  /** Per-transaction baseline at each concurrency level; returns the best TPS. */
  double baseline(int[] levels, int seconds) throws Exception {
    int clients = Arrays.stream(levels).max().orElse(1);
    List<String> accounts = new ArrayList<>();
    try (FabricLedger setup = FabricLedger.fromProfile(profile)) {
      ExecutorService pool = Executors.newFixedThreadPool(Math.min(clients, 16));
      List<Future<String>> regs = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        int n = i;
        regs.add(
            pool.submit(
                () -> {
                  Secp256k1.KeyPair k = Secp256k1.KeyPair.generate(RANDOM);
                  setup.register(
                      Registration.sign(
                          domain,
                          k,
                          Role.USER,
                          "load-" + n + "-" + k.address().substring(2, 8),
                          1));
                  return k.address();
                }));
      }
      for (Future<String> f : regs) {
        accounts.add(f.get());
      }
      pool.shutdown();
    }
    System.out.println(
        "baseline: escrow:Deposit, one transaction per trade, one account per client");
    System.out.println("clients  tx     seconds  TPS     p50 ms  p99 ms");
    double best = 0;
    String run = Long.toHexString(RANDOM.nextLong());
    for (int c : levels) {
      // One gateway connection per client, as independent engines or participants would have.
      List<FabricLedger> ledgers = new ArrayList<>();
      for (int i = 0; i < c; i++) {
        ledgers.add(FabricLedger.fromProfile(profile));
      }
      ExecutorService pool = Executors.newFixedThreadPool(c);
      AtomicBoolean stop = new AtomicBoolean();
      List<Future<long[]>> results = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < c; i++) {
        FabricLedger l = ledgers.get(i);
        String account = accounts.get(i);
        String prefix = run + "-" + c + "-" + i + "-";
        results.add(
            pool.submit(
                () -> {
                  long[] lat = new long[1 << 16];
                  int n = 0;
                  while (!stop.get() && n < lat.length) {
                    long t0 = System.nanoTime();
                    l.deposit(prefix + n, account, 1);
                    lat[n++] = System.nanoTime() - t0;
                  }
                  return Arrays.copyOf(lat, n);
                }));
      }
      Thread.sleep(seconds * 1_000L);
      stop.set(true);
      List<Long> all = new ArrayList<>();
      for (Future<long[]> f : results) {
        for (long v : f.get()) {
          all.add(v);
        }
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      pool.shutdown();
      for (FabricLedger l : ledgers) {
        l.close();
      }
      all.sort(Long::compare);
      double tps = all.size() / elapsed;
      best = Math.max(best, tps);
      System.out.printf(
          "%-8d %-6d %-8.1f %-7.1f %-7.0f %-7.0f%n",
          c, all.size(), elapsed, tps, pct(all, 0.50) / 1e6, pct(all, 0.99) / 1e6);
    }
    System.out.printf("baseline best: %.1f TPS%n", best);
    return best;
  }

  private static double pct(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }

  /**
   * One batch of {@code n} trades between {@code ordersPerSide} bids of one buyer and as many
   * offers of one seller (trade i fills bid i mod k and offer i mod k), timed from the call to the
   * commit.
   */
  void batched(int n, double baselineTps) throws Exception {
    try (FabricLedger ledger = FabricLedger.fromProfile(profile)) {
      Secp256k1.KeyPair buyer = Secp256k1.KeyPair.generate(RANDOM);
      Secp256k1.KeyPair seller = Secp256k1.KeyPair.generate(RANDOM);
      ledger.register(
          Registration.sign(
              domain, buyer, Role.PROVIDER, "load-buyer-" + buyer.address().substring(2, 8), 1));
      ledger.register(
          Registration.sign(
              domain,
              seller,
              Role.MICROGRID,
              "load-seller-" + seller.address().substring(2, 8),
              1));
      int k = Math.min(ordersPerSide, n);
      long perOrder = (n + k - 1) / k * WH_PER_TRADE;
      ledger.deposit(
          "load-" + buyer.address(),
          buyer.address(),
          k * Units.maxCostMicros(perOrder, PRICE_MICROS));
      BenchOrders.Book book = BenchOrders.book(domain, buyer, seller, k, perOrder);
      List<SignedOrder> bids = book.bids();
      List<SignedOrder> offers = book.offers();
      List<SignedOrder> all = book.all();
      long beforeOrders = ledgerBytes();
      long a0 = System.nanoTime();
      ledger.acceptOrders(all);
      double acceptSeconds = (System.nanoTime() - a0) / 1e9;
      long round = 1 + RANDOM.nextLong(1L << 40);
      List<Trade> trades = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        SignedOrder bid = bids.get(i % k);
        SignedOrder offer = offers.get(i % k);
        String buyId = bid.id(domain);
        String sellId = offer.id(domain);
        trades.add(
            new Trade(
                Trade.tradeId(buyId, sellId, round, i),
                round,
                SLOT,
                offer.order().kind().market(),
                buyId,
                sellId,
                buyer.address(),
                seller.address(),
                WH_PER_TRADE,
                PRICE_MICROS,
                Units.amountMicros(WH_PER_TRADE, PRICE_MICROS),
                WH_PER_TRADE,
                Units.carbonMg(WH_PER_TRADE, offer.order().carbonMgPerKwh())));
      }
      SettlementBatch batch =
          SettlementBatch.build(
              domain,
              round,
              SLOT,
              Hex.encode(Keccak.hash("load inputs " + round)),
              Hex.encode(Keccak.hash("load outputs " + round)),
              trades,
              all,
              bids.stream().map(b -> b.id(domain)).toList(),
              List.of());
      int batchBytes = RecordCodec.toJson(batch).length();
      // What the adapter does before it submits (root, each trade against its orders, the
      // orders' signatures), timed on its own here; settle() below does it again.
      long n0 = System.nanoTime();
      int txBytes = RecordCodec.toJson(NetSettlement.of(batch, domain)).length();
      double checkSeconds = (System.nanoTime() - n0) / 1e9;
      long beforeSettle = ledgerBytes();
      long t0 = System.nanoTime();
      try {
        ledger.settle(batch);
        double s = (System.nanoTime() - t0) / 1e9;
        double perSecond = n / s;
        System.out.printf(
            "batched: %d trades, %d orders (accepted in %.2f s), %.2f MB of batch JSON off chain,"
                + " %.1f KB on chain: committed in %.2f s (of which the engine's checks and"
                + " netting %.2f s): %.0f trades/s, %.0f x the per-transaction baseline%n",
            n,
            2 * k,
            acceptSeconds,
            batchBytes / 1e6,
            txBytes / 1e3,
            s,
            checkSeconds,
            perSecond,
            perSecond / baselineTps);
      } catch (LedgerException e) {
        System.out.printf(
            "batched: %d trades (%.1f KB on chain) NOT committed after %.2f s: %s%n",
            n, txBytes / 1e3, (System.nanoTime() - t0) / 1e9, e.getMessage());
      }
      if (ledgerDir != null) {
        Thread.sleep(2_000); // let the second peer's commit and LevelDB's log writes land
        long after = ledgerBytes();
        System.out.printf(
            "ledger folder %s: +%d bytes for %d accepted orders (%.0f B per order, with the"
                + " deposit and registrations), +%d bytes for the %d-trade settlement (%.1f B per"
                + " trade)%n",
            ledgerDir,
            beforeSettle - beforeOrders,
            2 * k,
            (beforeSettle - beforeOrders) / (2.0 * k),
            after - beforeSettle,
            n,
            (after - beforeSettle) / (double) n);
      }
    }
  }
}
