package org.cnemarket.engine.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.cnemarket.engine.store.Db;

/**
 * How the engine's user-facing surfaces behave: sign-in, tokens, rate limits, TLS, logs. Read from
 * a properties file and environment variables ({@code cne.rate.per-second} in the file is {@code
 * CNE_RATE_PER_SECOND} in the environment; the environment wins). Nothing secret has a default
 * here: TLS material and the operator's key address come only from configuration.
 *
 * @param siweDomain the domain named in EIP-4361 sign-in messages (the host users see)
 * @param siweUri the URI named in sign-in messages
 * @param challengeTtlSeconds how long a sign-in challenge stays valid
 * @param tokenTtlSeconds how long an issued JWT stays valid
 * @param rateLimitPerSecond sustained requests per second per participant (token bucket refill)
 * @param rateLimitBurst bucket size: requests a participant may send at once
 * @param operatorAddress an address that signs in with the OPERATOR role, or null
 * @param tlsCertPem PEM certificate chain for HTTPS, or null for plain HTTP
 * @param tlsKeyPem PEM private key for HTTPS, or null
 * @param tlsKeystore a PKCS#12 keystore for HTTPS (instead of PEM), or null
 * @param tlsKeystorePassword the keystore's password, or null
 * @param logFormat "plain" or "json"
 * @param shutdownGraceSeconds how long a graceful shutdown waits for requests in flight
 * @param publicMarketData whether clearing prices, volumes, energy mix, carbon per round and batch
 *     roots are readable without signing in (as power exchanges publish them)
 * @param webhookRetryBaseMillis the first retry delay of a failed webhook delivery (doubling after)
 * @param webhookMaxAttempts how many times a webhook delivery is tried before it is dropped
 * @param durability what an acknowledged write survives: a process crash, or a power loss too
 * @param ledgerMaxLagMillis under continuous intake, how long an acknowledged order may wait before
 *     the ledger feed takes it onto the ledger (0: at once); between bursts it is taken after a 20
 *     ms pause of the intake, and settlement always takes what a round needs first
 */
