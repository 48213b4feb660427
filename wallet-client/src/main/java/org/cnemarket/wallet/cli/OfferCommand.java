package org.cnemarket.wallet.cli;

import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.OrderKind;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code offer energy} (microgrids) and {@code offer compute} (providers). */
@Command(
    name = "offer",
    mixinStandardHelpOptions = true,
    description = "Post a signed sell order.",
    subcommands = {OfferCommand.Energy.class, OfferCommand.Compute.class})
final class OfferCommand extends Groups {

  @Command(
      name = "energy",
      mixinStandardHelpOptions = true,
      description = "Offer energy for a slot (microgrids): ENERGY_OFFER.")
  static final class Energy extends OrderCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Quantities.Energy quantity;

    @Option(
        names = "--source",
        required = true,
        paramLabel = "SOURCE",
        description = "Energy source: GRID, SOLAR, WIND, HYDRO or STORAGE.")
    EnergySource source;

    @Option(
        names = "--carbon",
        paramLabel = "G_PER_KWH",
        converter = Converters.GramsConverter.class,
        description = "Carbon intensity in g CO2/kWh (at most 3 decimals; default 0).")
    Long carbonMg;

    @Option(
        names = "--carbon-mg-per-kwh",
        paramLabel = "MG",
        converter = Converters.NonNegativeConverter.class,
        description = "Carbon intensity in mg CO2/kWh.")
    Long carbonMgRaw;

    @Option(
        names = "--green-percent",
        paramLabel = "PERCENT",
        converter = Converters.PercentConverter.class,
        description = "Green share supplied in percent (default 100 for SOLAR/WIND/HYDRO, else 0).")
    Integer greenPercent;

    @Option(
        names = "--green-bps",
        paramLabel = "BPS",
        converter = Converters.BpsConverter.class,
        description = "Green share supplied in basis points.")
    Integer greenBps;

    @Override
    int run() throws Exception {
      if (carbonMg != null && carbonMgRaw != null) {
        throw new CliException(
            ExitCodes.USAGE, "invalid-argument", "give --carbon or --carbon-mg-per-kwh, not both");
      }
      long carbon = carbonMg != null ? carbonMg : carbonMgRaw != null ? carbonMgRaw : 0;
      int green = Quantities.greenBps(greenPercent, greenBps, source.green() ? 10_000 : 0);
      return submit(
          OrderKind.ENERGY_OFFER,
          order
              .terms(quantity.wh())
              .withSource(source)
              .withCarbonMgPerKwh(carbon)
              .withGreenBps(green));
    }
  }

  @Command(
      name = "compute",
      mixinStandardHelpOptions = true,
      description = "Offer compute for a slot (providers): COMPUTE_OFFER.")
  static final class Compute extends OrderCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Quantities.Compute quantity;

    @Option(
        names = "--green-percent",
        paramLabel = "PERCENT",
        converter = Converters.PercentConverter.class,
        description = "Green share of the energy behind the offer, in percent (default 0).")
    Integer greenPercent;

    @Option(
        names = "--green-bps",
        paramLabel = "BPS",
        converter = Converters.BpsConverter.class,
        description = "Green share in basis points.")
    Integer greenBps;

    @Override
    int run() throws Exception {
      return submit(
          OrderKind.COMPUTE_OFFER,
          order
              .terms(quantity.milli())
              .withGreenBps(Quantities.greenBps(greenPercent, greenBps, 0)));
    }
  }
}
