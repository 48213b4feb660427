package org.cnemarket.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.engine.store.Db;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main job: the demo, audit verify and audit reprice, run twice on one directory. */
class DemoCommandTest {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {
    Fields lastJson() {
      String[] lines = out.strip().split("\n");
      return Fields.of(Json.parse(lines[lines.length - 1]), "summary");
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = EngineMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void theDemoSettlesVerifiesAndContinuesTheChainOnASecondRun() throws Exception {
    String data = dir.resolve("demo").toString();
    Run first = run("demo", "--slots", "3", "--data", data, "--json");
    assertThat(first.exit()).as(first.err()).isZero();
    Fields s1 = first.lastJson();
    assertThat(s1.bool("verified")).isTrue();
    assertThat(s1.bool("conservation")).isTrue();
    assertThat(s1.bool("repriced")).isTrue();
    assertThat(s1.longValue("trades")).isPositive();
    assertThat(s1.longValue("greenWh")).isPositive();
    assertThat(s1.longValue("contracts")).isEqualTo(3);
    assertThat(first.out()).contains("Stackelberg prices").contains("takes contract");

    Run verify = run("audit", "verify", "--data", data, "--json");
    assertThat(verify.exit()).as(verify.err() + verify.out()).isZero();
    assertThat(verify.lastJson().bool("verified")).isTrue();
    assertThat(verify.lastJson().bool("engineBatchesOnLedger")).isTrue();

    Run second = run("demo", "--slots", "2", "--data", data, "--json");
    assertThat(second.exit()).as(second.err()).isZero();
    Fields s2 = second.lastJson();
    assertThat(s2.longValue("ledgerHeight")).isGreaterThan(s1.longValue("ledgerHeight"));
    assertThat(s2.longValue("firstSlot")).isEqualTo(s1.longValue("firstSlot") + 3);
    assertThat(s2.longValue("batches")).isEqualTo(5);
    assertThat(run("audit", "verify", "--data", data).exit()).isZero();
    assertThat(run("audit", "reprice", "--data", data).exit()).isZero();
  }

  @Test
  void repricingFailsOnARoundWhoseRecordedInputWasAltered() throws Exception {
    String data = dir.resolve("altered").toString();
    assertThat(run("demo", "--slots", "2", "--data", data).exit()).isZero();
    try (Connection c = Db.openFile(Path.of(data), "engine");
        Statement s = c.createStatement()) {
      assertThat(
              s.executeUpdate(
                  "UPDATE rounds SET inputs_json = REPLACE(inputs_json, '\"remaining\":', '\"remaining\":1') "
                      + "WHERE round = 2"))
          .isEqualTo(1);
      c.commit();
    }
    assertThat(run("audit", "reprice", "--data", data, "--round", "1").exit()).isZero();
    Run r = run("audit", "reprice", "--data", data, "--round", "2");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("DOES NOT MATCH").contains("altered");
  }

  @Test
  void anAlteredLedgerRowMakesAuditVerifyFailNamingTheBlock() throws Exception {
    String data = dir.resolve("tampered").toString();
    assertThat(run("demo", "--slots", "1", "--data", data).exit()).isZero();
    try (Connection c = Db.openFile(Path.of(data), "ledger");
        Statement s = c.createStatement()) {
      assertThat(
              s.executeUpdate(
                  "UPDATE blocks SET body = REPLACE(body, '\"function\"', ' \"function\"') WHERE number = 7"))
          .isEqualTo(1);
      c.commit();
    }
    Run r = run("audit", "verify", "--data", data, "--json");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.lastJson().string("problem")).startsWith("block 7:");
  }

  @Test
  void aLedgerCutBackBelowTheAuditorsCheckpointFailsAuditVerifyNamingTheBlock() throws Exception {
    Path data = dir.resolve("truncated");
    assertThat(run("demo", "--slots", "1", "--data", data.toString()).exit()).isZero();
    Path kept = dir.resolve("ledger-after-round-1.mv.db");
    Files.copy(data.resolve("ledger.mv.db"), kept);
    assertThat(run("demo", "--slots", "1", "--data", data.toString()).exit()).isZero();
    Path checkpoint = dir.resolve("checkpoint.json");
    Run cp = run("audit", "checkpoint", "--data", data.toString(), "--out", checkpoint.toString());
    assertThat(cp.exit()).as(cp.err()).isZero();
    long head = cp.lastJson().longValue("number");
    assertThat(
            run("audit", "verify", "--data", data.toString(), "--checkpoint", checkpoint.toString())
                .exit())
        .isZero();

    // The newest blocks deleted and their writes rolled back: the earlier genuine ledger file.
    Files.copy(kept, data.resolve("ledger.mv.db"), StandardCopyOption.REPLACE_EXISTING);
    Run r =
        run(
            "audit",
            "verify",
            "--data",
            data.toString(),
            "--checkpoint",
            checkpoint.toString(),
            "--json");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.lastJson().string("problem"))
        .startsWith("block " + head + ": missing")
        .contains("truncated");
    Run pinned =
        run(
            "audit",
            "verify",
            "--data",
            data.toString(),
            "--node-address",
            "0x" + "12".repeat(20),
            "--json");
    assertThat(pinned.exit()).isEqualTo(1);
    assertThat(pinned.lastJson().string("problem")).startsWith("key: ");
  }

  @Test
  void badArgumentsAreRefusedWithAMessage() {
    Run r = run("demo", "--slots", "0", "--data", dir.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--slots");
    Run p = run("price", "stackelberg", "--input", dir.resolve("missing.json").toString());
    assertThat(p.exit()).isEqualTo(2);
    assertThat(p.err()).contains("cannot read");
    assertThat(Files.exists(dir.resolve("missing.json"))).isFalse();
  }
}
