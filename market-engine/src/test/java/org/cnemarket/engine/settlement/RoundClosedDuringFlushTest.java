package org.cnemarket.engine.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cnemarket.engine.MarketFixture.DOMAIN;
import static org.cnemarket.engine.MarketFixture.key;
import static org.cnemarket.engine.MarketFixture.order;
import static org.cnemarket.engine.MarketFixture.registration;
import static org.cnemarket.engine.MarketFixture.signed;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.crypto.Signature;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Participant;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Trade;
import org.cnemarket.engine.ledger.Balance;
import org.cnemarket.engine.ledger.BatchRecord;
import org.cnemarket.engine.ledger.CertificateBalance;
import org.cnemarket.engine.ledger.DeliveryReceipt;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.LedgerEvent;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.ledger.LedgerStatus;
import org.cnemarket.engine.ledger.OrderAcceptance;
import org.cnemarket.engine.ledger.Reputation;
import org.cnemarket.engine.ledger.SettlementReceipt;
import org.cnemarket.engine.ledger.embedded.EmbeddedLedger;
import org.cnemarket.engine.market.MarketService;
import org.cnemarket.engine.round.PricingRoundClearing;
import org.cnemarket.engine.round.RoundParameters;
import org.cnemarket.engine.store.Db;
import org.cnemarket.engine.store.MarketStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A round closed while the ledger feed is taking earlier orders onto the ledger: its batch fills an
 * order recorded after that flush began. The outbox must never offer the ledger a batch before
 * every order it fills is on the ledger, and the batch settles without being set aside.
 */
class RoundClosedDuringFlushTest {
  static final Secp256k1.KeyPair GRID = key("race-grid");
  static final Secp256k1.KeyPair DC = key("race-dc");

  @Test
  void aBatchIsOfferedToTheLedgerOnlyOnceEveryOrderItFillsIsOnIt(@TempDir Path dir)
      throws Exception {
    Clock clock = Clock.systemUTC();
    try (MarketStore store = new MarketStore(Db.openFile(dir, "engine"));
        EmbeddedLedger embedded = EmbeddedLedger.open(dir, DOMAIN, clock)) {
      PausingLedger ledger = new PausingLedger(embedded);
      MarketService market =
          new MarketService(
              store, ledger, DOMAIN, new PricingRoundClearing(), RoundParameters.DEFAULT, clock);
      SettlementOutbox outbox = new SettlementOutbox(store, ledger, market.feed(), DOMAIN, clock);
      try {
        market.register(registration(GRID, Role.MICROGRID, "grid"));
        market.register(registration(DC, Role.PROVIDER, "dc"));
        market.deposit("d1", DC.address(), 10_000_000);
        market.submitOrder(
            signed(order(OrderKind.ENERGY_OFFER, GRID, 100, 50_000, 80_000, 1), GRID));

        // The feed is inside a flush (taking the offer onto the ledger) ...
        ledger.pauseNextAcceptance();
        CompletableFuture<LedgerFeed.Flush> flushing =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return market.feed().flush();
                  } catch (LedgerException e) {
                    throw new IllegalStateException(e);
                  }
                });
        assertThat(ledger.acceptanceEntered.await(30, TimeUnit.SECONDS)).isTrue();
        // ... when a bid arrives and the round closes, filling both, and a settlement pass starts.
        String bid =
            market.submitOrder(
                signed(order(OrderKind.ENERGY_BID, DC, 100, 40_000, 120_000, 1), DC));
        var round = market.closeRound(100);
        assertThat(round.batch().orders()).extracting(o -> o.id(DOMAIN)).contains(bid);
        CompletableFuture<SettlementOutbox.Pass> settling =
            CompletableFuture.supplyAsync(outbox::settlePending);
        Thread.sleep(200); // the pass waits for the flush under way
        ledger.release.countDown();

        flushing.get(30, TimeUnit.SECONDS);
        SettlementOutbox.Pass pass = settling.get(30, TimeUnit.SECONDS);
        assertThat(pass.settled()).isEqualTo(1);

        assertThat(pass.setAside()).isZero();
        assertThat(pass.pending()).isZero();
        assertThat(ledger.offeredTooEarly).isEmpty();
        assertThat(embedded.batch(round.batch().batchId())).isPresent();
        assertThat(market.conservation().conserved()).isTrue();
      } finally {
        market.close();
      }
    }
  }

  /**
   * The embedded ledger, with a pause inside one order acceptance, that notes every batch offered
   * for settlement while the ledger does not hold all its orders.
   */
  private static final class PausingLedger implements Ledger {
    final CountDownLatch acceptanceEntered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final List<String> offeredTooEarly = new CopyOnWriteArrayList<>();
    private final Ledger delegate;
    private volatile boolean pause;

    PausingLedger(Ledger delegate) {
      this.delegate = delegate;
    }

    void pauseNextAcceptance() {
      pause = true;
    }

    @Override
    public List<OrderAcceptance> acceptOrders(List<SignedOrder> orders) throws LedgerException {
      if (pause) {
        pause = false;
        acceptanceEntered.countDown();
        try {
          if (!release.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("never released");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      return delegate.acceptOrders(orders);
    }

    @Override
    public SettlementReceipt settle(SettlementBatch batch) throws LedgerException {
      for (SignedOrder so : batch.orders()) {
        if (!delegate.orderAccepted(so.id(DOMAIN))) {
          offeredTooEarly.add(batch.batchId() + " before order " + so.id(DOMAIN));
        }
      }
      return delegate.settle(batch);
    }

    @Override
    public String backend() {
      return delegate.backend();
    }

    @Override
    public LedgerStatus status() throws LedgerException {
      return delegate.status();
    }

    @Override
    public void register(Registration registration) throws LedgerException {
      delegate.register(registration);
    }

    @Override
    public Optional<Participant> participant(String address) throws LedgerException {
      return delegate.participant(address);
    }

    @Override
    public void deposit(String depositId, String account, long amountMicros)
        throws LedgerException {
      delegate.deposit(depositId, account, amountMicros);
    }

    @Override
    public void acceptOrder(SignedOrder order) throws LedgerException {
      delegate.acceptOrder(order);
    }

    @Override
    public boolean orderAccepted(String orderId) throws LedgerException {
      return delegate.orderAccepted(orderId);
    }

    @Override
    public Optional<BatchRecord> batch(String batchId) throws LedgerException {
      return delegate.batch(batchId);
    }

    @Override
    public Balance balance(String account) throws LedgerException {
      return delegate.balance(account);
    }

    @Override
    public DeliveryReceipt reportDelivery(
        String batchId, Trade trade, List<byte[]> proof, long deliveredQuantity)
        throws LedgerException {
      return delegate.reportDelivery(batchId, trade, proof, deliveredQuantity);
    }

    @Override
    public Reputation reputation(String provider) throws LedgerException {
      return delegate.reputation(provider);
    }

    @Override
    public CertificateBalance certificates(String holder, long slot) throws LedgerException {
      return delegate.certificates(holder, slot);
    }

    @Override
    public void transferCertificates(
        String from, String to, long slot, long amountWh, long nonce, Signature signature)
        throws LedgerException {
      delegate.transferCertificates(from, to, slot, amountWh, nonce, signature);
    }

    @Override
    public void retireCertificates(
        String holder, long slot, long amountWh, long nonce, Signature signature)
        throws LedgerException {
      delegate.retireCertificates(holder, slot, amountWh, nonce, signature);
    }

    @Override
    public List<LedgerEvent> events(long cursor, int max) throws LedgerException {
      return delegate.events(cursor, max);
    }

    @Override
    public void close() {}
  }
}
