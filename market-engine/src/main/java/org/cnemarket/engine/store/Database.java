package org.cnemarket.engine.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * One handle per database: its one connection, serialised by the connection's monitor, and the
 * transaction helper every store of the database shares. A transaction begun inside another on the
 * same thread joins it, so a use case can write several aggregates atomically.
 */
public final class Database implements AutoCloseable {
  /** Work inside a transaction, against its connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private final Connection c;
  private final String name;
  private int depth; // guarded by c

  /** Wraps an open connection (see {@link Db}); {@code name} prefixes its error messages. */
  public Database(Connection connection, String name) {
    this.c = connection;
    this.name = name;
  }

  /** The H2 file database {@code dir/name} (see {@link Db#openFile}). */
  public static Database openFile(Path dir, String name) throws SQLException {
    return new Database(Db.openFile(dir, name), name + " database");
  }

  /**
   * Runs {@code work} in a transaction and commits; on any failure rolls back and rethrows (SQL
   * errors as {@link StoreException}). Inside another transaction it joins that one: the outer
   * transaction commits or rolls back both.
   */
  public <T> T inTransaction(Work<T> work) {
    return inTransaction(name, work);
  }

  /** As {@link #inTransaction(Work)}, with {@code what} naming the work in error messages. */
  public <T> T inTransaction(String what, Work<T> work) {
    synchronized (c) {
      if (depth > 0) {
        try {
          return work.run(c);
        } catch (SQLException e) {
          throw new StoreException(what + ": " + e.getMessage(), e);
        }
      }
      depth++;
      try {
        T result = work.run(c);
        Db.commit(c);
        return result;
      } catch (SQLException e) {
        rollbackQuietly();
        throw new StoreException(what + ": " + e.getMessage(), e);
      } catch (RuntimeException e) {
        rollbackQuietly();
        throw e;
      } finally {
        depth--;
      }
    }
  }

  private void rollbackQuietly() {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The original failure is what matters; the connection rolls back on close anyway.
    }
  }

  @Override
  public void close() {
    synchronized (c) {
      try {
        c.close();
      } catch (SQLException e) {
        throw new StoreException("closing the " + name + ": " + e.getMessage(), e);
      }
    }
  }
}
