package org.cnemarket.engine.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.engine.Engine;
import org.cnemarket.engine.audit.AccountAudit;
import org.cnemarket.engine.audit.BatchCrossCheck;
import org.cnemarket.engine.audit.StoreCrossCheck;
import org.cnemarket.engine.ledger.embedded.Checkpoint;
import org.cnemarket.engine.ledger.embedded.LedgerAudit;
import org.cnemarket.engine.store.Db;
import org.cnemarket.engine.store.MarketStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description =
        "Embedded ledger: check the block hash chain and signatures, replay every transaction through"
            + " the chaincode, compare the world state and every batch's Merkle root. Every ledger: check that each"
            + " settled batch is on the ledger with the root of the trades the engine serves.")
final class AuditVerifyCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, description = "data directory of the engine")
  Path data;

  @Option(names = "--json", description = "print the report as JSON")
  boolean json;

  @Option(
      names = "--checkpoint",
      paramLabel = "FILE",
      description =
          "embedded ledger: a checkpoint taken earlier (audit checkpoint); fails unless the chain still"
              + " extends it, signed by the node key it pins")
  Path checkpoint;

  @Option(
      names = "--node-address",
      paramLabel = "0x…",
      description =
          "embedded ledger: the node key the auditor pinned; fails when blocks are signed by another key")
  String nodeAddress;

  @CommandLine.Mixin LedgerOptions ledger;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    String problem = null;
    if (ledger.ledger.equals("embedded")) {
      Checkpoint cp;
      try {
        cp = checkpoint == null ? null : Checkpoint.read(checkpoint);
      } catch (IllegalArgumentException | IOException e) {
        spec.commandLine().getErr().println("NOT verified: " + e.getMessage());
        return 2;
      }
      LedgerAudit.Report r = LedgerAudit.verify(data, cp);
      if (cp != null) {
        m.put("checkpoint", cp.number());
      }
      if (r.verified() && nodeAddress != null && !nodeAddress.equalsIgnoreCase(r.nodeAddress())) {
        r =
            new LedgerAudit.Report(
                false,
                r.blocks(),
                r.transactions(),
                r.trades(),
                r.batches(),
                r.nodeAddress(),
                "key: the blocks are signed by "
                    + r.nodeAddress()
                    + ", the auditor pinned "
                    + nodeAddress);
      }
      m.put("blocks", r.blocks());
      m.put("transactions", r.transactions());
      m.put("trades", r.trades());
      m.put("batches", r.batches());
      if (r.nodeAddress() != null) {
        m.put("node", r.nodeAddress());
      }
      problem = r.problem();
    }
    if (problem == null && Files.exists(data.resolve("engine.mv.db"))) {
      try (var store = new MarketStore(Db.openFile(data, "engine"))) {
        var domain = Eip712.Domain.cne(ledger.chainId, Eip712.Domain.ZERO_ADDRESS);
        try (var l = Engine.openLedger(ledger.settings(), data, domain, Clock.systemUTC(), store)) {
          var x = BatchCrossCheck.check(store, l);
          m.put("ledger", l.backend());
          m.putIfAbsent("batches", x.batches());
          m.putIfAbsent("trades", x.trades());
          m.put("engineBatchesOnLedger", x.verified());
          problem = x.problem();
          if (problem == null) {
            var accounts = AccountAudit.check(store, l);
            m.put("accounts", accounts.accounts());
            var stores = StoreCrossCheck.check(store, l);
            m.put("storesAgree", stores.verified());
            m.put("ordersPendingLedger", stores.ordersPendingLedger());
            m.put("depositsPendingLedger", stores.depositsPendingLedger());
            if (!stores.verified()) {
              m.put("differences", stores.problems());
              problem =
                  "the engine and the ledger differ: "
                      + stores.problems().get(0)
                      + (stores.problems().size() > 1
                          ? " (and " + (stores.problems().size() - 1) + " more)"
                          : "");
            } else if (stores.ordersPendingLedger() == 0 && stores.depositsPendingLedger() == 0) {
              // With nothing on its way, every account must agree to the micro-credit.
              m.put("conservation", accounts.conserved());
              if (!accounts.conserved()) {
                problem =
                    accounts.mismatches().isEmpty()
                        ? "balances sum to "
                            + (accounts.availableMicros() + accounts.escrowMicros())
                            + " micro-credits, deposits to "
                            + accounts.depositsMicros()
                        : "account "
                            + accounts.mismatches().get(0).account()
                            + " differs: "
                            + accounts.mismatches().get(0);
              }
            }
          }
        }
      }
    }
    boolean verified = problem == null;
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("verified", verified);
    report.putAll(m);
    if (problem != null) {
      report.put("problem", problem);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(report));
    } else if (verified) {
      out.println("verified: " + m);
    } else {
      spec.commandLine().getErr().println("NOT verified: " + problem);
    }
    out.flush();
    return verified ? 0 : 1;
  }
}
