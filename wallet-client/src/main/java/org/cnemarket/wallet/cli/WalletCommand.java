package org.cnemarket.wallet.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.wallet.WalletApi;
import org.cnemarket.wallet.keystore.Keystore;
import org.cnemarket.wallet.keystore.KeystoreException;
import picocli.CommandLine.Mixin;

/** Base of every leaf command: settings, keystore access, engine connection and output. */
abstract class WalletCommand implements Callable<Integer> {
  /** Set by {@link WalletMain}'s factory before the command runs. */
  CliContext ctx;

  @Mixin CommonOptions common;

  private Settings settings;

  @Override
  public final Integer call() throws Exception {
    return run();
  }

  abstract int run() throws Exception;

  Settings settings() throws CliException {
    if (settings == null) {
      settings = Settings.resolve(ctx, common);
    }
    return settings;
  }

  /** A wallet with the key unlocked from the keystore (for commands that sign). */
  WalletApi signing(PasswordOptions password) throws CliException, KeystoreException {
    Settings s = settings();
    // Reading the address first reports a missing or corrupt keystore before asking for a password.
    Keystore.readAddress(s.keystore());
    char[] pw = password.unlock(ctx, s.keystore());
    Secp256k1.KeyPair key;
    try {
      key = Keystore.read(s.keystore(), pw);
    } finally {
      Arrays.fill(pw, '\0');
    }
    return WalletApi.connect(s.engineUrl(), s.requestTimeout(), key);
  }

  /**
   * A wallet for reading: the engine serves market data to signed-in participants only, so it
   * unlocks the key too (password from env CNE_WALLET_PASSWORD or a prompt).
   */
  WalletApi readOnly() throws CliException, KeystoreException {
    return signing(new PasswordOptions());
  }

  /** {@code explicit} if given, else the keystore's address (read without the password). */
  String address(String explicit) throws CliException, KeystoreException {
    if (explicit != null) {
      String a = explicit.toLowerCase(Locale.ROOT);
      if (!a.matches("0x[0-9a-f]{40}")) {
        throw new CliException(
            ExitCodes.USAGE, "invalid-argument", "not a 0x address: " + explicit);
      }
      return a;
    }
    return Keystore.readAddress(settings().keystore());
  }

  /** Prints the result: the JSON object with {@code --json}, else the text. */
  void emit(Map<String, Object> json, String text) {
    ctx.out().println(common.json ? Json.write(json) : text);
    ctx.out().flush();
  }

  /**
   * A progress line: on stdout in text mode, on stderr with {@code --json} (stdout holds one
   * object).
   */
  void progress(String line) {
    (common.json ? ctx.err() : ctx.out()).println(line);
    (common.json ? ctx.err() : ctx.out()).flush();
  }
}
