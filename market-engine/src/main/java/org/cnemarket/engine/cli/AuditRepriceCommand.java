package org.cnemarket.engine.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.engine.Engine;
import org.cnemarket.engine.audit.Repricer;
import org.cnemarket.engine.round.PricingRoundClearing;
import org.cnemarket.engine.store.Db;
import org.cnemarket.engine.store.MarketStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "reprice",
    mixinStandardHelpOptions = true,
    description =
        "Recompute settled rounds from their recorded inputs and compare with what the ledger holds.")
final class AuditRepriceCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, description = "data directory of the engine")
  Path data;

  @Option(names = "--round", description = "the round to reprice (default: every round)")
  Long round;

  @CommandLine.Mixin LedgerOptions ledger;

  @Option(names = "--json", description = "print one JSON object per round")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!Files.exists(data.resolve("engine.mv.db"))) {
      spec.commandLine().getErr().println("cne-engine: no engine database in " + data);
      return 2;
    }
    var domain = Eip712.Domain.cne(ledger.chainId, Eip712.Domain.ZERO_ADDRESS);
    try (var store = new MarketStore(Db.openFile(data, "engine"));
        var l = Engine.openLedger(ledger.settings(), data, domain, Clock.systemUTC(), store)) {
      var repricer = new Repricer(store, l, new PricingRoundClearing());
      long last = store.rounds().last();
      if (round != null && (round < 1 || round > last)) {
        spec.commandLine()
            .getErr()
            .println("cne-engine: no round " + round + " (rounds 1 to " + last + ")");
        return 2;
      }
      boolean all = true;
      PrintWriter out = spec.commandLine().getOut();
      for (long n = round == null ? 1 : round; n <= (round == null ? last : round); n++) {
        var v = repricer.reprice(n);
        all &= v.matches();
        if (json) {
          out.println(Json.write(v.toJson()));
        } else {
          out.println(
              "round "
                  + n
                  + ": "
                  + (v.matches() ? "matches the ledger" : "DOES NOT MATCH: " + v.problem()));
        }
      }
      out.flush();
      return all ? 0 : 1;
    }
  }
}
