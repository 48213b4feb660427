package org.cnemarket.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cnemarket.engine.MarketFixture.key;
import static org.cnemarket.engine.MarketFixture.order;
import static org.cnemarket.engine.MarketFixture.signed;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.PackedOrders;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.engine.MarketFixture;
import org.cnemarket.engine.round.PowerProfile;
import org.cnemarket.engine.store.IncentiveContracts.TakenContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory written by an earlier schema opens with its rows moved to where this one keeps
 * them, once: power models and incentive contracts from settings rows (version 1), orders' signed
 * content from their rows (version 2).
 */
class SchemaMigrationTest {
  private static final String PROVIDER = "0x" + "ab".repeat(20);
  private static final AtomicInteger DATABASES = new AtomicInteger();

  @TempDir Path dir;

  @Test
  void settingsRowsOfVersion1MoveToTheirTablesOnOpen() throws Exception {
    PowerProfile model = new PowerProfile(120, 400, 14_500, 6_000, 8_000_000, 25);
    TakenContract taken = new TakenContract(PROVIDER, 3, 1, 1, -1L, 2_500, 7_000_000);
    try (Connection c = Db.openFile(dir, "engine")) {
      writeVersion1(c, model, taken);
    }

    try (MarketStore store = new MarketStore(Db.openFile(dir, "engine"))) {
      assertThat(store.powerModels().get(PROVIDER)).contains(model);
      assertThat(store.contracts().get(3, PROVIDER)).contains(taken);
      assertThat(store.contracts().get(4, PROVIDER)).isEmpty();
      assertThat(store.settings().get("profile:" + PROVIDER)).isEmpty();
      assertThat(store.settings().get("contract:3:" + PROVIDER)).isEmpty();
      // A true setting stays where it was.
      assertThat(store.settings().get("evm.market")).contains("0x" + "12".repeat(20));
      assertThat(store.settings().get(EngineSchema.VERSION_KEY))
          .contains(Long.toString(EngineSchema.VERSION));
    }
    // Opening again moves nothing twice and keeps what was moved.
    try (MarketStore store = new MarketStore(Db.openFile(dir, "engine"))) {
      assertThat(store.powerModels().get(PROVIDER)).contains(model);
      assertThat(store.contracts().get(3, PROVIDER)).contains(taken);
    }
  }

  @Test
  void ordersWithTheirContentAndStateInTheRowKeepBothWhenTheyMoveOut() throws Exception {
    var grid = key("m-grid");
    var dc = key("m-dc");
    List<StoredOrder> before;
    Map<String, AccountViews.AccountBook> books;
    try (MarketFixture f = new MarketFixture(dir)) {
      f.energyOfferAndBid(grid, dc, 40);
      f.market.submitOrder(
          signed(order(OrderKind.ENERGY_OFFER, grid, 41, 60_000, 70_000, 2), grid));
      f.market.closeRound(40);
      f.outbox.settlePending();
      before =
          Stream.concat(
                  f.store.orders().of(grid.address(), 0, 10).stream(),
                  f.store.orders().of(dc.address(), 0, 10).stream())
              .toList();
      books = f.store.accounts().books();
    }
    assertThat(before).hasSize(3);
    assertThat(before).extracting(StoredOrder::status).contains(OrderStatus.OPEN);
    assertThat(before).extracting(StoredOrder::filled).anyMatch(filled -> filled > 0);
    // The layout of version 2: the signed content, fill, status and escrow in the order's row.
    try (Connection c = Db.openFile(dir, "engine");
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE orders ADD COLUMN signed_json VARCHAR(16000)");
      try (PreparedStatement u =
              c.prepareStatement("UPDATE orders SET signed_json = ? WHERE seq = ?");
          ResultSet r = c.createStatement().executeQuery("SELECT seq, packed FROM orders")) {
        while (r.next()) {
          u.setString(1, RecordCodec.toJson(PackedOrders.unpackOne(r.getBytes(2))));
          u.setLong(2, r.getLong(1));
          u.executeUpdate();
        }
      }
      s.execute("ALTER TABLE orders DROP COLUMN packed");
      // and the order's primary key on its id
      s.execute("DROP INDEX orders_key");
      s.execute("ALTER TABLE orders DROP COLUMN order_key");
      s.execute("ALTER TABLE orders ADD PRIMARY KEY (order_id)");
      s.execute(
          "ALTER TABLE orders ADD COLUMN (filled BIGINT, status VARCHAR(12), spent_micros BIGINT,"
              + " escrow_open BOOLEAN)");
      s.execute(
          "UPDATE orders o SET (filled, status, spent_micros, escrow_open) = (SELECT s.filled,"
              + " s.status, s.spent_micros, s.escrow_open FROM order_state s WHERE s.seq = o.seq)");
      s.execute("DROP TABLE order_state");
      s.execute("DROP INDEX orders_by_seq");
      s.execute("UPDATE kv SET v = '2' WHERE k = '" + EngineSchema.VERSION_KEY + "'");
    }

    for (int open = 0; open < 2; open++) {
      try (MarketStore store = new MarketStore(Db.openFile(dir, "engine"))) {
        for (StoredOrder o : before) {
          assertThat(store.orders().get(o.orderId())).contains(o);
        }
        assertThat(store.orders().openFor(41))
            .containsExactlyInAnyOrderElementsOf(
                before.stream().filter(o -> o.status() == OrderStatus.OPEN).toList());
        assertThat(store.accounts().books()).isEqualTo(books);
        assertThat(store.settings().get(EngineSchema.VERSION_KEY))
            .contains(Long.toString(EngineSchema.VERSION));
      }
    }
  }

