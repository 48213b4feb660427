package org.cnemarket.engine.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cnemarket.engine.MarketFixture.key;
import static org.cnemarket.engine.MarketFixture.order;
import static org.cnemarket.engine.MarketFixture.registration;
import static org.cnemarket.engine.MarketFixture.signed;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.Units;
import org.cnemarket.engine.MarketFixture;
import org.cnemarket.engine.audit.Repricer;
import org.cnemarket.engine.round.PricingRoundClearing;
import org.cnemarket.engine.round.RoundParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A McAfee round settles on the ledger with the trade-reduction payments: sellers receive a_t,
 * buyers pay b_t, and the spread goes to the platform account, so credits stay conserved.
 */
class McAfeeRoundTest {
  @TempDir Path dir;

  @Test
  void tradeReductionPaysSellersTheAskChargesBuyersTheBidAndKeepsTheSpread() throws Exception {
    // One-lot (1 kWh) orders; bids 9, 8, 7, 6 and asks 1, 3, 5, 9 (credits/kWh ×10^4 micros):
    // t = 3 efficient trades, p0 = (6 + 9) / 2 = 7.5 > b_t = 7, so two trades, buyers pay 7,
    // sellers get 5.
    long[] bids = {90_000, 80_000, 70_000, 60_000};
    long[] asks = {10_000, 30_000, 50_000, 90_000};
    List<Secp256k1.KeyPair> buyers = List.of(key("m-b1"), key("m-b2"), key("m-b3"), key("m-b4"));
    List<Secp256k1.KeyPair> sellers = List.of(key("m-s1"), key("m-s2"), key("m-s3"), key("m-s4"));
    try (MarketFixture f = new MarketFixture(dir)) {
      MarketService mcafee =
          new MarketService(
              f.store,
              f.ledger,
              MarketFixture.DOMAIN,
              new PricingRoundClearing(),
              new RoundParameters("mcafee", 500, "stackelberg"),
              Clock.systemUTC());
      for (int i = 0; i < 4; i++) {
        mcafee.register(registration(buyers.get(i), Role.PROVIDER, "b" + i));
        mcafee.register(registration(sellers.get(i), Role.MICROGRID, "s" + i));
        mcafee.deposit("d" + i, buyers.get(i).address(), 1_000_000);
        mcafee.submitOrder(
            signed(
                order(OrderKind.ENERGY_BID, buyers.get(i), 30, 1000, bids[i], 1), buyers.get(i)));
        mcafee.submitOrder(
            signed(
                order(OrderKind.ENERGY_OFFER, sellers.get(i), 30, 1000, asks[i], 1),
                sellers.get(i)));
      }
      var result = mcafee.closeRound(30);
      Fields energy =
          Fields.of(Json.parse(result.record().summaryJson()), "round")
              .object("results")
              .object("energy");
      assertThat(energy.string("outcome")).isEqualTo("TRADE_REDUCTION");
      assertThat(result.trades()).hasSize(2).allMatch(t -> t.priceMicros() == 50_000);
      assertThat(result.batch().fees()).hasSize(2).allMatch(fee -> fee.amountMicros() == 20_000);
      assertThat(f.outbox.settlePending().pending()).isZero();

      long paid = 0;
      for (int i = 0; i < 2; i++) {
        var b = f.ledger.balance(buyers.get(i).address());
        assertThat(b.escrowMicros()).isZero();
        assertThat(1_000_000 - b.availableMicros()).isEqualTo(Units.amountMicros(1000, 70_000));
        paid += 1_000_000 - b.availableMicros();
      }
      long received =
          f.ledger.balance(sellers.get(0).address()).availableMicros()
              + f.ledger.balance(sellers.get(1).address()).availableMicros();
      assertThat(received).isEqualTo(2 * Units.amountMicros(1000, 50_000));
      assertThat(f.ledger.balance(Units.PLATFORM_ACCOUNT).availableMicros())
          .isEqualTo(paid - received)
          .isEqualTo(40_000);
      assertThat(mcafee.conservation().conserved()).isTrue();
      assertThat(
              new Repricer(f.store, f.ledger, new PricingRoundClearing())
                  .reprice(result.record().round())
                  .matches())
          .isTrue();
    }
  }
}
