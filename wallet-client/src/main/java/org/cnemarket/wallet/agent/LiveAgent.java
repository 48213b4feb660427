package org.cnemarket.wallet.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.cnemarket.agents.agent.Nonces;
import org.cnemarket.core.client.MarketClientException;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Trade;
import org.cnemarket.wallet.MarketInfo;
import org.cnemarket.wallet.OrderOutcome;
import org.cnemarket.wallet.OrderReceipt;
import org.cnemarket.wallet.RoundView;
import org.cnemarket.wallet.WalletApi;
import org.cnemarket.wallet.order.Slots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bids every round for one participant over the engine's REST API. Per round: read the market (last
 * closed slot, signing domain) and the last cleared energy price (the persistence forecast), let
 * the {@link AgentPolicy} build the slot's orders, sign them EIP-712 with the wallet's key and post
 * them, wait (polling, up to a deadline) for the operator to close the slot, read this
 * participant's trades in it and hand them back to the policy. A dry run signs and reports the
 * orders of each slot and sends nothing.
 *
 * <p>Every engine call has the wallet's request deadline; waiting for a close has {@code
 * roundTimeout}. The loop checks {@code stop} between steps and while waiting, so an interrupt ends
 * it after the current call.
 */
public final class LiveAgent {
  private static final Logger LOG = LoggerFactory.getLogger(LiveAgent.class);

  /** How many of the participant's trades one round may have that the agent reads back. */
  private static final int TRADES_PAGE = 500;

  /**
   * @param rounds rounds to bid in, or 0 for no limit (until stopped)
   * @param fromSlot the first slot to bid for, or null for the next open slot (after the last
   *     closed slot and after the current hour)
   * @param dryRun sign and report, send nothing, wait for nothing
   * @param roundTimeout how long to wait for the operator to close a slot bid in
   * @param pollInterval how often to ask whether the slot closed
   * @param fallbackEnergyPriceMicros the forecast price while no round has cleared energy
   */
  public record Options(
      long rounds,
      Long fromSlot,
      boolean dryRun,
      Duration roundTimeout,
      Duration pollInterval,
      long fallbackEnergyPriceMicros) {
    public Options {
      if (rounds < 0) {
        throw new IllegalArgumentException("rounds must not be negative");
      }
      if (roundTimeout.isNegative() || roundTimeout.isZero()) {
        throw new IllegalArgumentException("the round timeout must be positive");
      }
      if (pollInterval.isNegative() || pollInterval.isZero()) {
        throw new IllegalArgumentException("the poll interval must be positive");
      }
      if (fallbackEnergyPriceMicros <= 0) {
        throw new IllegalArgumentException("the fallback energy price must be positive");
      }
    }
  }

  /** One order as signed: its id (the EIP-712 digest) and, when sent, the engine's status. */
  public record SentOrder(String orderId, SignedOrder signed, String status) {}

  /** What this participant did in one closed round. */
  public record RoundOutcome(
      long slot,
      long round,
      List<SentOrder> orders,
      List<Trade> trades,
      long boughtWh,
      long paidMicros,
      long soldQuantity,
      long receivedMicros) {}

  /** Why the loop ended. */
  public enum Stop {
    ROUNDS_DONE,
    STOPPED
  }

  /** The run's result. */
  public record Summary(long rounds, long ordersSent, long trades, Stop stop) {}

  /** Thrown when the operator did not close a slot within the round timeout. */
  public static final class RoundTimeoutException extends Exception {
    private final long slot;

    RoundTimeoutException(long slot, Duration timeout) {
      super(
          "slot "
              + slot
              + " ("
              + Slots.format(slot)
              + ") was not closed within "
              + timeout
              + "; is the operator closing rounds?");
      this.slot = slot;
    }

    public long slot() {
      return slot;
    }
  }

  /** Receives what the agent does, for the CLI's output. */
  public interface Listener {
    /** The slot's orders were signed (and, unless a dry run, accepted by the engine). */
    void ordersOf(long slot, long forecastEnergyPriceMicros, List<SentOrder> orders, boolean dry);

    /** The slot's round closed. */
    void closed(RoundOutcome outcome);
  }

  private final WalletApi api;
  private final String address;
  private final AgentPolicy policy;
  private final Options options;
  private final Listener listener;
  private final Nonces nonces;

  public LiveAgent(WalletApi api, AgentPolicy policy, Options options, Listener listener) {
    this.api = api;
    this.address =
        api.address()
            .orElseThrow(() -> new IllegalArgumentException("a live agent needs a signing key"));
    this.policy = policy;
    this.options = options;
    this.listener = listener;
    // Millisecond-based like the wallet's nonces, with room for many orders per millisecond.
    this.nonces = new Nonces(Math.multiplyExact(System.currentTimeMillis(), 1000L));
  }

