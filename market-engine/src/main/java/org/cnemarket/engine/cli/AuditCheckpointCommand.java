package org.cnemarket.engine.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cnemarket.core.codec.Json;
import org.cnemarket.engine.ledger.embedded.Checkpoint;
import org.cnemarket.engine.ledger.embedded.LedgerAudit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "checkpoint",
    mixinStandardHelpOptions = true,
    description =
        "Embedded ledger: verify it and write a checkpoint of its head (block number, hash, the node's"
            + " signature and address) for the auditor to keep; audit verify --checkpoint FILE then detects a"
            + " truncated or rewritten chain.")
final class AuditCheckpointCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, description = "data directory of the engine")
  Path data;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "where to write the checkpoint")
  Path out;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Checkpoint cp;
    try {
      cp = LedgerAudit.checkpoint(data, System.currentTimeMillis());
    } catch (IllegalStateException e) {
      spec.commandLine().getErr().println("no checkpoint: " + e.getMessage());
      return 1;
    }
    cp.write(out);
    spec.commandLine().getOut().println(Json.write(cp.toJson()));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
