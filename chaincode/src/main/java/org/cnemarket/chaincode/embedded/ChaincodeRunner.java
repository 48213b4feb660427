package org.cnemarket.chaincode.embedded;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hyperledger.fabric.contract.ContractRouter;
import org.hyperledger.fabric.shim.Chaincode;

/**
 * Runs the CNE Market chaincode in-process: each call builds an {@link EmbeddedStub} and routes it
 * through Fabric's own {@link ContractRouter}, exactly the code path a peer drives, so argument
 * conversion, contract lookup and error responses are Fabric's.
 *
 * <p>Thread safety: {@link #invoke} and {@link #submit} are {@code synchronized}, so one runner
 * executes one transaction at a time and a {@link #submit} commits before the next one reads. The
 * {@link ContractRouter} is built once per JVM and shared; it and the contract classes hold no
 * per-transaction state.
 *
 * <p>Logging: the shim logs every invocation at INFO and every rejection at SEVERE with a stack
 * trace through {@code java.util.logging}; the runner turns the {@code org.hyperledger.fabric}
 * loggers down to {@code OFF} unless the system property {@code cne.chaincode.shimLogLevel} names a
 * level, and undoes the router's changes to the root log handlers.
 *
 * <p>Start-up: the first runner in a JVM builds the router, whose contract discovery scans the
 * class path. The scan is narrowed to the chaincode and shim code sources by swapping the {@code
 * java.class.path} property for its duration (under a second instead of tens of seconds); {@code
 * -Dcne.chaincode.fullClasspathScan=true} scans everything, e.g. when the chaincode is repackaged
 * in a way the narrowing cannot see.
 */
public final class ChaincodeRunner {
  /** The chaincode id the router is given (it only appears in its logs). */
  public static final String CHAINCODE_ID = "cne:embedded";

  // Strong references: JUL holds loggers weakly, and a collected logger forgets its level.
  private static final List<Logger> QUIETED = new ArrayList<>();
  private static ContractRouter router;

  private final StateStore store;
  private final String channelId;

  public ChaincodeRunner(StateStore store, String channelId) {
    this.store = Objects.requireNonNull(store, "store");
    this.channelId = Objects.requireNonNull(channelId, "channelId");
    sharedRouter();
  }

  public StateStore store() {
    return store;
  }

  public String channelId() {
    return channelId;
  }

  /**
   * Executes {@code function} (e.g. {@code "escrow:Deposit"}) against the committed state and
   * returns its result and write set without committing anything (Fabric's endorse step; also how
   * queries are evaluated).
   *
   * @param creator a serialized {@code msp.SerializedIdentity}, see {@link EmbeddedCa.Identity}
   */
  public synchronized TxResult invoke(
      String txId, Instant timestamp, byte[] creator, String function, String... args) {
    Objects.requireNonNull(function, "function");
    List<String> all = new ArrayList<>(args.length + 1);
    all.add(function);
    all.addAll(Arrays.asList(args));
    EmbeddedStub stub = new EmbeddedStub(store, channelId, txId, all, creator, timestamp);
    Chaincode.Response r = sharedRouter().invoke(stub);
    byte[] payload = r.getPayload() == null ? new byte[0] : r.getPayload();
    int status = r.getStatusCode();
    String reason = null;
    if (status != TxResult.OK && payload.length > 0) {
      reason = new String(payload, StandardCharsets.UTF_8);
    }
    return new TxResult(
        txId,
        status,
        status == TxResult.OK ? null : r.getMessage(),
        payload,
        reason,
        stub.writeSet(),
        stub.txEvent());
  }

  /**
   * {@link #invoke} and, when the chaincode succeeded, commits the write set to the store under
   * {@code txId} and {@code timestamp} (endorse + order + commit in one step).
   */
  public synchronized TxResult submit(
      String txId, Instant timestamp, byte[] creator, String function, String... args) {
    TxResult result = invoke(txId, timestamp, creator, function, args);
    if (result.ok()) {
      store.commit(txId, timestamp, result.writeSet());
    }
    return result;
  }

  private static synchronized ContractRouter sharedRouter() {
    if (router == null) {
      router = newRouter();
    }
    return router;
  }

  private static ContractRouter newRouter() {
    // The router logs its set-up at INFO and reconfigures JVM-wide logging: detach the
    // org.hyperledger loggers from the root handlers while it runs, then restore the handlers.
    Logger hyperledger = Logger.getLogger("org.hyperledger");
    QUIETED.add(hyperledger);
    boolean useParent = hyperledger.getUseParentHandlers();
    Logger root = Logger.getLogger("");
    Level rootLevel = root.getLevel();
    Handler[] handlers = root.getHandlers();
    Level[] handlerLevels = new Level[handlers.length];
    Formatter[] formatters = new Formatter[handlers.length];
    for (int i = 0; i < handlers.length; i++) {
      handlerLevels[i] = handlers[i].getLevel();
      formatters[i] = handlers[i].getFormatter();
    }
    String formatKey = "java.util.logging.SimpleFormatter.format";
    String format = System.getProperty(formatKey);
    String classPath = System.getProperty("java.class.path");
    ContractRouter r;
    try {
      hyperledger.setUseParentHandlers(false);
      root.setLevel(Level.WARNING);
      if (!Boolean.getBoolean("cne.chaincode.fullClasspathScan")) {
        // The router finds serializers and contracts with two ClassGraph scans of the whole class
        // path (about 10 s each on a large one); ClassGraph reads java.class.path, so narrow it
        // to the two code sources that hold them for the duration of the scans.
        System.setProperty(
            "java.class.path",
            codeSource(ChaincodeRunner.class)
                + File.pathSeparator
                + codeSource(ContractRouter.class));
      }
      r = new ContractRouter(new String[] {"--id", CHAINCODE_ID});
      // findAllContracts() is package-private; ContractRouter.main normally calls it.
      Method find = ContractRouter.class.getDeclaredMethod("findAllContracts");
      find.setAccessible(true);
      find.invoke(r);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot initialise Fabric's ContractRouter", e);
    } finally {
      if (classPath != null) {
        System.setProperty("java.class.path", classPath);
      }
      hyperledger.setUseParentHandlers(useParent);
      root.setLevel(rootLevel);
      for (int i = 0; i < handlers.length; i++) {
        handlers[i].setLevel(handlerLevels[i]);
        handlers[i].setFormatter(formatters[i]);
      }
      if (format == null) {
        System.clearProperty(formatKey);
      } else {
        System.setProperty(formatKey, format);
      }
    }
    Level shimLevel = Level.OFF;
    String configured = System.getProperty("cne.chaincode.shimLogLevel");
    if (configured != null) {
      shimLevel = Level.parse(configured);
    }
    for (String name :
        List.of(
            "org.hyperledger.fabric",
            "org.hyperledger.fabric.contract",
            "org.hyperledger.fabric.shim")) {
      Logger l = Logger.getLogger(name);
      l.setLevel(shimLevel);
      QUIETED.add(l);
    }
    return r;
  }

  private static String codeSource(Class<?> c) {
    try {
      return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot locate the code source of "
              + c.getName()
              + "; set -Dcne.chaincode.fullClasspathScan=true",
          e);
    }
  }
}
