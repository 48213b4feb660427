package org.cnemarket.engine.ledger.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cnemarket.chaincode.embedded.ChaincodeRunner;
import org.cnemarket.chaincode.embedded.EmbeddedCa;
import org.cnemarket.chaincode.embedded.TxResult;
import org.cnemarket.chaincode.escrow.EscrowRules;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.engine.ledger.ChaincodeEvents;
import org.cnemarket.engine.ledger.ChaincodeLedger;
import org.cnemarket.engine.ledger.LedgerEvent;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.ledger.LedgerReason;
import org.cnemarket.engine.ledger.LedgerRejectedException;
import org.cnemarket.engine.ledger.LedgerStatus;
import org.cnemarket.engine.ledger.LedgerUnavailableException;
import org.cnemarket.engine.store.Db;
import org.cnemarket.engine.store.StoreException;

/**
 * The default ledger: the real chaincode, run in-process through Fabric's ContractRouter over an
 * H2-backed stub, with a signed, hash-chained block log. The engine submits as the platform's
 * operator identity, issued by the ledger's own small CA.
 */
public final class EmbeddedLedger extends ChaincodeLedger {
  public static final String CHANNEL = "cne";
  public static final String PLATFORM_MSP = "PlatformMSP";
  public static final String AUDITOR_MSP = "AuditorMSP";

  private final Connection connection;
  private final BlockChain chain;
  private final byte[] operator;
  private final Path dir;

  private EmbeddedLedger(Path dir, Connection connection, BlockChain chain, byte[] operator) {
    this.dir = dir;
    this.connection = connection;
    this.chain = chain;
    this.operator = operator;
  }

  /**
   * Opens (or creates) the ledger database {@code dir/ledger} and configures the chaincode with
   * {@code domain} the first time.
   */
  public static EmbeddedLedger open(Path dir, Eip712.Domain domain, Clock clock)
      throws LedgerException {
    return open(dir, domain, clock, false);
  }

  /**
   * A scratch ledger, such as a simulation's: created fresh and audited when its run ends, lost to
   * a crash at the cost of a re-run. It is opened with {@link Db#openScratch} and its pages are not
   * compressed: a run rewrites the same pages many times, and compressing each write cost about a
   * tenth of a settled simulation's CPU.
   */
  public static EmbeddedLedger openScratch(Path dir, Eip712.Domain domain, Clock clock)
      throws LedgerException {
    return open(dir, domain, clock, true);
  }

  private static EmbeddedLedger open(Path dir, Eip712.Domain domain, Clock clock, boolean scratch)
      throws LedgerException {
    try {
      Files.createDirectories(dir);
      Connection c = scratch ? Db.openScratch(dir, "ledger") : Db.openFile(dir, "ledger", true);
      try (Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE IF NOT EXISTS ledger_meta(k VARCHAR(100) PRIMARY KEY, v CLOB NOT NULL)");
      }
      Db.commit(c);
      // The block-signing key lives outside the database (an encrypted keystore beside it).
      Secp256k1.KeyPair nodeKey = NodeKeystore.loadOrCreate(dir, c);
      EmbeddedCa ca;
      Optional<String> caCert = BlockChain.meta(c, "ca.cert");
      if (caCert.isPresent()) {
        ca = EmbeddedCa.fromPem(caCert.get(), BlockChain.meta(c, "ca.key").orElseThrow(), 100);
      } else {
        ca = EmbeddedCa.create("CNE Market embedded CA");
        putMeta(c, "ca.cert", ca.certificatePem());
        putMeta(c, "ca.key", ca.privateKeyPem());
      }
      EmbeddedCa.Identity op = identity(c, ca, "operator", PLATFORM_MSP, "cne-engine", "operator");
      identity(c, ca, "auditor", AUDITOR_MSP, "cne-auditor", "auditor");
      Db.commit(c);
      H2StateStore state = new H2StateStore(c);
      BlockChain chain =
          new BlockChain(c, state, new ChaincodeRunner(state, CHANNEL), nodeKey, clock);
      EmbeddedLedger ledger = new EmbeddedLedger(dir, c, chain, op.serializedIdentity());
      ledger.configure(domain);
      return ledger;
    } catch (SQLException | IOException | StoreException e) {
      throw new LedgerUnavailableException(
          "cannot open the embedded ledger in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The identity stored under {@code name}, issued on first use. */
  static EmbeddedCa.Identity identity(
      Connection c, EmbeddedCa ca, String name, String msp, String cn, String role)
      throws SQLException {
    Optional<String> cert = BlockChain.meta(c, "id." + name + ".cert");
    if (cert.isPresent()) {
      return EmbeddedCa.Identity.fromPem(
          msp, cert.get(), BlockChain.meta(c, "id." + name + ".key").orElseThrow());
    }
    EmbeddedCa.Identity id = ca.issue(msp, cn, role);
    putMeta(c, "id." + name + ".cert", id.certificatePem());
    putMeta(c, "id." + name + ".key", id.privateKeyPem());
    return id;
  }

  private static void putMeta(Connection c, String key, String value) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement("MERGE INTO ledger_meta(k, v) KEY(k) VALUES(?, ?)")) {
      p.setString(1, key);
      p.setString(2, value);
      p.executeUpdate();
    }
  }

  private void configure(Eip712.Domain domain) throws LedgerException {
    TxResult got = chain.evaluate(operator, "config:Get");
    if (got.ok()) {
      Eip712.Domain existing = RecordCodec.domainFromJson(got.payloadString());
      if (!existing.equals(domain)) {
        throw new LedgerRejectedException(
            LedgerReason.INVALID,
            "the ledger in " + dir + " belongs to another market domain: " + got.payloadString());
      }
      return;
    }
    submit("config:Configure", RecordCodec.toJson(domain));
  }

  public BlockChain chain() {
    return chain;
  }

  @Override
  public String backend() {
    return "embedded";
  }

  @Override
  public LedgerStatus status() throws LedgerException {
    return new LedgerStatus(
        backend(), guard(chain::height), dir.toAbsolutePath().resolve("ledger").toString());
  }

  @Override
  public List<LedgerEvent> events(long cursor, int max) throws LedgerException {
    List<LedgerEvent> out = new ArrayList<>();
    long afterBlock = cursor < 0 ? -1 : cursor / ChaincodeEvents.PER_BLOCK - 1;
    for (String[] e : guard(() -> chain.eventsAfter(afterBlock, max + 1))) {
      for (LedgerEvent le : ChaincodeEvents.of(Long.parseLong(e[0]), 0, e[2], e[3], cursor)) {
        if (out.size() == max) {
          return out;
        }
        out.add(le);
      }
    }
    return out;
  }

  @Override
  public void close() throws LedgerException {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new LedgerUnavailableException("closing the embedded ledger: " + e.getMessage(), e);
    }
  }

