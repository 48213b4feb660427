package org.cnemarket.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small JDBC helpers the stores share; each runs inside the caller's transaction. */
final class Sql {
  /** One row of a result, read into a value. */
  @FunctionalInterface
  interface Row<T> {
    T read(ResultSet r) throws SQLException;
  }

  /** Error texts are kept to the column's width. */
  static final int ERROR_CHARS = 2000;

  private Sql() {}

  static void bind(PreparedStatement s, List<?> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      s.setObject(i + 1, args.get(i));
    }
  }

  /** Every row of {@code sql} with {@code args} bound, in order. */
  static <T> List<T> list(Connection c, String sql, List<?> args, Row<T> row) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      List<T> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(row.read(r));
        }
      }
      return out;
    }
  }

  /**
   * As {@link #list}, with H2 handing the rows over as it finds them instead of gathering the
   * result first: a result larger than H2's in-memory limit (40,000 rows per GB of heap) is
   * otherwise written to a temporary file and read back. Only for queries without ORDER BY (a sort
   * gathers the result anyway): sort what it returns.
   */
  static <T> List<T> listStreamed(Connection c, String sql, List<?> args, Row<T> row)
      throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET LAZY_QUERY_EXECUTION TRUE");
      try {
        return list(c, sql, args, row);
      } finally {
        s.execute("SET LAZY_QUERY_EXECUTION FALSE");
      }
    }
  }

  /** The first row of {@code sql}, if any. */
  static <T> Optional<T> first(Connection c, String sql, List<?> args, Row<T> row)
      throws SQLException {
    List<T> l = list(c, sql, args, row);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
  }

  /** True when {@code sql} finds a row. */
  static boolean exists(Connection c, String sql, List<?> args) throws SQLException {
    return first(c, sql, args, r -> Boolean.TRUE).isPresent();
  }

  /** The number in the one row of a query without parameters (a count, a maximum). */
  static long number(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  /** The number in the one row of {@code sql} with {@code args} bound (a count, a maximum). */
  static long number(Connection c, String sql, List<?> args) throws SQLException {
    return first(c, sql, args, r -> r.getLong(1)).orElseThrow();
  }

  /** Runs an update with {@code args} bound; the number of rows changed. */
  static int update(Connection c, String sql, List<?> args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      return s.executeUpdate();
    }
  }

  static String clip(String text) {
    return text.length() > ERROR_CHARS ? text.substring(0, ERROR_CHARS) : text;
  }
}
