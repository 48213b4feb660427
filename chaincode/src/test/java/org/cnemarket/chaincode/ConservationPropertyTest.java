package org.cnemarket.chaincode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.cnemarket.chaincode.TestLedger.Fill;
import org.cnemarket.chaincode.embedded.TxResult;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.NetSettlement;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SignedOrder;

/**
 * Random sequences of deposits, orders and settlements never create or destroy credits: Σ available
 * + Σ escrow == Σ applied deposits, and each account's escrow is exactly what its open buy orders
 * still lock; and a settlement's net movements are refused unless they conserve their batch.
 */
class ConservationPropertyTest {
  static final List<Secp256k1.KeyPair> PROVIDERS = List.of(TestLedger.key(11), TestLedger.key(12));
  static final List<Secp256k1.KeyPair> MICROGRIDS = List.of(TestLedger.key(21), TestLedger.key(22));

  sealed interface Action permits Deposit, Bid, Offer, Settle {}

  record Deposit(int account, long amount) implements Action {}

  record Bid(int buyer, long quantity, long price) implements Action {}

  record Offer(int seller, long quantity, long price) implements Action {}

  /** Picks fills among open orders by index; may close a bid (see {@code settle}). */
  record Settle(List<Tuple.Tuple4<Integer, Integer, Integer, Integer>> fills, List<Integer> close)
      implements Action {}

