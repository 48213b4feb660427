package org.cnemarket.wallet.cli;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options every command takes. */
final class CommonOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Config file (default ~/.cne/wallet.properties): engine.url, keystore, request.timeout.")
  Path config;

  @Option(
      names = "--engine",
      paramLabel = "URL",
      description =
          "Engine base URL (env CNE_ENGINE_URL; default " + Settings.DEFAULT_ENGINE_URL + ").")
  String engine;

  @Option(
      names = "--keystore",
      paramLabel = "FILE",
      description = "Keystore file (env CNE_KEYSTORE; default ~/.cne/keystore.json).")
  Path keystore;

  @Option(
      names = "--request-timeout",
      paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      description = "Deadline of each engine call, e.g. 10s, 500ms (default 10s).")
  Duration requestTimeout;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;
}
