package org.cnemarket.wallet.cli;

/** A command failed in a way it has already explained; carries the exit code and a short type. */
final class CliException extends Exception {
  private final int exitCode;
  private final String type;

  CliException(int exitCode, String type, String message) {
    super(message);
    this.exitCode = exitCode;
    this.type = type;
  }

  int exitCode() {
    return exitCode;
  }

  String type() {
    return type;
  }
}
