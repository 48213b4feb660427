package org.cnemarket.engine.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/** Opens H2 file (or in-memory) databases with the settings the engine relies on. */
public final class Db {
  /** What an acknowledged write survives. */
  public enum Durability {
    /** Every commit is written to the file before it returns: survives a crash of the process. */
    PROCESS,
    /** Every commit is also forced to the storage device (fsync): survives a power loss too. */
    POWER_LOSS
  }

  private static volatile Durability durability = Durability.PROCESS;
  private static final Set<Connection> SYNCED =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  /**
   * How long closing a file database may spend moving live pages out of mostly-dead chunks. With
   * {@code WRITE_DELAY=0} H2 runs no background compaction, so a large transaction (a settlement
   * rewriting thousands of order records) leaves chunks that are mostly superseded pages until the
   * file is closed; H2's default of 200 ms leaves most of them in place.
   */
  static final int CLOSE_COMPACT_MILLIS = 5_000;

  /** H2's own page cache, KB: named on every open, since H2 keeps a scratch run's in the file. */
  static final int H2_DEFAULT_CACHE_KB = 16 << 10;

  /**
   * The most changed pages a file database keeps in memory inside a transaction before H2 writes
   * them out: 256 MB, or a sixteenth of the heap if that is less. With {@code WRITE_DELAY=0} every
   * commit still writes everything before it returns, so this changes nothing a commit promises; it
   * spares a large transaction (a round's commit, a settlement) H2's 19 MB threshold, at which the
   * pages it keeps changing were written again and again: a 10^4-order round closed in 2.9-3.6 s
   * instead of 4.6-4.9 s and left 12-13 KB per order on disk instead of 21 KB.
   */
  static final int DURABLE_WRITE_BUFFER_BYTES =
      (int) Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 16);

  /**
   * The same for a database opened with compressed pages, the embedded ledger's: 256 MB, or a
   * quarter of the heap if that is less. A pass of the ledger feed (20,000 orders) changes pages
   * all over its world state, whose keys are order ids; at a sixteenth of a 1 GB heap H2 wrote
   * those pages out in the middle of each pass and again at its commit, and the ledger grew to 4.5
   * KB per order on disk instead of 2.7 KB.
   */
  static final int LEDGER_WRITE_BUFFER_BYTES =
      (int) Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4);

  /** H2's own retention of superseded chunks, kept in power-loss mode as a second guard. */
  static final int H2_DEFAULT_RETENTION_MILLIS = 45_000;

  private Db() {}

  /**
   * Sets the durability of file databases opened from now on (the engine sets it once, at start).
   */
  public static void durability(Durability d) {
    durability = d;
  }

  public static Durability durability() {
    return durability;
  }

  /**
   * Commits; on a database opened for {@link Durability#POWER_LOSS} also forces the file to the
   * device. Group commit (the order intake) shares one such sync among many orders.
   */
  public static void commit(Connection c) throws SQLException {
    c.commit();
    if (SYNCED.contains(c)) {
      try (Statement s = c.createStatement()) {
        s.execute("CHECKPOINT SYNC");
      }
    }
  }

  /**
   * An embedded H2 file database at {@code dir/name}. {@code WRITE_DELAY=0} makes every commit
   * reach the file before {@code commit()} returns, so an acknowledged write survives a process
   * crash (H2's default delays file writes by up to 500 ms). It does not fsync: see
   * docs/reliability.md for what survives a power loss.
   */
  public static Connection openFile(Path dir, String name) throws SQLException {
    return openFile(dir, name, false);
  }

  /**
   * As {@link #openFile(Path, String)}; with {@code compressPages} H2 writes its pages
   * LZF-compressed (for the embedded ledger, whose JSON records and hex hashes shrink to about a
   * third on disk) and gathers up to {@link #LEDGER_WRITE_BUFFER_BYTES} of changes.
   */
  public static Connection openFile(Path dir, String name, boolean compressPages)
      throws SQLException {
    String url =
        "jdbc:h2:file:"
            + dir.toAbsolutePath().resolve(name)
            + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;MAX_COMPACT_TIME="
            + CLOSE_COMPACT_MILLIS
            + ";CACHE_SIZE="
            + H2_DEFAULT_CACHE_KB
            + (compressPages ? ";COMPRESS=TRUE" : "")
            // Named on every open: H2 keeps the setting in the file, and a file written by a
            // scratch run or in process mode must not carry 0 into power-loss mode.
            + (durability == Durability.PROCESS
                ? ";RETENTION_TIME=0"
                : ";RETENTION_TIME=" + H2_DEFAULT_RETENTION_MILLIS);
    Connection c = configure(DriverManager.getConnection(url, "cne", ""));
    WriteBuffer.widen(c, compressPages ? LEDGER_WRITE_BUFFER_BYTES : DURABLE_WRITE_BUFFER_BYTES);
    if (durability == Durability.POWER_LOSS) {
      SYNCED.add(c);
    }
    return c;
  }

  /** How long a scratch database's commits may wait before H2 writes them to its file. */
  static final int SCRATCH_WRITE_DELAY_MILLIS = 20_000;

  /**
   * The most changed pages, in H2's estimate of their size in memory, a scratch database keeps
   * before writing them: 512 MB, or an eighth of the heap if that is less (a simulation opens two).
   */
  static final int SCRATCH_WRITE_BUFFER_BYTES =
      (int) Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 8);

  /**
   * A scratch database's page cache, KB: 256 MB, or a sixteenth of the heap if that is less. H2's
   * 16 MB holds a settled simulation's hash-keyed indexes for its first weeks only; past that each
   * order's lookups read pages back from the file (28 simulated days: the last days 40-70 %
   * slower).
   */
  static final long SCRATCH_CACHE_KB =
      Math.min(256L << 10, Runtime.getRuntime().maxMemory() / 16 / 1024);

  /**
   * A scratch database at {@code dir/name}, for one whose loss in a crash costs a re-run and breaks
   * no promise (a simulation's market, created fresh and read at its end): nothing acknowledged to
   * anyone lives there. Commits reach the file in the background, every 20 s or when {@link
   * #SCRATCH_WRITE_BUFFER_BYTES} of changed pages have gathered, so a page changed by many
   * transactions in that time is written once; pages are read through a larger cache ({@link
   * #SCRATCH_CACHE_KB}). Space freed by superseded chunks is written over at once ({@code
   * RETENTION_TIME=0}; H2 keeps it 45 s by default, and a settled simulation rewrites so much that
   * three simulated days left 3.4 GB of files instead of 0.7 GB). Opened again with {@link
   * #openFile}, the file is synchronous like any other.
   */
  public static Connection openScratch(Path dir, String name) throws SQLException {
    Connection c =
        configure(
            DriverManager.getConnection(
                "jdbc:h2:file:"
                    + dir.toAbsolutePath().resolve(name)
                    + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY="
                    + SCRATCH_WRITE_DELAY_MILLIS
                    + ";RETENTION_TIME=0;CACHE_SIZE="
                    + SCRATCH_CACHE_KB,
                "cne",
                ""));
    WriteBuffer.widen(c, SCRATCH_WRITE_BUFFER_BYTES);
    return c;
  }

  /** A private in-memory database, for tests. */
  public static Connection openMemory(String name) throws SQLException {
    return configure(
        DriverManager.getConnection("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "cne", ""));
  }

  private static Connection configure(Connection c) throws SQLException {
    c.setAutoCommit(false);
    c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
    return c;
  }
}
