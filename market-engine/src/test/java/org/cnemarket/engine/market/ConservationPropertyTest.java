package org.cnemarket.engine.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cnemarket.engine.MarketFixture.key;
import static org.cnemarket.engine.MarketFixture.order;
import static org.cnemarket.engine.MarketFixture.registration;
import static org.cnemarket.engine.MarketFixture.signed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Role;
import org.cnemarket.engine.MarketFixture;

/**
 * Randomized multi-round markets: whatever orders arrive (including ones the ledger refuses for
 * lack of funds), after every settled round the ledger's balances plus escrow equal the deposits,
 * and no account or escrow is ever negative.
 */
class ConservationPropertyTest {
  static final List<Secp256k1.KeyPair> GRIDS = List.of(key("c-grid-1"), key("c-grid-2"));
  static final List<Secp256k1.KeyPair> DCS = List.of(key("c-dc-1"), key("c-dc-2"), key("c-dc-3"));
  static final List<Secp256k1.KeyPair> USERS = List.of(key("c-user-1"), key("c-user-2"));

  @Property(tries = 6)
  void creditsAreConservedAfterEveryRound(
      @ForAll long seed, @ForAll @IntRange(min = 2, max = 5) int rounds) throws Exception {
    Path dir = Files.createTempDirectory("conservation");
    Random rnd = new Random(seed);
    try (MarketFixture f = new MarketFixture(dir)) {
      for (var g : GRIDS) {
        f.market.register(registration(g, Role.MICROGRID, "grid"));
      }
      for (var d : DCS) {
        f.market.register(registration(d, Role.PROVIDER, "dc"));
        f.market.deposit("d-" + d.address(), d.address(), 1 + rnd.nextInt(30_000_000));
      }
      for (var u : USERS) {
        f.market.register(registration(u, Role.USER, "user"));
        f.market.deposit("d-" + u.address(), u.address(), 1 + rnd.nextInt(5_000_000));
      }
      long nonce = 1;
      for (long slot = 100; slot < 100 + rounds; slot++) {
        int orders = 2 + rnd.nextInt(12);
        for (int i = 0; i < orders; i++) {
          var kind = OrderKind.values()[rnd.nextInt(4)];
          var trader =
              switch (kind) {
                case ENERGY_OFFER -> GRIDS.get(rnd.nextInt(GRIDS.size()));
                case ENERGY_BID, COMPUTE_OFFER -> DCS.get(rnd.nextInt(DCS.size()));
                case COMPUTE_DEMAND -> USERS.get(rnd.nextInt(USERS.size()));
              };
          long quantity = 1 + rnd.nextInt(100_000);
          long price = 1 + rnd.nextInt(400_000);
          try {
            f.market.submitOrder(
                signed(order(kind, trader, slot, quantity, price, nonce++), trader));
          } catch (Refusal refused) {
            assertThat(refused.type()).isEqualTo("insufficient-funds");
          }
        }
        f.market.closeRound(slot);
        assertThat(f.outbox.settlePending().pending()).isZero();
        var c = f.market.conservation();
        assertThat(c.conserved()).as("round at slot %d: %s", slot, c).isTrue();
        for (var a : List.of(DCS, USERS, GRIDS).stream().flatMap(List::stream).toList()) {
          var b = f.ledger.balance(a.address());
          assertThat(b.availableMicros()).isNotNegative();
          assertThat(b.escrowMicros()).isNotNegative();
        }
      }
    }
  }
}
