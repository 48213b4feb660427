package org.cnemarket.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.eip712.Eip712;
import org.junit.jupiter.api.Test;

/**
 * A batch reduced to its net movements: what only the trades can show is refused before anything
 * reaches a ledger, and the movements conserve quantity, credits and trades per market.
 */
class NetSettlementTest {
  static final Eip712.Domain DOMAIN = Eip712.Domain.cne(31337, Eip712.Domain.ZERO_ADDRESS);
  static final long SLOT = 100;
  static final Secp256k1.KeyPair BUYER = key(1);
  static final Secp256k1.KeyPair BUYER2 = key(2);
  static final Secp256k1.KeyPair SELLER = key(3);
  static final SignedOrder BID = order(BUYER, OrderKind.ENERGY_BID, 10_000, 200_000, 1);
  static final SignedOrder BID2 = order(BUYER2, OrderKind.ENERGY_BID, 5_000, 150_000, 1);
  static final SignedOrder SOLAR = order(SELLER, OrderKind.ENERGY_OFFER, 20_000, 100_000, 1);

  static Secp256k1.KeyPair key(int n) {
    return Secp256k1.KeyPair.fromPrivateKey(BigInteger.valueOf(7_000_003L * n + 11));
  }

  static SignedOrder order(
      Secp256k1.KeyPair k, OrderKind kind, long quantity, long price, long nonce) {
    EnergySource src = kind == OrderKind.ENERGY_OFFER ? EnergySource.SOLAR : EnergySource.NONE;
    Order o = new Order(kind, k.address(), SLOT, 1, quantity, price, src, 0, 0, 0, nonce, 0);
    return SignedOrder.sign(DOMAIN, o, k);
  }

  record Fill(SignedOrder buy, SignedOrder sell, long quantity, long price) {}

  static SettlementBatch batch(List<Fill> fills, List<SignedOrder> orders, List<String> closed) {
    long round = 7;
    List<Trade> trades = new ArrayList<>();
    for (int i = 0; i < fills.size(); i++) {
      Fill f = fills.get(i);
      String b = f.buy().id(DOMAIN);
      String s = f.sell().id(DOMAIN);
      trades.add(
          new Trade(
              Trade.tradeId(b, s, round, i),
              round,
              SLOT,
              OrderKind.Market.ENERGY,
              b,
              s,
              f.buy().order().trader(),
              f.sell().order().trader(),
              f.quantity(),
              f.price(),
              Units.amountMicros(f.quantity(), f.price()),
              f.quantity(),
              0));
    }
    String h = Hex.encode(Keccak.hash("inputs"));
    return SettlementBatch.build(
        DOMAIN, round, SLOT, h, h, trades, orders, closed, List.<SettlementBatch.Fee>of());
  }

  static SettlementBatch withRoot(SettlementBatch b, String root, List<SignedOrder> orders) {
    return new SettlementBatch(
        b.batchId(),
        b.round(),
        b.slot(),
        root,
        b.inputsHash(),
        b.outputsHash(),
        b.trades(),
        orders,
        b.closedOrderIds(),
        b.fees());
  }

  static String reason(SettlementBatch b) {
    try {
      NetSettlement.of(b, DOMAIN);
      return "accepted";
    } catch (NetSettlement.Refused e) {
      return e.reason();
    }
  }

