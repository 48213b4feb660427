package org.cnemarket.engine.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.engine.cli.EngineMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {
  static final Path SCENARIO =
      Path.of(System.getProperty("user.dir"))
          .getParent()
          .resolve("scenarios/s5.1-training-inference.json");

  record Run(int code, String out, String err) {}

  static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = EngineMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  /**
   * Settled simulation: every round on the embedded ledger, credits conserved, the ledger audits
   * clean.
   */
  @Test
  void settledRunConservesCreditsAndEnergyAndPassesAudit(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    Run r =
        cli(
            "simulate",
            "--scenario",
            SCENARIO.toString(),
            "--days",
            "2",
            "--strategy",
            "time-location",
            "--settle",
            "--out",
            out.toString(),
            "--no-progress",
            "--json");
    assertThat(r.code()).as(r.err()).isZero();
    Fields summary =
        Fields.of(Json.parse(Files.readString(out.resolve("summary.json"))), "summary");
    Fields st = summary.object("settlement").object("time-location");
    assertThat(st.bool("conserved")).isTrue();
    assertThat(st.bool("auditVerified")).isTrue();
    Fields m = summary.object("strategies").object("time-location");
    assertThat(m.longValue("computeMilliUnits")).isPositive();
    assertThat(st.longValue("auditTrades")).isEqualTo(m.longValue("trades"));
    // Wh: the energy the providers used never exceeds what was bought plus what the grid balanced.
    assertThat(m.longValue("energyWh")).isPositive();
    Run audit =
        cli("audit", "verify", "--data", out.resolve("ledger/time-location").toString(), "--json");
    assertThat(audit.code()).as(audit.out() + audit.err()).isZero();
    assertThat(audit.out()).contains("\"verified\":true");
  }

  @Test
  void strategiesSideBySideWriteCsvSummaryAndReport(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    Run r =
        cli(
            "simulate",
            "--scenario",
            SCENARIO.toString(),
            "--days",
            "4",
            "--strategy",
            "carbon-blind,market,time-shifting,time-location",
            "--out",
            out.toString(),
            "--no-progress");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> csv = Files.readAllLines(out.resolve("slots.csv"));
    assertThat(csv).hasSize(1 + 4 * 4 * 24 * 4);
    Map<String, Object> summary = Json.parseObject(Files.readString(out.resolve("summary.json")));
    Fields s = Fields.of(summary, "summary").object("strategies");
    long blind = s.object("carbon-blind").longValue("mgCo2PerUnit");
    long shifted = s.object("time-location").longValue("mgCo2PerUnit");
    assertThat(shifted).isLessThan(blind);
    // Without the scheduler work never leaves its home zone; it is late only when capacity is
    // short.
    assertThat(s.object("carbon-blind").longValue("movedMilliUnits")).isZero();
    assertThat(s.object("market").longValue("movedMilliUnits")).isZero();
    assertThat(s.object("time-shifting").longValue("movedMilliUnits")).isZero();
    assertThat(s.object("time-shifting").longValue("shiftedMilliUnits"))
        .isGreaterThan(s.object("carbon-blind").longValue("shiftedMilliUnits"));
    assertThat(s.object("time-location").longValue("movedMilliUnits")).isPositive();
    for (String k : List.of("carbon-blind", "market", "time-shifting", "time-location")) {
      assertThat(s.object(k).longValue("deadlineMisses")).as(k).isZero();
    }
    String html = Files.readString(out.resolve("report.html"));
    assertThat(html)
        .contains("<svg", "carbon-blind", "time-location", "Energy mix per zone", "frontier");
  }

  @Test
  void badInputIsAClearErrorAndWritesNothing(@TempDir Path dir) throws Exception {
    Run noFile =
        cli(
            "simulate",
            "--scenario",
            dir.resolve("missing.json").toString(),
            "--out",
            dir.resolve("o").toString());
    assertThat(noFile.code()).isEqualTo(2);
    assertThat(noFile.err()).contains("no scenario file");
    Run badStrategy =
        cli(
            "simulate",
            "--scenario",
            SCENARIO.toString(),
            "--strategy",
            "greenwash",
            "--out",
            dir.resolve("o").toString());
    assertThat(badStrategy.code()).isEqualTo(2);
    assertThat(badStrategy.err()).contains("unknown strategy 'greenwash'");
    Run tooLong =
        cli(
            "simulate",
            "--scenario",
            SCENARIO.toString(),
            "--days",
            "40",
            "--out",
            dir.resolve("o").toString());
    assertThat(tooLong.code()).isEqualTo(2);
    assertThat(tooLong.err()).contains("--days must be between 1 and 28");
    Path bad = dir.resolve("bad.json");
    Files.writeString(
        bad,
        "{\"name\":\"x\",\"zones\":[{\"name\":\"A\",\"series\":\"mars\"}],\"providers\":[],\"workloads\":[]}");
    Run badSeries =
        cli("simulate", "--scenario", bad.toString(), "--out", dir.resolve("o").toString());
    assertThat(badSeries.code()).isEqualTo(2);
    assertThat(badSeries.err()).contains("unknown grid series mars");
    assertThat(dir.resolve("o")).doesNotExist();
  }
}