  /** Runs until the rounds are done or {@code stop} says so. */
  public Summary run(BooleanSupplier stop)
      throws MarketClientException, RoundTimeoutException, InterruptedException {
    long done = 0;
    long sent = 0;
    long trades = 0;
    Long slot = options.fromSlot();
    long forecast = options.fallbackEnergyPriceMicros();
    while (options.rounds() == 0 || done < options.rounds()) {
      if (stop.getAsBoolean()) {
        return new Summary(done, sent, trades, Stop.STOPPED);
      }
      MarketInfo market = api.market();
      long open = nextOpen(market);
      slot = slot == null ? open : Math.max(slot, market.lastClosedSlot().orElse(-1L) + 1);
      forecast = forecastPrice(forecast);
      List<Order> orders = policy.orders(slot, forecast, nonces);
      List<SentOrder> signed = new ArrayList<>();
      Map<String, Order> byId = new LinkedHashMap<>();
      boolean slotClosed = false;
      List<SignedOrder> toSend = new ArrayList<>(orders.size());
      for (Order o : orders) {
        SignedOrder s = api.sign(o);
        if (options.dryRun()) {
          signed.add(new SentOrder(s.id(market.domain()), s, "NOT SENT"));
        } else {
          toSend.add(s);
        }
      }
      // The round's orders go in one request; each is accepted or refused on its own.
      MarketClientException refused = null;
      for (OrderOutcome outcome : api.submitAll(toSend)) {
        if (outcome.accepted()) {
          OrderReceipt r = outcome.receipt();
          signed.add(new SentOrder(r.orderId(), r.signed(), r.status()));
          byId.put(r.orderId(), r.signed().order());
        } else if ("slot-closed".equals(outcome.refusal().type())) {
          slotClosed = true;
        } else if (refused == null) {
          refused = outcome.refusal();
        }
      }
      if (refused != null) {
        throw refused;
      }
      if (slotClosed) {
        // The operator closed the slot while we were bidding: move on to the next open one.
        LOG.info("slot {} closed while bidding; moving to the next open slot", slot);
        slot = null;
        continue;
      }
      listener.ordersOf(slot, forecast, signed, options.dryRun());
      if (options.dryRun()) {
        done++;
        slot++;
        continue;
      }
      sent += signed.size();
      if (!awaitClose(slot, stop)) {
        return new Summary(done, sent, trades, Stop.STOPPED);
      }
      RoundOutcome outcome = outcome(slot, signed);
      policy.settled(slot, outcome.trades(), byId);
      trades += outcome.trades().size();
      listener.closed(outcome);
      done++;
      slot++;
    }
    return new Summary(done, sent, trades, Stop.ROUNDS_DONE);
  }

  /** The next slot the engine takes orders for that has not started yet. */
  private static long nextOpen(MarketInfo market) {
    long afterClosed = market.lastClosedSlot().orElse(-1L) + 1;
    return Math.max(afterClosed, Slots.of(Instant.now()) + 1);
  }

  /** Persistence: the last round's cleared energy price, else the previous forecast. */
  private long forecastPrice(long previous) throws MarketClientException {
    for (RoundView r : api.rounds(0, 1)) {
      if (r.energyPriceMicros() > 0) {
        return r.energyPriceMicros();
      }
    }
    return previous;
  }

  /** Waits until the slot's round closed; false when stopped first. */
  private boolean awaitClose(long slot, BooleanSupplier stop)
      throws MarketClientException, RoundTimeoutException, InterruptedException {
    long deadline = System.nanoTime() + options.roundTimeout().toNanos();
    while (true) {
      if (api.market().lastClosedSlot().orElse(-1L) >= slot) {
        return true;
      }
      if (stop.getAsBoolean()) {
        return false;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new RoundTimeoutException(slot, options.roundTimeout());
      }
      Thread.sleep(Math.max(1, Math.min(options.pollInterval().toMillis(), left / 1_000_000)));
    }
  }

  private RoundOutcome outcome(long slot, List<SentOrder> orders) throws MarketClientException {
    List<Trade> mine = api.trades(address, slot, slot, 0, TRADES_PAGE);
    long round = mine.isEmpty() ? -1 : mine.get(0).round();
    if (round < 0) {
      for (RoundView r : api.rounds(0, 5)) {
        if (r.slot() == slot) {
          round = r.round();
        }
      }
    }
    long boughtWh = 0;
    long paid = 0;
    long sold = 0;
    long received = 0;
    for (Trade t : mine) {
      if (t.buyer().equalsIgnoreCase(address)) {
        if (t.market() == OrderKind.Market.ENERGY) {
          boughtWh += t.quantity();
        }
        paid += t.amountMicros();
      }
      if (t.seller().equalsIgnoreCase(address)) {
        sold += t.quantity();
        received += t.amountMicros();
      }
    }
    return new RoundOutcome(slot, round, orders, mine, boughtWh, paid, sold, received);
  }
}