  @Test
  void oneMovementPerOrderWhateverItsNumberOfTrades() {
    List<Fill> fills = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      fills.add(new Fill(BID, SOLAR, 100, 120_000 + i));
    }
    fills.add(new Fill(BID2, SOLAR, 1_000, 130_000));
    SettlementBatch b = batch(fills, List.of(BID, BID2, SOLAR), List.of(BID.id(DOMAIN)));
    NetSettlement n = NetSettlement.of(b, DOMAIN);
    assertThat(n.tradeCount()).isEqualTo(51);
    assertThat(n.merkleRoot()).isEqualTo(b.merkleRoot());
    assertThat(n.orders()).hasSize(3);
    Map<String, NetSettlement.OrderMove> byId = new HashMap<>();
    n.orders().forEach(m -> byId.put(m.orderId(), m));
    NetSettlement.OrderMove bid = byId.get(BID.id(DOMAIN));
    assertThat(bid.quantity()).isEqualTo(5_000);
    assertThat(bid.trades()).isEqualTo(50);
    assertThat(bid.close()).isTrue();
    NetSettlement.OrderMove sell = byId.get(SOLAR.id(DOMAIN));
    assertThat(sell.quantity()).isEqualTo(6_000);
    assertThat(sell.trades()).isEqualTo(51);
    assertThat(sell.amountMicros()).isEqualTo(bid.amountMicros() + 130_000);
    assertThat(sell.greenWh()).isEqualTo(6_000);
    assertThat(n.orders()).isSortedAccordingTo((x, y) -> x.orderId().compareTo(y.orderId()));
    assertThat(RecordCodec.netSettlementFromJson(RecordCodec.toJson(n))).isEqualTo(n);
  }

  @Test
  void aRootThatIsNotTheTradesRootIsRefused() {
    SettlementBatch b =
        batch(List.of(new Fill(BID, SOLAR, 100, 150_000)), List.of(BID, SOLAR), List.of());
    assertThat(reason(withRoot(b, "0x" + "12".repeat(32), b.orders()))).isEqualTo("ROOT_MISMATCH");
  }

  @Test
  void eachMovementCarriesTheHashOfItsOrdersSignatureForTheLedgerToCompare() {
    SettlementBatch b =
        batch(List.of(new Fill(BID, SOLAR, 100, 150_000)), List.of(BID, SOLAR), List.of());
    SignedOrder forged =
        new SignedOrder(BID.order(), key(9).sign(Eip712.orderDigest(DOMAIN, BID.order())));
    String bidId = BID.id(DOMAIN);
    NetSettlement.OrderMove genuine = move(NetSettlement.of(b, DOMAIN), bidId);
    NetSettlement.OrderMove carried =
        move(NetSettlement.of(withRoot(b, b.merkleRoot(), List.of(forged, SOLAR)), DOMAIN), bidId);
    assertThat(genuine.signatureHash())
        .isEqualTo(Hex.encode(Keccak.hash(BID.signature().toBytes())))
        .isNotEqualTo(carried.signatureHash());
    // an order a trade fills, or a closed order, that the batch does not carry
    assertThat(reason(withRoot(b, b.merkleRoot(), List.of(SOLAR)))).isEqualTo("INVALID");
    assertThat(reason(batch(List.of(), List.of(SOLAR), List.of(bidId)))).isEqualTo("INVALID");
  }

  static NetSettlement.OrderMove move(NetSettlement n, String orderId) {
    return n.orders().stream().filter(m -> m.orderId().equals(orderId)).findFirst().orElseThrow();
  }

  @Test
  void eachTradeMustFitTheOrdersItFills() {
    List<SignedOrder> all = List.of(BID, SOLAR);
    // above the bid, below the offer, sides swapped
    assertThat(reason(batch(List.of(new Fill(BID, SOLAR, 100, 200_001)), all, List.of())))
        .isEqualTo("INVALID");
    assertThat(reason(batch(List.of(new Fill(BID, SOLAR, 100, 99_999)), all, List.of())))
        .isEqualTo("INVALID");
    assertThat(reason(batch(List.of(new Fill(SOLAR, BID, 100, 150_000)), all, List.of())))
        .isEqualTo("INVALID");
    // closing an offer
    assertThat(reason(batch(List.of(), all, List.of(SOLAR.id(DOMAIN))))).isEqualTo("INVALID");
    assertThat(reason(batch(List.of(new Fill(BID, SOLAR, 100, 150_000)), all, List.of())))
        .isEqualTo("accepted");
  }

  /** Per batch and market: bought == sold in quantity, credits and trades; trades == header. */
  @Property(tries = 60)
  void movementsConserveQuantityCreditsAndTrades(
      @ForAll @Size(min = 1, max = 30) List<@LongRange(min = 1, max = 300) Long> quantities,
      @ForAll @Size(min = 30, max = 30) List<@IntRange(min = 0, max = 2) Integer> buyers,
      @ForAll @LongRange(min = 100_000, max = 150_000) long price) {
    List<SignedOrder> bids =
        List.of(BID, BID2, order(BUYER, OrderKind.ENERGY_BID, 9_000, 150_000, 2));
    List<Fill> fills = new ArrayList<>();
    for (int i = 0; i < quantities.size(); i++) {
      fills.add(new Fill(bids.get(buyers.get(i)), SOLAR, quantities.get(i), price));
    }
    List<SignedOrder> orders = new ArrayList<>(bids);
    orders.add(SOLAR);
    NetSettlement n = NetSettlement.of(batch(fills, orders, List.of()), DOMAIN);
    long[] buy = new long[3];
    long[] sell = new long[3];
    for (NetSettlement.OrderMove m : n.orders()) {
      long[] side = m.orderId().equals(SOLAR.id(DOMAIN)) ? sell : buy;
      side[0] += m.quantity();
      side[1] += m.amountMicros();
      side[2] += m.trades();
    }
    assertThat(buy).containsExactly(sell);
    assertThat(buy[2]).isEqualTo(n.tradeCount()).isEqualTo(quantities.size());
    assertThat(buy[0]).isEqualTo(quantities.stream().mapToLong(Long::longValue).sum());
  }
}
