package org.cnemarket.wallet.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Option;

/**
 * Where the keystore password comes from: {@code --password-file}, else the environment variable
 * {@code CNE_WALLET_PASSWORD}, else a no-echo prompt on the terminal. The password is never printed
 * and never taken as a command-line value (it would show in the process list).
 */
final class PasswordOptions {
  static final String ENV_PASSWORD = "CNE_WALLET_PASSWORD";

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      description =
          "Read the keystore password from the first line of FILE (else env CNE_WALLET_PASSWORD, else a prompt).")
  Path passwordFile;

  /** The password to unlock an existing keystore. */
  char[] unlock(CliContext ctx, Path keystore) throws CliException {
    char[] p = fromFileOrEnv(ctx);
    if (p != null) {
      return p;
    }
    char[] typed = prompt(ctx, "Password for " + keystore + ": ");
    return typed;
  }

  /** A password for a new keystore; when prompting, asks twice. Empty passwords are refused. */
  char[] choose(CliContext ctx) throws CliException {
    char[] p = fromFileOrEnv(ctx);
    if (p == null) {
      p = prompt(ctx, "New keystore password: ");
      char[] again = prompt(ctx, "Repeat the password: ");
      boolean same = Arrays.equals(p, again);
      Arrays.fill(again, '\0');
      if (!same) {
        Arrays.fill(p, '\0');
        throw new CliException(
            ExitCodes.USAGE, "password-mismatch", "the two passwords differ; nothing was written");
      }
    }
    if (p.length == 0) {
      throw new CliException(
          ExitCodes.USAGE, "empty-password", "the keystore password must not be empty");
    }
    return p;
  }

  private char[] fromFileOrEnv(CliContext ctx) throws CliException {
    if (passwordFile != null) {
      try {
        String s = Files.readString(passwordFile, StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        if (line.endsWith("\r")) {
          line = line.substring(0, line.length() - 1);
        }
        return line.toCharArray();
      } catch (NoSuchFileException e) {
        throw new CliException(
            ExitCodes.IO_ERROR, "password-file-missing", "no password file at " + passwordFile);
      } catch (IOException e) {
        throw new CliException(
            ExitCodes.IO_ERROR,
            "password-file-unreadable",
            "cannot read the password file " + passwordFile + ": " + e.getMessage());
      }
    }
    String env = ctx.env().get(ENV_PASSWORD);
    return env == null ? null : env.toCharArray();
  }

  private static char[] prompt(CliContext ctx, String text) throws CliException {
    if (ctx.prompt() == null) {
      throw new CliException(
          ExitCodes.NO_PASSWORD,
          "no-password",
          "a password is needed: set "
              + ENV_PASSWORD
              + ", pass --password-file FILE, or run in a terminal");
    }
    char[] p = ctx.prompt().read(text);
    if (p == null) {
      throw new CliException(ExitCodes.NO_PASSWORD, "no-password", "no password was entered");
    }
    return p;
  }
}
