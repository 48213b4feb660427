package org.cnemarket.engine.simulation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Trade;
import org.cnemarket.engine.audit.AccountAudit;
import org.cnemarket.engine.ledger.embedded.EmbeddedLedger;
import org.cnemarket.engine.market.MarketService;
import org.cnemarket.engine.round.PowerProfile;
import org.cnemarket.engine.round.PricingRoundClearing;
import org.cnemarket.engine.round.RoundParameters;
import org.cnemarket.engine.settlement.SettlementOutbox;
import org.cnemarket.engine.store.Db;
import org.cnemarket.engine.store.MarketStore;

/**
 * Runs simulated rounds through the market service exactly as {@code serve} does, minus HTTP:
 * registered participants, operator deposits, EIP-712-signed orders checked and escrowed on the
 * embedded ledger, each round closed (one zoned clearing) and its batch settled from the outbox.
 * {@code audit verify --data DIR} checks the result.
 */
public final class LedgerMarket implements SimMarket {
  /** What every participant is credited before trading, micro-credits. */
  static final long DEPOSIT_MICROS = 1_000_000_000_000L;

  /** How often the ledger feed looks for records nobody woke it for. */
  private static final long FEED_IDLE_MILLIS = 200;

  private final MarketStore store;
  private final EmbeddedLedger ledger;
  private final MarketService market;
  private final SettlementOutbox outbox;
  private final Eip712.Domain domain;
  private final Map<String, Secp256k1.KeyPair> keys = new HashMap<>();
  private final ExecutorService settler;
  private volatile RuntimeException settlementFailure;
  private boolean drained;

  public LedgerMarket(Path dir, RoundParameters parameters) throws Exception {
    Files.createDirectories(dir);
    if (Files.exists(dir.resolve("engine.mv.db")) || Files.exists(dir.resolve("ledger.mv.db"))) {
      throw new IllegalArgumentException(
          dir + " already holds a market; simulate settles into a fresh directory");
    }
    Clock clock = Clock.systemUTC();
    domain = Eip712.Domain.cne(31337, Eip712.Domain.ZERO_ADDRESS);
    // A simulation's market is scratch: created fresh, read when the run ends (closing writes
    // everything), re-run if the process dies. Its commits need not each reach the file.
    store = new MarketStore(Db.openScratch(dir, "engine"));
    ledger = EmbeddedLedger.openScratch(dir, domain, clock);
    market =
        new MarketService(
            store,
            ledger,
            domain,
            new ZonedRoundClearing(new PricingRoundClearing()),
            parameters,
            clock);
    outbox = new SettlementOutbox(store, ledger, market.feed(), domain, clock);
    market.feed().start(FEED_IDLE_MILLIS, 0);
    settler =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "sim-settlement");
              t.setDaemon(true);
              return t;
            });
  }

  /** One settlement pass on the settler thread; a refusal stops the run at the next round. */
  private void settleDue() {
    if (settlementFailure != null) {
      return;
    }
    try {
      SettlementOutbox.Pass pass = outbox.settlePending();
      if (pass.setAside() > 0) {
        settlementFailure = new IllegalStateException("a batch was set aside: " + pass.lastError());
      }
    } catch (RuntimeException e) {
      settlementFailure = e;
    }
  }

  private void failIfSettlementFailed() {
    if (settlementFailure != null) {
      throw new IllegalStateException("settlement failed", settlementFailure);
    }
  }

  /**
   * Waits until every closed round is settled, then checks that none is pending or set aside. Runs
   * before the results are read.
   */
  @Override
  public void finish() {
    drain();
  }

  private void drain() {
    if (drained) {
      return;
    }
    drained = true;
    settler.shutdown();
    try {
      if (!settler.awaitTermination(1, TimeUnit.HOURS)) {
        throw new IllegalStateException("settlement did not finish within an hour");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while settling", e);
    }
    market.feed().stop();
    failIfSettlementFailed();
    SettlementOutbox.Pass pass = outbox.settlePending();
    if (pass.pending() > 0 || pass.setAside() > 0) {
      throw new IllegalStateException(
          pass.pending() + " round(s) did not settle: " + pass.lastError());
    }
  }

  /** Registers and funds a participant with its key. */
  public void join(Secp256k1.KeyPair key, Role role, String name, PowerProfile profile) {
    keys.put(key.address(), key);
    market.register(Registration.sign(domain, key, role, name, 0));
    market.deposit("sim-" + key.address().substring(2, 18), key.address(), DEPOSIT_MICROS);
    if (profile != null) {
      market.setPowerProfile(key.address(), profile);
    }
  }

  @Override
  public List<Match> clear(long slot, List<Order> orders) {
    failIfSettlementFailed();
    // Participants sign on every core; the market checks and records the round's orders in bulk,
    // as it does for many concurrent REST callers.
    List<SignedOrder> signed =
        orders.parallelStream()
            .map(o -> SignedOrder.sign(domain, o, keys.get(o.trader())))
            .toList();
    List<MarketService.Accepted> accepted = market.submitOrders(signed);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < accepted.size(); i++) {
      MarketService.Accepted a = accepted.get(i);
      if (a.refusal() != null) {
        throw new IllegalStateException(
            "slot " + slot + ": the market refused a simulated order: " + a.refusal().getMessage());
      }
      index.put(a.orderId(), i);
    }
    MarketService.RoundResult r = market.closeRound(slot);
    // As under serve, the round's batch settles in the background while the next round trades.
    settler.execute(this::settleDue);
    Map<String, Long> fees = new HashMap<>();
    for (SettlementBatch.Fee f : r.batch().fees()) {
      fees.merge(f.buyOrderId(), f.amountMicros(), Long::sum);
    }
    List<Match> out = new ArrayList<>(r.trades().size());
    for (Trade t : r.trades()) {
      // A buy order's fee is reported on its first trade.
      long fee = t.market() == OrderKind.Market.ENERGY ? fees.getOrDefault(t.buyOrderId(), 0L) : 0;
      fees.remove(t.buyOrderId());
      out.add(
          new Match(
              t.market(),
              index.get(t.buyOrderId()),
              index.get(t.sellOrderId()),
              t.quantity(),
              t.priceMicros(),
              t.amountMicros(),
              t.greenWh(),
              t.carbonMg(),
              fee));
    }
    return out;
  }

  /** Per-account conservation once every round has settled. */
  public AccountAudit.Conservation conservation() {
    drain();
    return market.conservation();
  }

  /** Blocks on the ledger. */
  public long ledgerHeight() throws Exception {
    drain();
    return ledger.status().height();
  }

  @Override
  public void close() throws Exception {
    settler.shutdownNow();
    market.feed().stop();
    market.close();
    try {
      ledger.close();
    } finally {
      store.close();
    }
  }
}
