package org.cnemarket.engine.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cnemarket.engine.whatif.WhatIfException;
import org.cnemarket.engine.whatif.WhatIfPricing;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "price",
    mixinStandardHelpOptions = true,
    description =
        "Solve one pricing instance from a JSON file and print the solution as JSON"
            + " (formats in docs/pricing.md).")
final class PriceCommand implements Callable<Integer> {
  @CommandLine.Parameters(
      index = "0",
      completionCandidates = WhatIfPricing.Names.class,
      description = "the mechanism or solver: ${COMPLETION-CANDIDATES}")
  String mechanism;

  @Option(names = "--input", required = true, description = "the instance, a JSON file")
  Path input;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    String json;
    try {
      json = Files.readString(input);
    } catch (IOException e) {
      spec.commandLine()
          .getErr()
          .println("cne-engine: cannot read " + input + ": " + e.getMessage());
      return 2;
    }
    try {
      spec.commandLine().getOut().println(WhatIfPricing.solve(mechanism, json));
      spec.commandLine().getOut().flush();
      return 0;
    } catch (WhatIfException e) {
      spec.commandLine().getErr().println("cne-engine: " + e.getMessage());
      return 2;
    }
  }
}
