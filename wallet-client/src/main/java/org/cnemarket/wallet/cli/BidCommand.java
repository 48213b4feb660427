package org.cnemarket.wallet.cli;

import org.cnemarket.core.model.OrderKind;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bid}: a provider buys energy (ENERGY_BID); escrow is locked on acceptance. */
@Command(name = "bid", mixinStandardHelpOptions = true,
    description = "Bid for energy in a slot (providers): ENERGY_BID. Locks quantity × price in escrow.")
final class BidCommand extends OrderCommand {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Quantities.Energy quantity;

  @Option(names = "--min-green-percent", paramLabel = "PERCENT", converter = Converters.PercentConverter.class,
      description = "Minimum green share in percent (default 0).")
  Integer greenPercent;

  @Option(names = "--min-green-bps", paramLabel = "BPS", converter = Converters.BpsConverter.class,
      description = "Minimum green share in basis points.")
  Integer greenBps;

  @Override
  int run() throws Exception {
    return submit(OrderKind.ENERGY_BID, order.terms(quantity.wh())
        .withGreenBps(Quantities.greenBps(greenPercent, greenBps, 0)));
  }
}
