package org.cnemarket.engine.store;

import java.sql.Connection;
import java.sql.SQLException;

/** One JDBC transaction: commit when the work succeeds, roll back when it throws. */
public final class Transactions {
  /** Work against the connection that may fail with SQL errors. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run() throws SQLException;
  }

  private Transactions() {}

  /**
   * Runs {@code work} and commits; on any failure rolls back and rethrows (SQL errors as {@link
   * StoreException} prefixed with {@code what}). Callers serialise access to {@code c}.
   */
  public static <T> T run(Connection c, String what, SqlWork<T> work) {
    try {
      T result = work.run();
      Db.commit(c);
      return result;
    } catch (SQLException e) {
      rollbackQuietly(c);
      throw new StoreException(what + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      rollbackQuietly(c);
      throw e;
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The original failure is what matters; the connection rolls back on close anyway.
    }
  }
}
