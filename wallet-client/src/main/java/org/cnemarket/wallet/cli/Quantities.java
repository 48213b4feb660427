package org.cnemarket.wallet.cli;

import picocli.CommandLine.Option;

/** Mutually exclusive ways to state a quantity (used in exclusive, required arg groups). */
final class Quantities {
  private Quantities() {}

  /** Energy: kWh (human) or Wh. */
  static final class Energy {
    @Option(
        names = "--kwh",
        paramLabel = "KWH",
        converter = Converters.KwhConverter.class,
        description = "Energy in kWh (at most 3 decimals).")
    Long fromKwh;

    @Option(
        names = "--wh",
        paramLabel = "WH",
        converter = Converters.NonNegativeConverter.class,
        description = "Energy in Wh.")
    Long wh;

    long wh() {
      return fromKwh != null ? fromKwh : wh;
    }
  }

  /** Compute: compute units (human) or milli compute units. */
  static final class Compute {
    @Option(
        names = "--units",
        paramLabel = "UNITS",
        converter = Converters.UnitsConverter.class,
        description = "Compute units (at most 3 decimals).")
    Long fromUnits;

    @Option(
        names = "--milli-units",
        paramLabel = "MILLI",
        converter = Converters.NonNegativeConverter.class,
        description = "Milli compute units.")
    Long milli;

    long milli() {
      return fromUnits != null ? fromUnits : milli;
    }
  }

  /**
   * Basis points from either a percent option or a bps option (at most one given), else the
   * default.
   */
  static int greenBps(Integer fromPercent, Integer bps, int fallback) throws CliException {
    if (fromPercent != null && bps != null) {
      throw new CliException(
          ExitCodes.USAGE,
          "invalid-argument",
          "give the green share in percent or in basis points, not both");
    }
    return fromPercent != null ? fromPercent : bps != null ? bps : fallback;
  }
}
