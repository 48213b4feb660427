package org.cnemarket.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An acknowledged commit survives the death of the process: a child JVM commits rows one by one,
 * prints each id after its commit returned, and is killed (SIGKILL) at once; every printed id is in
 * the file afterwards.
 */
class DurabilityTest {

  /** The child: commits single-row transactions through {@link Db} and reports each one. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Db.durability(Db.Durability.valueOf(args[1]));
    try (Connection c = Db.openFile(dir, "durable")) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS t(id INT PRIMARY KEY)");
      }
      Db.commit(c);
      for (int i = 0; ; i++) {
        try (Statement s = c.createStatement()) {
          s.execute("INSERT INTO t VALUES(" + i + ")");
        }
        Db.commit(c);
        System.out.println(i);
        System.out.flush();
      }
    }
  }

  @Test
  void everyAcknowledgedCommitSurvivesKill9(@TempDir Path dir) throws Exception {
    for (Db.Durability d : Db.Durability.values()) {
      Path sub = Files.createDirectories(dir.resolve(d.name()));
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  DurabilityTest.class.getName(),
                  sub.toString(),
                  d.name())
              .redirectErrorStream(true)
              .start();
      List<Integer> acknowledged = new ArrayList<>();
      var out = p.inputReader();
      String line;
      while (acknowledged.size() < 200 && (line = out.readLine()) != null) {
        if (line.matches("\\d+")) {
          acknowledged.add(Integer.parseInt(line));
        }
      }
      p.destroyForcibly(); // SIGKILL: no shutdown hook, no close
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(acknowledged).as("the child committed").hasSize(200);
      try (Connection c = Db.openFile(sub, "durable");
          Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT COUNT(*), MAX(id) FROM t")) {
        r.next();
        assertThat(r.getLong(1))
            .as("%s: rows after kill -9", d)
            .isGreaterThanOrEqualTo(acknowledged.size());
        assertThat(r.getInt(2)).isGreaterThanOrEqualTo(acknowledged.get(acknowledged.size() - 1));
      }
    }
  }

  /**
   * A scratch database written behind (a simulation's) is durable again when it is opened next
   * time: the write delay it ran with does not stay with the file.
   */
  @Test
  void aDatabaseWrittenBehindIsSynchronousWhenOpenedAgain(@TempDir Path dir) throws Exception {
    try (Connection c = Db.openScratch(dir, "scratch")) {
      assertThat(writeDelay(c)).isEqualTo(Integer.toString(Db.SCRATCH_WRITE_DELAY_MILLIS));
    }
    try (Connection c = Db.openFile(dir, "scratch")) {
      assertThat(writeDelay(c)).isEqualTo("0");
    }
  }

  /**
   * A scratch database gathers far more changes than H2's own 19 MB before writing them (a settled
   * simulation spent almost half of its CPU re-serialising pages at H2's threshold); a durable file
   * database lets a large transaction gather a smaller buffer, since each commit writes everything
   * anyway. Fails if an H2 upgrade moves the threshold these settings rely on.
   */
  @Test
  void databasesGatherTheirChangesInAWideBuffer(@TempDir Path dir) throws Exception {
    int h2Default = 19 << 20;
    try (Connection c = Db.openScratch(dir, "scratch")) {
      assertThat(WriteBuffer.size(c))
          .isEqualTo(Db.SCRATCH_WRITE_BUFFER_BYTES)
          .isGreaterThan(h2Default);
      assertThat(setting(c, "CACHE_SIZE")).isEqualTo(Long.toString(Db.SCRATCH_CACHE_KB));
    }
    try (Connection c = Db.openFile(dir, "scratch")) {
      assertThat(WriteBuffer.size(c))
          .isEqualTo(Db.DURABLE_WRITE_BUFFER_BYTES)
          .isGreaterThan(h2Default)
          .isLessThan(Db.SCRATCH_WRITE_BUFFER_BYTES);
      assertThat(setting(c, "CACHE_SIZE")).isEqualTo(Integer.toString(Db.H2_DEFAULT_CACHE_KB));
    }
  }

  /**
   * H2 keeps the retention of superseded chunks in the file: a scratch run's 0 must not follow the
   * file into power-loss mode, where the default retention is a second guard.
   */
  @Test
  void aScratchFilesRetentionDoesNotFollowItIntoPowerLossMode(@TempDir Path dir) throws Exception {
    try (Connection c = Db.openScratch(dir, "scratch")) {
      assertThat(setting(c, "RETENTION_TIME")).isEqualTo("0");
    }
    Db.Durability before = Db.durability();
    Db.durability(Db.Durability.POWER_LOSS);
    try (Connection c = Db.openFile(dir, "scratch")) {
      assertThat(setting(c, "RETENTION_TIME")).isEqualTo("45000");
    } finally {
      Db.durability(before);
    }
  }

  private static String writeDelay(Connection c) throws Exception {
    return setting(c, "WRITE_DELAY");
  }

  private static String setting(Connection c, String name) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                    + " WHERE SETTING_NAME = '"
                    + name
                    + "'")) {
      return r.next() ? r.getString(1) : null;
    }
  }
}
