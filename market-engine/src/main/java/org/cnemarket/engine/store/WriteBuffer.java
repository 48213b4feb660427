package org.cnemarket.engine.store;

import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.SQLException;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How much changed data an H2 file database gathers in memory before writing it out. H2 writes
 * whenever about 19 MB of changed pages (its in-memory estimate) are unsaved, whatever the write
 * delay, and offers no setting for it. A settled simulation, or a large round's commit, changes
 * index pages all over hash-keyed tables (order ids, state keys), so at that threshold the same
 * pages are serialised again every few dozen rows: in a settled simulation that took almost half of
 * the CPU. A database written with {@code WRITE_DELAY=0} still writes everything at each commit, so
 * widening it changes nothing a commit promises; a scratch database, written behind, loses what it
 * gathered in a crash.
 */
final class WriteBuffer {
  private static final Logger LOG = LoggerFactory.getLogger(WriteBuffer.class);

  /**
   * MVStore's private threshold of unsaved memory (H2 2.3), set once when the store opens; null if
   * this H2 has none.
   */
  private static final Field THRESHOLD = threshold();

  private WriteBuffer() {}

  /**
   * Lets the file database behind {@code c} gather up to {@code bytes} of changes before it writes.
   * If this H2 has no such threshold, the database keeps H2's own: slower, equally correct.
   */
  static void widen(Connection c, int bytes) throws SQLException {
    if (THRESHOLD == null) {
      return;
    }
    MVStore store = store(c);
    try {
      if (bytes > THRESHOLD.getInt(store)) {
        THRESHOLD.setInt(store, bytes);
      }
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("MVStore's write threshold was made accessible", e);
    }
  }

  private static Field threshold() {
    try {
      Field f = MVStore.class.getDeclaredField("autoCommitMemory");
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("H2 keeps its own write buffer (about 19 MB) for every database: {}", e.toString());
      return null;
    }
  }

  /** What the database behind {@code c} gathers before it writes, bytes. */
  static int size(Connection c) throws SQLException {
    return store(c).getAutoCommitMemory();
  }

  private static MVStore store(Connection c) throws SQLException {
    SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
    return session.getDatabase().getStore().getMvStore();
  }
}
