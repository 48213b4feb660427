package org.cnemarket.wallet.cli;

import org.cnemarket.core.model.OrderKind;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code demand}: a user buys compute (COMPUTE_DEMAND). */
@Command(name = "demand", mixinStandardHelpOptions = true,
    description = "Demand compute in a slot (users): COMPUTE_DEMAND. Locks quantity × price in escrow.")
final class DemandCommand extends OrderCommand {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Quantities.Compute quantity;

  @Option(names = "--latency-ms", paramLabel = "MS", converter = Converters.NonNegativeConverter.class,
      description = "Latency bound in milliseconds (default 0 = none).")
  Long latencyMs;

  @Option(names = "--min-green-percent", paramLabel = "PERCENT", converter = Converters.PercentConverter.class,
      description = "Minimum green share in percent (default 0).")
  Integer greenPercent;

  @Option(names = "--min-green-bps", paramLabel = "BPS", converter = Converters.BpsConverter.class,
      description = "Minimum green share in basis points.")
  Integer greenBps;

  @Override
  int run() throws Exception {
    return submit(OrderKind.COMPUTE_DEMAND, order.terms(quantity.milli())
        .withLatencyMs(latencyMs == null ? 0 : latencyMs)
        .withGreenBps(Quantities.greenBps(greenPercent, greenBps, 0)));
  }
}
