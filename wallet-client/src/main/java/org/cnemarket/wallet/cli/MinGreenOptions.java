package org.cnemarket.wallet.cli;

import picocli.CommandLine.Option;

/**
 * The buyer's minimum green share, in percent or basis points, shared by energy bids and compute
 * demand.
 */
final class MinGreenOptions {
  @Option(
      names = "--min-green-percent",
      paramLabel = "PERCENT",
      converter = Converters.PercentConverter.class,
      description = "Minimum green share in percent (default 0).")
  Integer greenPercent;

  @Option(
      names = "--min-green-bps",
      paramLabel = "BPS",
      converter = Converters.BpsConverter.class,
      description = "Minimum green share in basis points.")
  Integer greenBps;

  int bps() throws CliException {
    return Quantities.greenBps(greenPercent, greenBps, 0);
  }
}
