package org.cnemarket.engine.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Opens H2 file (or in-memory) databases with the settings the engine relies on. */
public final class Db {
  private Db() {}

  /**
   * An embedded H2 file database at {@code dir/name}. {@code WRITE_DELAY=0} makes every commit
   * reach the file before {@code commit()} returns, so an acknowledged write survives a process
   * crash (H2's default delays file writes by up to 500 ms). It does not fsync: see
   * docs/reliability.md for what survives a power loss.
   */
  public static Connection openFile(Path dir, String name) throws SQLException {
    String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve(name) + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    return configure(DriverManager.getConnection(url, "cne", ""));
  }

  /** A private in-memory database, for tests. */
  public static Connection openMemory(String name) throws SQLException {
    return configure(DriverManager.getConnection("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "cne", ""));
  }

  private static Connection configure(Connection c) throws SQLException {
    c.setAutoCommit(false);
    c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
    return c;
  }
}
