package org.cnemarket.engine.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cnemarket.engine.MarketFixture.key;
import static org.cnemarket.engine.MarketFixture.order;
import static org.cnemarket.engine.MarketFixture.registration;
import static org.cnemarket.engine.MarketFixture.signed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Role;
import org.cnemarket.engine.MarketFixture;
import org.cnemarket.engine.audit.Repricer;
import org.cnemarket.engine.round.PricingRoundClearing;
import org.cnemarket.engine.round.RoundInput;
import org.cnemarket.engine.round.RoundParameters;

/**
 * Whatever parameter changes the operator interleaves with rounds, each round clears with the
 * parameters in effect when it closed (the last change before it), records them in its inputs, and
 * reprices to exactly what the ledger holds; every change names the round it applies from.
 */
class ParameterChangePropertyTest {
  static final List<Secp256k1.KeyPair> SELLERS = List.of(key("pc-s1"), key("pc-s2"));
  static final List<Secp256k1.KeyPair> BUYERS = List.of(key("pc-b1"), key("pc-b2"));
  static final List<String> ENERGY = List.of("uniform", "mcafee", "lp");
  static final List<String> COMPUTE = List.of("stackelberg", "uniform");

  @Property(tries = 5)
  void everyRoundClearsAndRepricesWithTheParametersInEffectWhenItClosed(
      @ForAll long seed, @ForAll @IntRange(min = 3, max = 6) int rounds) throws Exception {
    Path dir = Files.createTempDirectory("parameter-changes");
    Random rnd = new Random(seed);
    try (MarketFixture f = new MarketFixture(dir)) {
      for (var s : SELLERS) {
        f.market.register(registration(s, Role.MICROGRID, "grid"));
      }
      for (var b : BUYERS) {
        f.market.register(registration(b, Role.PROVIDER, "dc"));
        f.market.deposit("d-" + b.address(), b.address(), 500_000_000);
      }
      List<RoundParameters> inEffect = new ArrayList<>();
      long nonce = 1;
      for (long slot = 200; slot < 200 + rounds; slot++) {
        // Orders first, then maybe a change: the change still applies to this slot's round.
        for (int i = 0; i < 2 + rnd.nextInt(6); i++) {
          boolean sell = rnd.nextBoolean();
          var who = (sell ? SELLERS : BUYERS).get(rnd.nextInt(2));
          f.market.submitOrder(
              signed(
                  order(
                      sell ? OrderKind.ENERGY_OFFER : OrderKind.ENERGY_BID,
                      who,
                      slot,
                      1000 * (1 + rnd.nextInt(5)),
                      10_000 + rnd.nextInt(90_000),
                      nonce++),
                  who));
        }
        if (rnd.nextInt(3) > 0) {
          long next = f.store.rounds().last() + 1;
          var c =
              f.market.setParameters(
                  ENERGY.get(rnd.nextInt(3)),
                  rnd.nextInt(1001),
                  COMPUTE.get(rnd.nextInt(2)),
                  500 + rnd.nextInt(2000),
                  "operator");
          assertThat(c.parameters()).isEqualTo(f.market.parameters());
          if (c.changed()) {
            assertThat(c.fromRound()).isEqualTo(next);
          }
        }
        inEffect.add(f.market.parameters());
        f.market.closeRound(slot);
        f.outbox.settlePending();
      }
      Repricer repricer = new Repricer(f.store, f.ledger, new PricingRoundClearing());
      for (int r = 1; r <= rounds; r++) {
        RoundParameters want = inEffect.get(r - 1);
        RoundParameters recorded =
            RoundInput.fromJson(f.store.rounds().get(r).orElseThrow().inputsJson()).parameters();
        assertThat(recorded.energyMechanism()).isEqualTo(want.energyMechanism());
        assertThat(recorded.kPermille()).isEqualTo(want.kPermille());
        assertThat(recorded.computeMechanism()).isEqualTo(want.computeMechanism());
        if (want.energyMechanism().equals("mcafee")) {
          assertThat(recorded.lotWh()).isEqualTo(want.lotWh());
        }
        assertThat(repricer.reprice(r).matches()).as("round %d", r).isTrue();
        // The history says the same: the last change applying from this round or before.
        int round = r;
        var applying =
            f.store.mechanisms().changes(0, 1000).stream()
                .filter(c -> c.fromRound() <= round)
                .findFirst()
                .orElseThrow();
        assertThat(MarketService.readParameters(applying.parametersJson())).isEqualTo(want);
      }
      assertThat(f.market.conservation().conserved()).isTrue();
    }
  }
}