public record SurfaceConfig(
    String siweDomain,
    String siweUri,
    long challengeTtlSeconds,
    long tokenTtlSeconds,
    double rateLimitPerSecond,
    int rateLimitBurst,
    String operatorAddress,
    Path tlsCertPem,
    Path tlsKeyPem,
    Path tlsKeystore,
    String tlsKeystorePassword,
    String logFormat,
    long shutdownGraceSeconds,
    boolean publicMarketData,
    long webhookRetryBaseMillis,
    int webhookMaxAttempts,
    Db.Durability durability,
    long ledgerMaxLagMillis) {

  public SurfaceConfig {
    if (ledgerMaxLagMillis < 0 || ledgerMaxLagMillis > 600_000) {
      throw new IllegalArgumentException("cne.ledger.max-lag-millis must be between 0 and 600000");
    }
    if (challengeTtlSeconds < 10 || challengeTtlSeconds > 3600) {
      throw new IllegalArgumentException(
          "cne.auth.challenge-ttl-seconds must be between 10 and 3600");
    }
    if (tokenTtlSeconds < 1 || tokenTtlSeconds > 24 * 3600) {
      throw new IllegalArgumentException("cne.auth.token-ttl-seconds must be between 1 and 86400");
    }
    if (!(rateLimitPerSecond > 0) || rateLimitBurst < 1) {
      throw new IllegalArgumentException("cne.rate.per-second and cne.rate.burst must be positive");
    }
    if (operatorAddress != null) {
      operatorAddress = operatorAddress.toLowerCase(Locale.ROOT);
      if (!operatorAddress.matches("0x[0-9a-f]{40}")) {
        throw new IllegalArgumentException("cne.operator.address must be a 0x address");
      }
    }
    if ((tlsCertPem == null) != (tlsKeyPem == null)) {
      throw new IllegalArgumentException("cne.tls.cert and cne.tls.key must be set together");
    }
    if (tlsKeystore != null && tlsCertPem != null) {
      throw new IllegalArgumentException("configure TLS with PEM files or a keystore, not both");
    }
    if (!"plain".equals(logFormat) && !"json".equals(logFormat)) {
      throw new IllegalArgumentException("cne.log.format must be plain or json");
    }
    if (webhookRetryBaseMillis < 1 || webhookRetryBaseMillis > 3_600_000) {
      throw new IllegalArgumentException(
          "cne.webhooks.retry-base-millis must be between 1 and 3600000");
    }
    if (webhookMaxAttempts < 1 || webhookMaxAttempts > 20) {
      throw new IllegalArgumentException("cne.webhooks.max-attempts must be between 1 and 20");
    }
  }

  /** The same configuration with public market data switched on or off. */
  public SurfaceConfig withPublicMarketData(boolean on) {
    return with(c -> c.publicMarketData = on);
  }

  /** The same configuration with sign-in messages naming {@code domain} and {@code uri}. */
  public SurfaceConfig withSignInDomain(String domain, String uri) {
    return with(
        c -> {
          c.siweDomain = domain;
          c.siweUri = uri;
        });
  }

  /** The same configuration with {@code address} signing in as the operator. */
  public SurfaceConfig withOperatorAddress(String address) {
    return with(c -> c.operatorAddress = address);
  }

  /**
   * The same configuration with webhook retries starting at {@code baseMillis}, at most {@code
   * attempts} tries.
   */
  public SurfaceConfig withWebhookRetries(long baseMillis, int attempts) {
    return with(
        c -> {
          c.webhookRetryBaseMillis = baseMillis;
          c.webhookMaxAttempts = attempts;
        });
  }

  /** A copy with {@code change} applied, checked again by the constructor. */
  private SurfaceConfig with(Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return c.build();
  }

  /** The settings of a configuration, to change some of them in {@link #with}. */
  private static final class Copy {
    String siweDomain;
    String siweUri;
    String operatorAddress;
    boolean publicMarketData;
    long webhookRetryBaseMillis;
    int webhookMaxAttempts;
    private final SurfaceConfig from;

    Copy(SurfaceConfig from) {
      this.from = from;
      this.siweDomain = from.siweDomain;
      this.siweUri = from.siweUri;
      this.operatorAddress = from.operatorAddress;
      this.publicMarketData = from.publicMarketData;
      this.webhookRetryBaseMillis = from.webhookRetryBaseMillis;
      this.webhookMaxAttempts = from.webhookMaxAttempts;
    }

    SurfaceConfig build() {
      return new SurfaceConfig(
          siweDomain,
          siweUri,
          from.challengeTtlSeconds,
          from.tokenTtlSeconds,
          from.rateLimitPerSecond,
          from.rateLimitBurst,
          operatorAddress,
          from.tlsCertPem,
          from.tlsKeyPem,
          from.tlsKeystore,
          from.tlsKeystorePassword,
          from.logFormat,
          from.shutdownGraceSeconds,
          publicMarketData,
          webhookRetryBaseMillis,
          webhookMaxAttempts,
          from.durability,
          from.ledgerMaxLagMillis);
    }
  }

  /**
   * The default lag of the ledger behind continuous intake: a 20,000-order burst is recorded at the
   * speed of its signature checks, and the ledger takes it right after.
   */
  public static final long DEFAULT_LEDGER_MAX_LAG_MILLIS = 2_000;

  /** Loopback defaults: 15-minute tokens, 5-minute challenges, 50 req/s (burst 200), plain HTTP. */
  public static SurfaceConfig defaults() {
    return from(new Properties(), Map.of());
  }

  public boolean tls() {
    return tlsCertPem != null || tlsKeystore != null;
  }

  /** Reads {@code file} (may be null) and then the environment, which overrides the file. */
  public static SurfaceConfig load(Path file, Map<String, String> env) throws IOException {
    Properties p = new Properties();
    if (file != null) {
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      }
    }
    return from(p, env);
  }

  static SurfaceConfig from(Properties p, Map<String, String> env) {
    Lookup l = new Lookup(p, env);
    return new SurfaceConfig(
        l.get("cne.auth.domain", "localhost"),
        l.get("cne.auth.uri", "http://localhost"),
        l.longValue("cne.auth.challenge-ttl-seconds", 300),
        l.longValue("cne.auth.token-ttl-seconds", 900),
        Double.parseDouble(l.get("cne.rate.per-second", "50")),
        (int) l.longValue("cne.rate.burst", 200),
        l.get("cne.operator.address", null),
        l.path("cne.tls.cert"),
        l.path("cne.tls.key"),
        l.path("cne.tls.keystore"),
        l.get("cne.tls.keystore-password", null),
        l.get("cne.log.format", "plain"),
        l.longValue("cne.shutdown.grace-seconds", 30),
        l.bool("cne.public.market-data", false),
        l.longValue("cne.webhooks.retry-base-millis", 1000),
        (int) l.longValue("cne.webhooks.max-attempts", 6),
        durability(l.get("cne.durability", "process")),
        l.longValue("cne.ledger.max-lag-millis", DEFAULT_LEDGER_MAX_LAG_MILLIS));
  }

  private static Db.Durability durability(String v) {
    return switch (v) {
      case "process" -> Db.Durability.PROCESS;
      case "power-loss" -> Db.Durability.POWER_LOSS;
      default ->
          throw new IllegalArgumentException(
              "cne.durability must be process or power-loss, not " + v);
    };
  }

  /**
   * A key from the environment (cne.a.b-c is CNE_A_B_C), else the properties file, else the
   * fallback.
   */
  private record Lookup(Properties props, Map<String, String> env) {
    String get(String key, String fallback) {
      String envKey = key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
      String v = env.get(envKey);
      if (v == null || v.isBlank()) {
        v = props.getProperty(key);
      }
      return v == null || v.isBlank() ? fallback : v.trim();
    }

    long longValue(String key, long fallback) {
      String v = get(key, null);
      try {
        return v == null ? fallback : Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + " must be an integer, not " + v, e);
      }
    }

    boolean bool(String key, boolean fallback) {
      String v = get(key, null);
      if (v == null) {
        return fallback;
      }
      if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
        throw new IllegalArgumentException(key + " must be true or false, not " + v);
      }
      return Boolean.parseBoolean(v);
    }

    Path path(String key) {
      String v = get(key, null);
      return v == null ? null : Path.of(v);
    }
  }
}
