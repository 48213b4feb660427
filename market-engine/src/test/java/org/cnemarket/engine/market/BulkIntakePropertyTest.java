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
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.engine.MarketFixture;

/**
 * Accepting orders in bulk ({@link MarketService#submitOrders}) gives each order the answer it gets
 * when the same orders arrive one by one, and leaves the same books: bad signatures, wrong roles,
 * reused nonces and orders beyond the funds are refused alike, and nothing refused is recorded.
 */
class BulkIntakePropertyTest {
  static final Secp256k1.KeyPair GRID = key("b-grid");
  static final List<Secp256k1.KeyPair> DCS = List.of(key("b-dc-1"), key("b-dc-2"));
  static final Secp256k1.KeyPair STRANGER = key("b-stranger");

  @Property(tries = 8)
  void bulkAnswersEqualOneByOne(@ForAll long seed) throws Exception {
    List<SignedOrder> orders = script(new Random(seed));
    List<String> one = new ArrayList<>();
    List<String> bulk = new ArrayList<>();
    String oneBooks;
    String bulkBooks;
    try (MarketFixture f = fixture()) {
      for (SignedOrder so : orders) {
        try {
          one.add(f.market.submitOrder(so));
        } catch (Refusal r) {
          one.add("refused " + r.type());
        }
      }
      oneBooks = books(f);
    }
    try (MarketFixture f = fixture()) {
      for (MarketService.Accepted a : f.market.submitOrders(orders)) {
        bulk.add(a.refusal() == null ? a.orderId() : "refused " + a.refusal().type());
      }
      bulkBooks = books(f);
    }
    assertThat(bulk).isEqualTo(one);
    assertThat(bulkBooks).isEqualTo(oneBooks);
    assertThat(one).anyMatch(s -> !s.startsWith("refused"));
  }

  private static MarketFixture fixture() throws Exception {
    Path dir = Files.createTempDirectory("bulk-intake");
    MarketFixture f = new MarketFixture(dir);
    f.market.register(registration(GRID, Role.MICROGRID, "grid"));
    for (var d : DCS) {
      f.market.register(registration(d, Role.PROVIDER, "dc"));
      f.market.deposit("d-" + d.address(), d.address(), 40_000_000);
    }
    return f;
  }

  /**
   * Orders of every kind of outcome: accepted, bad signature, wrong role, reused nonce, no funds.
   */
  private static List<SignedOrder> script(Random rnd) {
    List<SignedOrder> out = new ArrayList<>();
    long nonce = 1;
    for (int i = 0; i < 30; i++) {
      boolean offer = rnd.nextBoolean();
      var trader = offer ? GRID : DCS.get(rnd.nextInt(DCS.size()));
      var kind = offer ? OrderKind.ENERGY_OFFER : OrderKind.ENERGY_BID;
      if (rnd.nextInt(10) == 0) {
        kind = offer ? OrderKind.ENERGY_BID : OrderKind.ENERGY_OFFER; // the wrong role
      }
      long n = rnd.nextInt(8) == 0 && nonce > 1 ? nonce - 1 : nonce++; // sometimes a reused nonce
      var o = order(kind, trader, 100, 1 + rnd.nextInt(20_000), 1 + rnd.nextInt(800_000), n);
      out.add(signed(o, rnd.nextInt(12) == 0 ? STRANGER : trader));
    }
    return out;
  }

  private static String books(MarketFixture f) {
    StringBuilder b = new StringBuilder();
    for (var d : DCS) {
      b.append(f.store.accounts().get(d.address())).append('\n');
    }
    b.append(f.store.orders().count() > 0).append(' ').append(f.market.conservation().conserved());
    return b.toString();
  }
}
