package org.cnemarket.wallet.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cnemarket.wallet.Balance;
import org.cnemarket.wallet.WalletApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code balance}: the participant's credit on the ledger. */
@Command(
    name = "balance",
    mixinStandardHelpOptions = true,
    description = "Show the participant's available and escrowed credit, as the ledger holds it.")
final class BalanceCommand extends WalletCommand {
  @Option(
      names = "--address",
      paramLabel = "ADDR",
      description = "Participant address (default: the keystore's address; no password needed).")
  String address;

  @Override
  int run() throws Exception {
    String a = address(address);
    try (WalletApi api = readOnly()) {
      Balance b = api.balance(a);
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("account", b.account());
      j.put("availableMicros", b.availableMicros());
      j.put("escrowMicros", b.escrowMicros());
      emit(
          j,
          b.account()
              + "\n  available: "
              + Format.credits(b.availableMicros())
              + " credits"
              + "\n  in escrow: "
              + Format.credits(b.escrowMicros())
              + " credits");
      return ExitCodes.OK;
    }
  }
}
