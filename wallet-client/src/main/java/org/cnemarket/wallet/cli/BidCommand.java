package org.cnemarket.wallet.cli;

import org.cnemarket.core.model.OrderKind;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bid}: a provider buys energy (ENERGY_BID); escrow is locked on acceptance. */
@Command(
    name = "bid",
    mixinStandardHelpOptions = true,
    description =
        "Bid for energy in a slot (providers): ENERGY_BID. Locks quantity × price in escrow.")
final class BidCommand extends OrderCommand {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Quantities.Energy quantity;

  @Mixin MinGreenOptions minGreen;

  @Override
  int run() throws Exception {
    return submit(OrderKind.ENERGY_BID, order.terms(quantity.wh()).withGreenBps(minGreen.bps()));
  }
}
