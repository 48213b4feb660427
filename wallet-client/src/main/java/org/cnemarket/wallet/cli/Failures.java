package org.cnemarket.wallet.cli;

import org.cnemarket.core.client.MarketClientException;
import org.cnemarket.core.codec.JsonException;
import org.cnemarket.wallet.keystore.KeystoreException;

/** Maps what a command throws to a message and an exit code. */
final class Failures {
  /** Any other failure: a bug, reported as such. */
  static final int INTERNAL = 70;

  private Failures() {}

  static CliException map(Throwable t) {
    if (t instanceof CliException c) {
      return c;
    }
    if (t instanceof MarketClientException m) {
      return engine(m);
    }
    if (t instanceof KeystoreException k) {
      return switch (k.reason()) {
        case MISSING ->
            new CliException(
                ExitCodes.KEYSTORE_MISSING,
                "keystore-missing",
                k.getMessage()
                    + " (create one with 'cne-wallet keys new', or point --keystore / CNE_KEYSTORE at it)");
        case WRONG_PASSWORD ->
            new CliException(ExitCodes.WRONG_PASSWORD, "wrong-password", k.getMessage());
        case INVALID, EXISTS ->
            new CliException(ExitCodes.KEYSTORE_INVALID, "keystore-invalid", k.getMessage());
        case IO -> new CliException(ExitCodes.IO_ERROR, "io", k.getMessage());
      };
    }
    if (t instanceof JsonException j) {
      return new CliException(ExitCodes.ENGINE_ERROR, "bad-response", j.getMessage());
    }
    if (t instanceof IllegalArgumentException i) {
      return new CliException(ExitCodes.USAGE, "invalid-argument", i.getMessage());
    }
    return new CliException(INTERNAL, "internal", "unexpected failure: " + t);
  }

  private static CliException engine(MarketClientException m) {
    if (m.status() == 0) {
      return "unreachable".equals(m.type())
          ? new CliException(
              ExitCodes.ENGINE_UNREACHABLE,
              "engine-unreachable",
              m.getMessage()
                  + " (is the engine running? set --engine, CNE_ENGINE_URL or engine.url in the config file)")
          : new CliException(ExitCodes.ENGINE_ERROR, m.type(), m.getMessage());
    }
    String what = m.type() + " (HTTP " + m.status() + "): " + m.getMessage();
    if (m.status() >= 400 && m.status() < 500) {
      return new CliException(ExitCodes.REJECTED, m.type(), "rejected by the engine: " + what);
    }
    return new CliException(ExitCodes.ENGINE_ERROR, m.type(), "the engine failed: " + what);
  }
}
