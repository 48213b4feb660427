package org.cnemarket.wallet.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * Where the wallet finds the engine and its keystore. Each value comes from, in order: the
 * command-line flag, the environment ({@code CNE_ENGINE_URL}, {@code CNE_KEYSTORE}), the config
 * file ({@code engine.url}, {@code keystore}, {@code request.timeout}), then the default.
 *
 * @param engineUrl the engine's base URL
 * @param keystore the keystore file
 * @param requestTimeout deadline of each engine call
 * @param configFile the config file that was read, or null when none was
 */
record Settings(String engineUrl, Path keystore, Duration requestTimeout, Path configFile) {
  static final String DEFAULT_ENGINE_URL = "http://127.0.0.1:8080";
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  static final String ENV_ENGINE_URL = "CNE_ENGINE_URL";
  static final String ENV_KEYSTORE = "CNE_KEYSTORE";

  static Path defaultConfig(Path home) {
    return home.resolve(".cne").resolve("wallet.properties");
  }

  static Settings resolve(CliContext ctx, CommonOptions o) throws CliException {
    Path configPath = o.config != null ? o.config : defaultConfig(ctx.home());
    Properties props = new Properties();
    Path readConfig = null;
    try (Reader r = Files.newBufferedReader(configPath, StandardCharsets.UTF_8)) {
      props.load(r);
      readConfig = configPath;
    } catch (NoSuchFileException e) {
      // Only an explicitly named config file must exist; the default one is optional.
      if (o.config != null) {
        throw new CliException(
            ExitCodes.IO_ERROR, "config-missing", "no config file at " + configPath);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new CliException(
          ExitCodes.IO_ERROR,
          "config-unreadable",
          "cannot read config file " + configPath + ": " + e.getMessage());
    }
    String url =
        first(
            o.engine,
            ctx.env().get(ENV_ENGINE_URL),
            props.getProperty("engine.url"),
            DEFAULT_ENGINE_URL);
    Path keystore;
    if (o.keystore != null) {
      keystore = o.keystore;
    } else if (blankToNull(ctx.env().get(ENV_KEYSTORE)) != null) {
      keystore = expand(ctx.env().get(ENV_KEYSTORE).trim(), ctx.home(), null);
    } else if (blankToNull(props.getProperty("keystore")) != null) {
      // A relative path in the config file is relative to the file, not to the working directory.
      keystore =
          expand(
              props.getProperty("keystore").trim(),
              ctx.home(),
              configPath.toAbsolutePath().getParent());
    } else {
      keystore = ctx.home().resolve(".cne").resolve("keystore.json");
    }
    Duration timeout = o.requestTimeout;
    if (timeout == null && blankToNull(props.getProperty("request.timeout")) != null) {
      try {
        timeout = Converters.duration(props.getProperty("request.timeout").trim());
      } catch (IllegalArgumentException e) {
        throw new CliException(
            ExitCodes.USAGE,
            "bad-config",
            "request.timeout in " + configPath + ": " + e.getMessage());
      }
    }
    return new Settings(
        url.trim(), keystore, timeout == null ? DEFAULT_TIMEOUT : timeout, readConfig);
  }

  private static Path expand(String p, Path home, Path base) {
    if (p.equals("~")) {
      return home;
    }
    if (p.startsWith("~/")) {
      return home.resolve(p.substring(2));
    }
    Path path = Path.of(p);
    return path.isAbsolute() || base == null ? path : base.resolve(path);
  }

  private static String first(String... values) {
    for (String v : values) {
      if (blankToNull(v) != null) {
        return v;
      }
    }
    return null;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
