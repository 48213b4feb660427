package org.cnemarket.engine;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.ledger.embedded.EmbeddedLedger;
import org.cnemarket.engine.market.MarketService;
import org.cnemarket.engine.round.PricingRoundClearing;
import org.cnemarket.engine.round.RoundParameters;
import org.cnemarket.engine.settlement.SettlementOutbox;
import org.cnemarket.engine.store.Db;
import org.cnemarket.engine.store.MarketStore;

/** A market service over a real embedded ledger and H2 database in a directory, for tests. */
public final class MarketFixture implements AutoCloseable {
  public static final Eip712.Domain DOMAIN = Eip712.Domain.cne(31337, Eip712.Domain.ZERO_ADDRESS);

  public final Path dir;
  public final MarketStore store;
  public final EmbeddedLedger ledger;
  public final MarketService market;
  public final SettlementOutbox outbox;

  public MarketFixture(Path dir) throws Exception {
    this.dir = dir;
    this.store = new MarketStore(Db.openFile(dir, "engine"));
    this.ledger = EmbeddedLedger.open(dir, DOMAIN, Clock.systemUTC());
    this.market =
        new MarketService(
            store,
            ledger,
            DOMAIN,
            new PricingRoundClearing(),
            RoundParameters.DEFAULT,
            Clock.systemUTC());
    this.outbox = new SettlementOutbox(store, ledger, market.feed(), DOMAIN, Clock.systemUTC());
  }

  /**
   * Registers {@code grid} as a microgrid and {@code dc} as a provider with 50 credits deposited,
   * and posts an energy offer of the grid's and a bid of the provider's that cross in {@code slot}
   * (nonce 1 each).
   */
  public void energyOfferAndBid(Secp256k1.KeyPair grid, Secp256k1.KeyPair dc, long slot) {
    market.register(registration(grid, Role.MICROGRID, "grid"));
    market.register(registration(dc, Role.PROVIDER, "dc"));
    market.deposit("d-" + dc.address(), dc.address(), 50_000_000);
    market.submitOrder(signed(order(OrderKind.ENERGY_OFFER, grid, slot, 60_000, 70_000, 1), grid));
    market.submitOrder(signed(order(OrderKind.ENERGY_BID, dc, slot, 50_000, 150_000, 1), dc));
  }

  public static Secp256k1.KeyPair key(String name) {
    return Secp256k1.KeyPair.fromPrivateKey(new BigInteger(1, Keccak.hash("test-key:" + name)));
  }

  public static Registration registration(Secp256k1.KeyPair key, Role role, String name) {
    return Registration.sign(DOMAIN, key, role, name, 0);
  }

  public static Order order(
      OrderKind kind,
      Secp256k1.KeyPair key,
      long slot,
      long quantity,
      long priceMicros,
      long nonce) {
    EnergySource src = kind == OrderKind.ENERGY_OFFER ? EnergySource.SOLAR : EnergySource.NONE;
    return new Order(
        kind,
        key.address(),
        slot,
        1,
        quantity,
        priceMicros,
        src,
        kind == OrderKind.ENERGY_OFFER ? 10_000 : 0,
        kind == OrderKind.ENERGY_OFFER ? 41_000 : 0,
        0,
        nonce,
        0);
  }

  public static SignedOrder signed(Order o, Secp256k1.KeyPair key) {
    return SignedOrder.sign(DOMAIN, o, key);
  }

  @Override
  public void close() throws LedgerException {
    market.close();
    ledger.close();
    store.close();
  }
}
