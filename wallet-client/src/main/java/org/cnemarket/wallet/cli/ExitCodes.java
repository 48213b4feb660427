package org.cnemarket.wallet.cli;

/** The CLI's exit codes; each failure a script may want to react to has its own. */
public final class ExitCodes {
  public static final int OK = 0;

  /**
   * {@code proof}: the trade's proof did not verify against the ledger (or the trade is unknown).
   */
  public static final int NOT_VERIFIED = 1;

  /** Bad arguments or options (picocli's usage error code). */
  public static final int USAGE = 2;

  /** The engine could not be reached (connection refused, timeout, bad host). */
  public static final int ENGINE_UNREACHABLE = 3;

  /** No keystore file where the settings point. */
  public static final int KEYSTORE_MISSING = 4;

  /** The keystore's password is wrong. */
  public static final int WRONG_PASSWORD = 5;

  /** The engine refused the request (4xx problem: rejected order, unknown participant...). */
  public static final int REJECTED = 6;

  /** The engine failed (5xx, ledger unavailable, or a reply of the wrong shape). */
  public static final int ENGINE_ERROR = 7;

  /** The keystore cannot be used: corrupt, unsupported, or (for {@code keys new}) already there. */
  public static final int KEYSTORE_INVALID = 8;

  /** {@code watch} stopped at its timeout before seeing {@code --rounds} rounds. */
  public static final int TIMEOUT = 9;

  /** A local file (config, password file, keystore directory) could not be read or written. */
  public static final int IO_ERROR = 10;

  /** A password is needed but none was given and there is no terminal to ask on. */
  public static final int NO_PASSWORD = 11;

  private ExitCodes() {}

  /** The table shown at the end of {@code --help}. */
  static String[] table() {
    return new String[] {
      "Exit codes:",
      "  0  success",
      "  1  proof not verified (or unknown trade)",
      "  2  bad arguments",
      "  3  engine unreachable",
      "  4  keystore missing",
      "  5  wrong password",
      "  6  rejected by the engine (problem type and detail printed)",
      "  7  engine error (5xx, ledger unavailable, bad reply)",
      "  8  keystore unusable (corrupt, unsupported, already exists)",
      "  9  watch timed out before --rounds rounds",
      " 10  local file error",
      " 11  no password (set CNE_WALLET_PASSWORD, --password-file, or use a terminal)",
    };
  }
}
