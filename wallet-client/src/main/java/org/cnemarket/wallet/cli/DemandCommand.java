package org.cnemarket.wallet.cli;

import org.cnemarket.core.model.OrderKind;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code demand}: a user buys compute (COMPUTE_DEMAND). */
@Command(
    name = "demand",
    mixinStandardHelpOptions = true,
    description =
        "Demand compute in a slot (users): COMPUTE_DEMAND. Locks quantity × price in escrow.")
final class DemandCommand extends OrderCommand {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Quantities.Compute quantity;

  @Option(
      names = "--latency-ms",
      paramLabel = "MS",
      converter = Converters.NonNegativeConverter.class,
      description = "Latency bound in milliseconds (default 0 = none).")
  Long latencyMs;

  @Mixin MinGreenOptions minGreen;

  @Override
  int run() throws Exception {
    return submit(
        OrderKind.COMPUTE_DEMAND,
        order
            .terms(quantity.milli())
            .withLatencyMs(latencyMs == null ? 0 : latencyMs)
            .withGreenBps(minGreen.bps()));
  }
}