  @Provide
  Arbitrary<List<Action>> actions() {
    Arbitrary<Action> deposit =
        Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(0, 1)),
                Tuple.of(1, Arbitraries.integers().between(2, 3)))
            .flatMap(
                a ->
                    Arbitraries.longs()
                        .between(1, 20_000_000)
                        .withDistribution(net.jqwik.api.RandomDistribution.uniform())
                        .map(m -> (Action) new Deposit(a, m)));
    Arbitrary<Action> bid =
        net.jqwik.api.Combinators.combine(
                Arbitraries.integers().between(0, 1),
                Arbitraries.longs().between(1, 8_000),
                Arbitraries.longs().between(50_000, 400_000))
            .as((b, q, p) -> (Action) new Bid(b, q, p));
    Arbitrary<Action> offer =
        net.jqwik.api.Combinators.combine(
                Arbitraries.integers().between(0, 1),
                Arbitraries.longs().between(1, 20_000),
                Arbitraries.longs().between(1, 250_000))
            .as((s, q, p) -> (Action) new Offer(s, q, p));
    Arbitrary<Tuple.Tuple4<Integer, Integer, Integer, Integer>> fill =
        net.jqwik.api.Combinators.combine(
                Arbitraries.integers().between(0, 99),
                Arbitraries.integers().between(0, 99),
                Arbitraries.integers().between(1, 100),
                Arbitraries.integers().between(0, 100))
            .as(Tuple::of);
    Arbitrary<Action> settle =
        net.jqwik.api.Combinators.combine(
                fill.list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.integers().between(0, 99).list().ofMaxSize(1).injectDuplicates(0.0))
            .as((f, c) -> (Action) new Settle(f, c));
    return Arbitraries.frequencyOf(
            Tuple.of(3, deposit), Tuple.of(3, bid), Tuple.of(2, offer), Tuple.of(3, settle))
        .list()
        .ofMinSize(10)
        .ofMaxSize(30);
  }

  /** What the test knows of an accepted order. */
  static final class Open {
    final SignedOrder order;
    long filled;
    boolean closed;

    Open(SignedOrder order) {
      this.order = order;
    }

    long remaining() {
      return order.order().quantity() - filled;
    }
  }

  @Property(tries = 30)
  void creditsAreConserved(@ForAll("actions") List<Action> actions) {
    TestLedger l = new TestLedger().configure();
    List<Secp256k1.KeyPair> all = new ArrayList<>();
    PROVIDERS.forEach(k -> all.add(k));
    MICROGRIDS.forEach(k -> all.add(k));
    PROVIDERS.forEach(k -> l.register(k, Role.PROVIDER));
    MICROGRIDS.forEach(k -> l.register(k, Role.MICROGRID));
    List<Open> bids = new ArrayList<>();
    List<Open> offers = new ArrayList<>();
    Map<String, Long> nonces = new HashMap<>();
    long deposited = 0;
    int depositSeq = 0;
    for (Secp256k1.KeyPair p : PROVIDERS) { // start funded so that most bids are accepted
      l.deposit("dep-" + (++depositSeq), p.address(), 5_000_000);
      deposited += 5_000_000;
    }
    long round = 0;

    for (Action a : actions) {
      if (a instanceof Deposit d) {
        TxResult r =
            l.submit(
                "escrow:Deposit",
                "dep-" + (++depositSeq),
                all.get(d.account()).address(),
                Long.toString(d.amount()));
        assertThat(r.ok()).as("%s", r).isTrue();
        deposited += d.amount();
      } else if (a instanceof Bid b) {
        Secp256k1.KeyPair k = PROVIDERS.get(b.buyer());
        SignedOrder so =
            TestLedger.bid(k, b.quantity(), b.price(), nonces.merge(k.address(), 1L, Long::sum));
        TxResult r = l.submit("escrow:AcceptOrder", RecordCodec.toJson(so));
        net.jqwik.api.statistics.Statistics.label("bid accepted").collect(r.ok());
        if (r.ok()) {
          bids.add(new Open(so));
        } else {
          assertThat(r.reasonCode()).isEqualTo("OVERDRAFT");
          assertThat(r.writeSet()).isEmpty();
        }
      } else if (a instanceof Offer o) {
        Secp256k1.KeyPair k = MICROGRIDS.get(o.seller());
        SignedOrder so =
            TestLedger.offer(
                k,
                o.quantity(),
                o.price(),
                nonces.merge(k.address(), 1L, Long::sum),
                EnergySource.WIND);
        assertThat(l.submit("escrow:AcceptOrder", RecordCodec.toJson(so)).ok()).isTrue();
        offers.add(new Open(so));
      } else if (a instanceof Settle s) {
        net.jqwik.api.statistics.Statistics.label("open orders at settlement")
            .collect(bids.stream().anyMatch(b -> !b.closed), !offers.isEmpty());
        settle(l, ++round, s, bids, offers);
      }
      assertInvariants(l, all, bids, deposited);
    }
  }

  /**
   * A settlement whose net movements were altered (one order's quantity, credits or trade count
   * changed) no longer conserves its batch: the chaincode refuses it and nothing changes; the
   * unaltered one then settles.
   */
  @Property(tries = 40)
  void anAlteredMovementIsRefusedAndChangesNothing(
      @ForAll @IntRange(min = 1, max = 4) int fills,
      @ForAll @IntRange(min = 0, max = 11) int which,
      @ForAll @IntRange(min = 0, max = 2) int field,
      @ForAll @LongRange(min = -500, max = 500) long delta) {
    Assume.that(delta != 0);
    TestLedger l = new TestLedger().configure();
    Secp256k1.KeyPair buyer = PROVIDERS.get(0);
    Secp256k1.KeyPair seller = MICROGRIDS.get(0);
    l.register(buyer, Role.PROVIDER);
    l.register(seller, Role.MICROGRID);
    l.deposit("dep-1", buyer.address(), 10_000_000);
    SignedOrder bid = TestLedger.bid(buyer, 20_000, 200_000, 1);
    SignedOrder bid2 = TestLedger.bid(buyer, 20_000, 180_000, 2);
    SignedOrder offer = TestLedger.offer(seller, 50_000, 100_000, 1, EnergySource.WIND);
    List.of(bid, bid2, offer).forEach(l::accept);
    List<Fill> list = new ArrayList<>();
    for (int i = 0; i < fills; i++) {
      list.add(new Fill(i % 2 == 0 ? bid : bid2, offer, 1_000 + 100 * i, 150_000 + i, 0, 0));
    }
    NetSettlement good =
        RecordCodec.netSettlementFromJson(TestLedger.json(TestLedger.batch(1, list, List.of())));
    List<NetSettlement.OrderMove> moves = new ArrayList<>(good.orders());
    int k = which % moves.size();
    NetSettlement.OrderMove m = moves.get(k);
    moves.set(
        k,
        new NetSettlement.OrderMove(
            m.orderId(),
            m.signatureHash(),
            field == 0 ? Math.max(0, m.quantity() + delta) : m.quantity(),
            field == 2 ? Math.max(0, m.trades() + Long.signum(delta)) : m.trades(),
            field == 1 ? Math.max(0, m.amountMicros() + delta) : m.amountMicros(),
            m.feeMicros(),
            m.greenWh(),
            m.close()));
    NetSettlement altered =
        new NetSettlement(
            good.batchId(),
            good.round(),
            good.slot(),
            good.merkleRoot(),
            good.inputsHash(),
            good.outputsHash(),
            good.tradeCount(),
            moves);
    Assume.that(!altered.equals(good));
    var before = l.store.snapshot();
    TxResult r = l.submit("settlement:Settle", RecordCodec.toJson(altered));
    assertThat(r.ok()).as("altered movement %s of %s", moves.get(k), good).isFalse();
    assertThat(r.writeSet()).isEmpty();
    assertThat(l.store.snapshot()).isEqualTo(before);
    assertThat(l.submit("settlement:Settle", RecordCodec.toJson(good)).ok()).isTrue();
  }

  private static void settle(
      TestLedger l, long round, Settle s, List<Open> bids, List<Open> offers) {
    List<Fill> fills = new ArrayList<>();
    Map<Open, Long> pending = new HashMap<>();
    List<Open> openBids = bids.stream().filter(b -> !b.closed && b.remaining() > 0).toList();
    List<Open> openOffers = offers.stream().filter(o -> o.remaining() > 0).toList();
    for (var f : s.fills()) {
      if (openBids.isEmpty() || openOffers.isEmpty()) {
        break;
      }
      Open bid = openBids.get(f.get1() % openBids.size());
      Open offer = openOffers.get(f.get2() % openOffers.size());
      long bidLeft = bid.remaining() - pending.getOrDefault(bid, 0L);
      long offerLeft = offer.remaining() - pending.getOrDefault(offer, 0L);
      long bidPrice = bid.order.order().priceMicros();
      long offerPrice = offer.order.order().priceMicros();
      if (bid.closed || bidLeft <= 0 || offerLeft <= 0 || bidPrice < offerPrice) {
        continue;
      }
      long q = Math.max(1, Math.min(bidLeft, offerLeft) * f.get3() / 100);
      long p = offerPrice + (bidPrice - offerPrice) * f.get4() / 100;
      fills.add(new Fill(bid.order, offer.order, q, p, q, 0));
      pending.merge(bid, q, Long::sum);
      pending.merge(offer, q, Long::sum);
    }
    List<String> close = new ArrayList<>();
    List<Open> closing = new ArrayList<>();
    for (int c : s.close()) {
      if (c < 30 && !bids.isEmpty()) { // close in about a third of the settlements that name one
        Open b = bids.get(c % bids.size());
        close.add(TestLedger.id(b.order));
        closing.add(b);
      }
    }
    net.jqwik.api.statistics.Statistics.label("trades per settlement")
        .collect(Math.min(fills.size(), 3));
    TxResult r =
        l.submit("settlement:Settle", TestLedger.json(TestLedger.batch(round, fills, close)));
    assertThat(r.ok()).as("a valid batch settles: %s", r).isTrue();
    pending.forEach((o, q) -> o.filled += q);
    closing.forEach(o -> o.closed = true);
  }

  private static void assertInvariants(
      TestLedger l, List<Secp256k1.KeyPair> all, List<Open> bids, long deposited) {
    long total = 0;
    Map<String, Long> lockedByOrders = new HashMap<>();
    for (Open b : bids) {
      long escrow = l.query("escrow:GetOrder", TestLedger.id(b.order)).longValue("escrowMicros");
      assertThat(escrow).isNotNegative();
      lockedByOrders.merge(b.order.order().trader(), escrow, Long::sum);
    }
    for (Secp256k1.KeyPair k : all) {
      var bal = l.balance(k.address());
      assertThat(bal.longValue("availableMicros")).isNotNegative();
      assertThat(bal.longValue("escrowMicros"))
          .isEqualTo(lockedByOrders.getOrDefault(k.address(), 0L));
      total += bal.longValue("availableMicros") + bal.longValue("escrowMicros");
    }
    assertThat(total).isEqualTo(deposited);
  }
}
