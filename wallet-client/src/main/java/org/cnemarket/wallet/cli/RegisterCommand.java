package org.cnemarket.wallet.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cnemarket.core.model.Participant;
import org.cnemarket.core.model.Role;
import org.cnemarket.wallet.WalletApi;
import org.cnemarket.wallet.order.Nonces;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code register}: a signed registration of the wallet's key with a role. */
@Command(
    name = "register",
    mixinStandardHelpOptions = true,
    description = "Register the wallet's key with the market (signed EIP-712 Registration).")
final class RegisterCommand extends WalletCommand {
  @Mixin PasswordOptions password;

  @Option(
      names = "--role",
      required = true,
      paramLabel = "ROLE",
      description = "PROVIDER, MICROGRID, USER or AUDITOR.")
  Role role;

  @Option(
      names = "--name",
      required = true,
      paramLabel = "NAME",
      description = "Display name (1 to 200 characters).")
  String name;

  @Option(
      names = "--nonce",
      paramLabel = "N",
      converter = Converters.NonNegativeConverter.class,
      description = "Registration nonce (default: a millisecond timestamp).")
  Long nonce;

  @Override
  int run() throws Exception {
    try (WalletApi api = signing(password)) {
      Participant p = api.register(role, name, nonce != null ? nonce : Nonces.next());
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("address", p.address());
      j.put("role", p.role().name());
      j.put("name", p.name());
      emit(j, "registered " + p.address() + " as " + p.role() + " (" + p.name() + ")");
      return ExitCodes.OK;
    }
  }
}
