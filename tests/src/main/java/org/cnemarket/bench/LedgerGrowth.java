package org.cnemarket.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Trade;
import org.cnemarket.core.model.Units;
import org.cnemarket.engine.ledger.OrderAcceptance;
import org.cnemarket.engine.ledger.embedded.EmbeddedLedger;
import org.cnemarket.engine.store.Db;

/**
 * Growth on disk of the embedded ledger (its H2 file: blocks, world state, key history) per
 * accepted order and per settled trade: {@code --orders} bids and as many offers accepted with
 * {@code acceptOrders} (as the engine's ledger feed sends them), then one batch of {@code --trades}
 * trades among them settled. The file is measured after closing the ledger (H2 compacts on close,
 * for at most a few seconds), then again after rewriting it with only its live pages: the first is
 * what a ledger file holds between restarts, the second what the ledger keeps. Each phase starts
 * from the rewritten file.
 *
 * <pre>
 * java -cp tests/target/benchmarks.jar org.cnemarket.bench.LedgerGrowth --orders 5000 --trades 10000
 * </pre>
 */
public final class LedgerGrowth {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long SLOT = BenchOrders.SLOT;
  private static final long PRICE_MICROS = BenchOrders.PRICE_MICROS;
  private static final long WH_PER_TRADE = 1_000;

  private LedgerGrowth() {}

  public static void main(String[] args) throws Exception {
    int perSide = 5_000;
    int tradeCount = 10_000;
    Path dir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--orders" -> perSide = Integer.parseInt(args[++i]);
        case "--trades" -> tradeCount = Integer.parseInt(args[++i]);
        case "--data" -> dir = Path.of(args[++i]);
        default -> {
          System.err.println("usage: LedgerGrowth [--orders 5000] [--trades 10000] [--data DIR]");
          System.exit(2);
        }
      }
    }
    if (perSide < 1 || tradeCount < 1) {
      System.err.println("LedgerGrowth: --orders and --trades must be positive");
      System.exit(2);
    }
    if (dir == null) {
      dir = Files.createTempDirectory("cne-ledger-growth");
    }
    Eip712.Domain domain = Eip712.Domain.cne(31337, Eip712.Domain.ZERO_ADDRESS);
    Secp256k1.KeyPair buyer = Secp256k1.KeyPair.generate(RANDOM);
    Secp256k1.KeyPair seller = Secp256k1.KeyPair.generate(RANDOM);
    long perOrder = (tradeCount + perSide - 1) / perSide * WH_PER_TRADE;
    BenchOrders.Book book = BenchOrders.book(domain, buyer, seller, perSide, perOrder);
    List<SignedOrder> bids = book.bids();
    List<SignedOrder> all = book.all();

    try (EmbeddedLedger l = EmbeddedLedger.open(dir, domain, Clock.systemUTC())) {
      l.register(Registration.sign(domain, buyer, Role.PROVIDER, "growth-buyer", 1));
      l.register(Registration.sign(domain, seller, Role.MICROGRID, "growth-seller", 1));
      l.deposit("growth", buyer.address(), perSide * Units.maxCostMicros(perOrder, PRICE_MICROS));
    }
    long base = compact(dir);
    try (EmbeddedLedger l = EmbeddedLedger.open(dir, domain, Clock.systemUTC())) {
      for (OrderAcceptance a : l.acceptOrders(all)) {
        if (!a.onLedger()) {
          throw new IllegalStateException("an order was refused: " + a);
        }
      }
    }
    long afterOrders = size(dir);
    long afterOrdersCompacted = compact(dir);
    long round = 1;
    List<Trade> trades = new ArrayList<>(tradeCount);
    for (int i = 0; i < tradeCount; i++) {
      String b = bids.get(i % perSide).id(domain);
      String s = book.offers().get(i % perSide).id(domain);
      trades.add(
          new Trade(
              Trade.tradeId(b, s, round, i),
              round,
              SLOT,
              OrderKind.Market.ENERGY,
              b,
              s,
              buyer.address(),
              seller.address(),
              WH_PER_TRADE,
              PRICE_MICROS,
              Units.amountMicros(WH_PER_TRADE, PRICE_MICROS),
              WH_PER_TRADE,
              0));
    }
    SettlementBatch batch =
        SettlementBatch.build(
            domain,
            round,
            SLOT,
            Hex.encode(Keccak.hash("growth inputs")),
            Hex.encode(Keccak.hash("growth outputs")),
            trades,
            all,
            bids.stream().map(o -> o.id(domain)).toList(),
            List.of());
    long t0 = System.nanoTime();
    try (EmbeddedLedger l = EmbeddedLedger.open(dir, domain, Clock.systemUTC())) {
      l.settle(batch);
    }
    double settleSeconds = (System.nanoTime() - t0) / 1e9;
    long afterSettle = size(dir);
    long afterSettleCompacted = compact(dir);
    int orders = 2 * perSide;
    System.out.printf(
        "embedded ledger in %s: %d orders accepted: +%d bytes (%.0f B per order); %d trades"
            + " settled in %.2f s: +%d bytes (%.1f B per trade, %.0f B per order they fill)%n",
        dir,
        orders,
        afterOrders - base,
        (afterOrders - base) / (double) orders,
        tradeCount,
        settleSeconds,
        afterSettle - afterOrdersCompacted,
        (afterSettle - afterOrdersCompacted) / (double) tradeCount,
        (afterSettle - afterOrdersCompacted) / (double) orders);
    System.out.printf(
        "compacted (what the ledger holds, without pages its commits superseded): orders +%d bytes"
            + " (%.0f B per order); trades +%d bytes (%.1f B per trade)%n",
        afterOrdersCompacted - base,
        (afterOrdersCompacted - base) / (double) orders,
        afterSettleCompacted - afterOrdersCompacted,
        (afterSettleCompacted - afterOrdersCompacted) / (double) tradeCount);
  }

  /**
   * Rewrites the closed ledger file with only its live pages, compressed as the ledger writes them
   * ({@code SHUTDOWN COMPACT}); returns the size after.
   */
  private static long compact(Path dir) throws IOException, SQLException {
    try (Connection c = Db.openFile(dir, "ledger", true);
        Statement s = c.createStatement()) {
      s.execute("SHUTDOWN COMPACT");
    }
    return size(dir);
  }

  private static long size(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".db"))
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              })
          .sum();
    }
  }
}