  // ---- the chaincode transport ----

  @Override
  protected Submitted submit(String function, String... args) throws LedgerException {
    BlockChain.Committed c = guard(() -> chain.submit(operator, function, args));
    if (!c.result().ok()) {
      throw rejection(c.result());
    }
    return new Submitted(c.result().payloadString(), c.result().txId(), c.blockNumber());
  }

  /** Commits the transactions' blocks together: one write of the ledger's database for all. */
  @Override
  protected List<Submitted> submitAll(String function, List<String> args) throws LedgerException {
    List<String[]> argLists = args.stream().map(a -> new String[] {a}).toList();
    List<BlockChain.Committed> done = guard(() -> chain.submitAll(operator, function, argLists));
    List<Submitted> out = new ArrayList<>(done.size());
    for (BlockChain.Committed c : done) {
      if (!c.result().ok()) {
        throw rejection(c.result());
      }
      out.add(new Submitted(c.result().payloadString(), c.result().txId(), c.blockNumber()));
    }
    return out;
  }

  @Override
  protected String evaluate(String function, String... args) throws LedgerException {
    TxResult r = guard(() -> chain.evaluate(operator, function, args));
    if (!r.ok()) {
      throw rejection(r);
    }
    return r.payloadString();
  }

  @Override
  protected long blockOf(String txId, Submitted repeat) throws LedgerException {
    return guard(() -> chain.blockOf(txId));
  }

  private static LedgerRejectedException rejection(TxResult r) {
    String code = r.reasonCode() == null || r.reasonCode().isBlank() ? "INVALID" : r.reasonCode();
    return new LedgerRejectedException(
        LedgerReason.of(code), r.message() == null ? code : r.message());
  }

  /**
   * The chaincode's own limit: a block written in this process passes no orderer, so it need not
   * hold Fabric's 500.
   */
  @Override
  protected int maxOrdersPerTransaction() {
    return EscrowRules.MAX_BATCH_ORDERS;
  }

  /**
   * Ten AcceptOrders transactions, committed together ({@link #submitAll}): each commit of the
   * ledger's database rewrites the world-state pages its orders land on, which at 10^5 orders are
   * most of them, so committing 20,000 orders at once instead of 2,000 cut the feed's catch-up
   * after a 10^5-order intake from 8.4 s to 1.4 s (docs/benchmarks.md).
   */
  @Override
  public int ordersPerFeedPass() {
    return ORDERS_PER_FEED_PASS;
  }

  static final int ORDERS_PER_FEED_PASS = 10 * EscrowRules.MAX_BATCH_ORDERS;

  @FunctionalInterface
  private interface Work<T> {
    T run();
  }

  private static <T> T guard(Work<T> w) throws LedgerException {
    try {
      return w.run();
    } catch (StoreException e) {
      throw new LedgerUnavailableException(e.getMessage(), e);
    }
  }
}