  @Test
  void aNewDatabaseStartsAtTheCurrentVersion() throws Exception {
    try (MarketStore store = new MarketStore(Db.openFile(dir, "engine"))) {
      assertThat(store.settings().get(EngineSchema.VERSION_KEY))
          .contains(Long.toString(EngineSchema.VERSION));
      assertThat(store.powerModels().get(PROVIDER)).isEmpty();
    }
  }

  @Test
  void surfaceTablesTheirStoresCreatedKeepTheirRows() throws Exception {
    // Before the schema created them, each surface's store created its own table when built.
    String trade = "0x" + "cd".repeat(32);
    try (Connection c = Db.openFile(dir, "engine")) {
      try (Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE auth_nonce(nonce VARCHAR(64) PRIMARY KEY, address VARCHAR(42) NOT NULL,"
                + " expires_at BIGINT NOT NULL, used BOOLEAN NOT NULL)");
        s.execute("INSERT INTO auth_nonce VALUES('n1', '" + PROVIDER + "', 1000, FALSE)");
        s.execute(
            "CREATE TABLE meter_reading(trade_id VARCHAR(66) PRIMARY KEY, round BIGINT NOT NULL,"
                + " slot BIGINT NOT NULL, market VARCHAR(10) NOT NULL, buyer VARCHAR(42) NOT NULL,"
                + " seller VARCHAR(42) NOT NULL, buy_order_id VARCHAR(66) NOT NULL,"
                + " sell_order_id VARCHAR(66) NOT NULL, contracted BIGINT NOT NULL,"
                + " delivered BIGINT NOT NULL, certified_wh BIGINT NOT NULL,"
                + " reported_by VARCHAR(42) NOT NULL, reported_at BIGINT NOT NULL)");
        s.execute(
            "INSERT INTO meter_reading VALUES('"
                + trade
                + "', 1, 7, 'ENERGY', 'b', 's', 'bo', 'so', 10, 9, 9000, 'r', 5)");
      }
      Db.commit(c);
    }

    try (MarketStore store = new MarketStore(Db.openFile(dir, "engine"))) {
      assertThat(store.meterReadings().reading(trade))
          .map(MeterReadings.MeterReading::deliveredQuantity)
          .contains(9L);
      assertThat(store.holdings().meterReadings()).containsExactly(trade);
      assertThat(store.signInNonces().consumeNonce("n1", PROVIDER, 500)).isTrue();
      assertThat(store.idempotency().claim("scope", "key", "hash", 0)).isEmpty();
    }
  }

  @Property(tries = 50)
  void everyVersion1PowerModelAndContractSurvivesTheMove(
      @ForAll @LongRange(min = 0, max = 50_000) long idleW,
      @ForAll @LongRange(min = 0, max = 50_000) long extraW,
      @ForAll @LongRange(min = 10_000, max = 40_000) long pueBps,
      @ForAll @LongRange(min = 0, max = 10_000) long utilisationBps,
      @ForAll @LongRange(min = 0, max = PowerProfile.MAX_NETWORK_BITS_PER_UNIT) long bits,
      @ForAll @LongRange(min = 0, max = PowerProfile.MAX_NETWORK_PICOJOULES_PER_BIT) long pj,
      @ForAll @LongRange(min = 0, max = 178_956_970) long epoch,
      @ForAll long nonceBits,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long rewardMicros)
      throws Exception {
    PowerProfile model = new PowerProfile(idleW, idleW + extraW, pueBps, utilisationBps, bits, pj);
    TakenContract taken = new TakenContract(PROVIDER, epoch, 2, 0, nonceBits, 1_000, rewardMicros);
    Connection c = Db.openMemory("migration-" + DATABASES.incrementAndGet());
    writeVersion1(c, model, taken);
    try (MarketStore store = new MarketStore(c)) {
      assertThat(store.powerModels().get(PROVIDER)).contains(model);
      assertThat(store.contracts().get(epoch, PROVIDER)).contains(taken);
    }
  }

  /** The settings rows as version 1 wrote them: the same JSON the engine produced then. */
  private static void writeVersion1(Connection c, PowerProfile model, TakenContract t)
      throws Exception {
    Map<String, Object> contract = new LinkedHashMap<>();
    contract.put("provider", t.provider());
    contract.put("epoch", t.epoch());
    contract.put("index", t.index());
    contract.put("type", t.type());
    contract.put("nonce", Fields.uint64Json(t.nonce()));
    contract.put("committedMilliUnits", t.committedMilliUnits());
    contract.put("rewardMicros", t.rewardMicros());
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE kv(k VARCHAR(200) PRIMARY KEY, v CLOB NOT NULL)");
    }
    try (PreparedStatement p = c.prepareStatement("INSERT INTO kv(k, v) VALUES(?, ?)")) {
      for (String[] row :
          new String[][] {
            {"profile:" + PROVIDER, Json.write(model.toJson())},
            {"contract:" + t.epoch() + ":" + t.provider(), Json.write(contract)},
            {"evm.market", "0x" + "12".repeat(20)}
          }) {
        p.setString(1, row[0]);
        p.setString(2, row[1]);
        p.executeUpdate();
      }
    }
    Db.commit(c);
  }
}
