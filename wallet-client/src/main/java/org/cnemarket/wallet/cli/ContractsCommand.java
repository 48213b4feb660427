package org.cnemarket.wallet.cli;

import java.util.List;
import java.util.Map;
import org.cnemarket.wallet.WalletApi;
import org.cnemarket.wallet.order.Nonces;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code contracts}: the platform's incentive menu and a provider's signed choice from it. */
@Command(
    name = "contracts",
    mixinStandardHelpOptions = true,
    description =
        "Incentive contracts: committed green capacity for a reward, screened on the provider's type.",
    subcommands = {ContractsCommand.Menu.class, ContractsCommand.Take.class})
final class ContractsCommand extends Groups {

  @Command(
      name = "menu",
      mixinStandardHelpOptions = true,
      description = "Show an epoch's contract menu.")
  static final class Menu extends WalletCommand {
    @Option(
        names = "--epoch",
        paramLabel = "N",
        converter = Converters.NonNegativeConverter.class,
        description = "Epoch (24 hourly slots; default: the epoch of the next open slot).")
    Long epoch;

    @Override
    int run() throws Exception {
      try (WalletApi api = readOnly()) {
        Map<String, Object> menu = api.contractMenu(epoch);
        StringBuilder text = new StringBuilder("epoch " + menu.get("epoch") + " incentive menu:");
        for (Object o : (List<?>) menu.get("contracts")) {
          Map<?, ?> c = (Map<?, ?>) o;
          text.append(
              String.format(
                  "%n  contract %s: commit %s green units, reward %s credits",
                  c.get("index"),
                  Format.milli((Long) c.get("committedMilliUnits")),
                  Format.credits((Long) c.get("rewardMicros"))));
        }
        emit(menu, text.toString());
        return ExitCodes.OK;
      }
    }
  }

  @Command(
      name = "take",
      mixinStandardHelpOptions = true,
      description =
          "Take a contract of the menu with a signed choice (default: the one designed for your type).")
  static final class Take extends WalletCommand {
    @Mixin PasswordOptions password;

    @Option(
        names = "--epoch",
        paramLabel = "N",
        converter = Converters.NonNegativeConverter.class,
        description = "Epoch (default: the epoch of the next open slot).")
    Long epoch;

    @Option(
        names = "--index",
        paramLabel = "K",
        converter = Converters.NonNegativeConverter.class,
        description =
            "Contract index (default: your type's, which incentive compatibility makes your best).")
    Long index;

    @Override
    int run() throws Exception {
      try (WalletApi api = signing(password)) {
        long e = epoch != null ? epoch : (Long) api.contractMenu(null).get("epoch");
        long k = index != null ? index : api.contractType();
        Map<String, Object> taken = api.takeContract(e, k, Nonces.next());
        emit(
            taken,
            "took contract "
                + taken.get("index")
                + " of epoch "
                + e
                + ": commit "
                + Format.milli((Long) taken.get("committedMilliUnits"))
                + " green units for "
                + Format.credits((Long) taken.get("rewardMicros"))
                + " credits");
        return ExitCodes.OK;
      }
    }
  }
}
