package org.cnemarket.wallet.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a run of the CLI sees of its surroundings, injectable so tests can run commands in-process
 * with their own environment, home directory and captured output.
 *
 * @param env environment variables (CNE_ENGINE_URL, CNE_KEYSTORE, CNE_WALLET_PASSWORD)
 * @param home the user's home directory (for ~/.cne/wallet.properties and the default keystore)
 * @param out standard output
 * @param err standard error
 * @param prompt reads a password from the terminal without echo, or null when there is none
 */
public record CliContext(
    Map<String, String> env, Path home, PrintWriter out, PrintWriter err, PasswordPrompt prompt) {

  /** Reads a secret from a terminal without echoing it. */
  @FunctionalInterface
  public interface PasswordPrompt {
    /** The typed password, or null at end of input. */
    char[] read(String prompt);
  }

  public CliContext {
    env = Map.copyOf(env);
  }

  /** The real process environment, System.out/err and System.console(). */
  public static CliContext system() {
    Console console = System.console();
    PasswordPrompt p = console == null ? null : console::readPassword;
    return new CliContext(
        System.getenv(),
        Path.of(System.getProperty("user.home")),
        new PrintWriter(System.out, true),
        new PrintWriter(System.err, true),
        p);
  }
}
