package org.cnemarket.bench;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.merkle.MerkleTree;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
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
 *   <li>batched: one settlement batch of N energy trades (Merkle root, trades and their orders on
 *       chain, as the engine settles a round), timed from submission to commit; trades per second.
 * </ul>
 *
 * <pre>
 * java -cp tests/target/benchmarks.jar org.cnemarket.bench.FabricLoadDriver \
 *     --profile network-config/fabric/build/profiles/engine-platform.json \
 *     --seconds 15 --concurrency 1,2,4,8,16,32,64 --batches 1000,10000
 * </pre>
 */
public final class FabricLoadDriver {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long SLOT = 492_000;
  private static final long WH_PER_TRADE = 1_000;
  private static final long PRICE_MICROS = 100_000;

  private final Path profile;
  private final Eip712.Domain domain;

  private FabricLoadDriver(Path profile, long chainId) {
    this.profile = profile;
    this.domain = Eip712.Domain.cne(chainId, Eip712.Domain.ZERO_ADDRESS);
  }

  public static void main(String[] args) throws Exception {
    Path profile = null;
    int seconds = 15;
    int[] levels = {1, 2, 4, 8, 16, 32, 64};
    int[] batches = {1_000, 10_000};
    long chainId = 31337;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--profile" -> profile = Path.of(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--concurrency" -> levels = ints(args[++i]);
        case "--batches" -> batches = ints(args[++i]);
        case "--chain-id" -> chainId = Long.parseLong(args[++i]);
        default -> {
          System.err.println(
              "usage: FabricLoadDriver --profile PROFILE.json [--seconds 15] [--concurrency 1,2,4]"
                  + " [--batches 1000,10000] [--chain-id 31337]");
          System.exit(2);
        }
      }
    }
    if (profile == null) {
      System.err.println("FabricLoadDriver: --profile is required");
      System.exit(2);
    }
    FabricLoadDriver d = new FabricLoadDriver(profile, chainId);
    double best = d.baseline(levels, seconds);
    for (int n : batches) {
      d.batched(n, best);
    }
  }

  private static int[] ints(String csv) {
    return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
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

  /** One batch of {@code n} trades between one buy and one sell order, timed submit to commit. */
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
      long quantity = n * WH_PER_TRADE;
      ledger.deposit(
          "load-" + buyer.address(), buyer.address(), Units.maxCostMicros(quantity, PRICE_MICROS));
      SignedOrder bid =
          sign(buyer, OrderKind.ENERGY_BID, quantity, PRICE_MICROS, EnergySource.NONE);
      SignedOrder offer =
          sign(seller, OrderKind.ENERGY_OFFER, quantity, PRICE_MICROS, EnergySource.SOLAR);
      ledger.acceptOrder(bid);
      ledger.acceptOrder(offer);
      long round = 1 + RANDOM.nextLong(1L << 40);
      String buyId = bid.id(domain);
      String sellId = offer.id(domain);
      List<Trade> trades = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
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
      String root = Hex.encode(MerkleTree.of(trades.stream().map(Trade::leaf).toList()).root());
      SettlementBatch batch =
          new SettlementBatch(
              SettlementBatch.batchId(domain, round),
              round,
              SLOT,
              root,
              Hex.encode(Keccak.hash("load inputs " + round)),
              Hex.encode(Keccak.hash("load outputs " + round)),
              trades,
              List.of(bid, offer),
              List.of(buyId));
      int bytes = RecordCodec.toJson(batch).length();
      long t0 = System.nanoTime();
      try {
        ledger.settle(batch);
        double s = (System.nanoTime() - t0) / 1e9;
        double perSecond = n / s;
        System.out.printf(
            "batched: %d trades (%.1f MB of batch JSON) committed in %.2f s: %.0f trades/s, %.0f x the"
                + " per-transaction baseline%n",
            n, bytes / 1e6, s, perSecond, perSecond / baselineTps);
      } catch (LedgerException e) {
        System.out.printf(
            "batched: %d trades (%.1f MB of batch JSON) NOT committed after %.2f s: %s%n",
            n, bytes / 1e6, (System.nanoTime() - t0) / 1e9, e.getMessage());
      }
    }
  }

  private SignedOrder sign(
      Secp256k1.KeyPair key, OrderKind kind, long quantity, long priceMicros, EnergySource source) {
    Order o =
        new Order(
                kind,
                key.address(),
                SLOT,
                1,
                quantity,
                priceMicros,
                source,
                source.green() ? 10_000 : 0,
                kind == OrderKind.ENERGY_OFFER ? 20_000 : 0,
                0,
                1,
                0)
            .validate();
    return SignedOrder.sign(domain, o, key);
  }
}
