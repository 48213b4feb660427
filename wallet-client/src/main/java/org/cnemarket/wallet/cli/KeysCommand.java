package org.cnemarket.wallet.cli;

import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.wallet.keystore.KdfParams;
import org.cnemarket.wallet.keystore.Keystore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code keys new} and {@code keys show}. */
@Command(
    name = "keys",
    description = "Create or show the wallet's key.",
    mixinStandardHelpOptions = true,
    subcommands = {KeysCommand.New.class, KeysCommand.Show.class})
final class KeysCommand extends Groups {

  @Command(
      name = "new",
      mixinStandardHelpOptions = true,
      description =
          "Generate a secp256k1 key and write it to an encrypted V3 keystore (never overwrites).")
  static final class New extends WalletCommand {
    @Mixin PasswordOptions password;

    @Option(
        names = "--light",
        description =
            "Cheaper scrypt (N=4096, p=6) as web3j's light wallets; for tests and throw-away keys.")
    boolean light;

    @Override
    int run() throws Exception {
      Settings s = settings();
      if (Files.exists(s.keystore())) {
        throw new CliException(
            ExitCodes.KEYSTORE_INVALID,
            "keystore-exists",
            "a keystore already exists at " + s.keystore() + "; refusing to overwrite it");
      }
      char[] pw = password.choose(ctx);
      SecureRandom random = new SecureRandom();
      Secp256k1.KeyPair key = Secp256k1.KeyPair.generate(random);
      try {
        Keystore.write(s.keystore(), key, pw, light ? KdfParams.LIGHT : KdfParams.STANDARD, random);
      } finally {
        Arrays.fill(pw, '\0');
      }
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("address", key.address());
      j.put("keystore", s.keystore().toString());
      emit(
          j,
          "created key "
              + key.address()
              + "\nkeystore: "
              + s.keystore()
              + "\nkeep the password safe: without it the key cannot be recovered");
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Print the keystore's address (no password needed).")
  static final class Show extends WalletCommand {
    @Override
    int run() throws Exception {
      Settings s = settings();
      String address = Keystore.readAddress(s.keystore());
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("address", address);
      j.put("keystore", s.keystore().toString());
      emit(j, address);
      return ExitCodes.OK;
    }
  }
}
