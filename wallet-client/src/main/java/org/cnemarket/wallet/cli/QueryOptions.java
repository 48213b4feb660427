package org.cnemarket.wallet.cli;

import picocli.CommandLine.Option;

/** Whose records to list, and which page. */
final class QueryOptions {
  @Option(
      names = "--address",
      paramLabel = "ADDR",
      description = "Participant address (default: the keystore's address; no password needed).")
  String address;

  @Option(
      names = "--offset",
      paramLabel = "N",
      defaultValue = "0",
      description = "Skip N items (default 0).")
  int offset;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "100",
      description = "At most N items, 1 to 500 (default 100).")
  int limit;

  void check() throws CliException {
    if (offset < 0 || limit < 1 || limit > 500) {
      throw new CliException(
          ExitCodes.USAGE,
          "invalid-argument",
          "--offset must be ≥ 0 and --limit between 1 and 500");
    }
  }
}
