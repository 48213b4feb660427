package org.cnemarket.wallet.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** One in-process run of {@code cne-wallet}: exit code and captured output. */
record CliRun(int exitCode, String out, String err) {
  static CliRun run(
      Map<String, String> env, Path home, CliContext.PasswordPrompt prompt, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        WalletMain.execute(
            new CliContext(
                env, home, new PrintWriter(out, true), new PrintWriter(err, true), prompt),
            args);
    return new CliRun(code, out.toString(), err.toString());
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
