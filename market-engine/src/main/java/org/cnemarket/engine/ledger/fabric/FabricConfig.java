package org.cnemarket.engine.ledger.fabric;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.engine.ledger.LedgerException;

/**
 * How the engine reaches a Fabric network: one gateway peer, one client identity, the channel and
 * chaincode, the deadlines of each gateway call and the retry policy.
 *
 * <p>Read from a JSON connection profile ({@link #load(Path)}); relative paths in it are resolved
 * against the profile's own folder. Format (integers only; optional fields show their default):
 *
 * <pre>{@code
 * {
 *   "peer": {
 *     "endpoint": "127.0.0.1:7051",                 // host:port of a peer's gateway service
 *     "tlsCaCert": "crypto/.../tlsca.platform.cne.local-cert.pem",
 *     "hostOverride": "peer0.platform.cne.local"     // optional: TLS server name to verify
 *   },
 *   "identity": {
 *     "mspId": "PlatformMSP",
 *     "cert": "identities/engine/cert.pem",         // X.509 certificate, PEM
 *     "key": "identities/engine/key.pem"            // its private key, PEM (PKCS#8 or SEC1)
 *   },
 *   "channel": "cne",
 *   "chaincode": "cne",
 *   "deadlines": { "evaluateMs": 5000, "endorseMs": 15000, "submitMs": 5000,
 *                  "commitStatusMs": 60000, "eventsMs": 2000 },
 *   "retry": { "maxAttempts": 5, "initialBackoffMs": 200, "maxBackoffMs": 5000 },
 *   "endorsingOrganizations": ["PlatformMSP", "GridMSP"]   // optional: default, the gateway
 *                                                          // picks peers the policy needs
 * }
 * }</pre>
 *
 * @param peerEndpoint host:port of the gateway peer
 * @param tlsCaCert PEM file of the CA that issued the peer's TLS certificate
 * @param hostOverride TLS server name to verify instead of the endpoint's host, if any
 * @param mspId MSP id of the client identity
 * @param certPath the client's X.509 certificate (PEM)
 * @param keyPath the client's private key (PEM)
 * @param channel channel name
 * @param chaincode chaincode name
 * @param deadlines per-call deadlines
 * @param retry retry policy for MVCC conflicts
 * @param endorsingOrganizations MSP ids whose peers must endorse; empty: the gateway chooses from
 *     the chaincode's endorsement policy (what a deployment wants)
 */
public record FabricConfig(
    String peerEndpoint,
    Path tlsCaCert,
    Optional<String> hostOverride,
    String mspId,
    Path certPath,
    Path keyPath,
    String channel,
    String chaincode,
    Deadlines deadlines,
    RetryPolicy retry,
    List<String> endorsingOrganizations) {

  /**
   * Deadlines of the gateway calls.
   *
   * @param evaluate a query (evaluate)
   * @param endorse collecting endorsements
   * @param submit handing the endorsed transaction to the orderer
   * @param commitStatus waiting for the transaction to be committed
   * @param events how long a read of the chaincode event stream waits for more events
   */
  public record Deadlines(
      Duration evaluate,
      Duration endorse,
      Duration submit,
      Duration commitStatus,
      Duration events) {
    public static final Deadlines DEFAULT =
        new Deadlines(
            Duration.ofSeconds(5),
            Duration.ofSeconds(15),
            Duration.ofSeconds(5),
            Duration.ofMinutes(1),
            Duration.ofSeconds(2));

    public Deadlines {
      for (Duration d : new Duration[] {evaluate, endorse, submit, commitStatus, events}) {
        if (d == null || d.isNegative() || d.isZero()) {
          throw new IllegalArgumentException("deadlines must be positive");
        }
      }
    }
  }

  public FabricConfig {
    require(peerEndpoint, "peer.endpoint");
    require(mspId, "identity.mspId");
    require(channel, "channel");
    require(chaincode, "chaincode");
    if (tlsCaCert == null || certPath == null || keyPath == null) {
      throw new IllegalArgumentException(
          "peer.tlsCaCert, identity.cert and identity.key are required");
    }
    if (!peerEndpoint.matches("[^:/\\s]+:\\d{1,5}")) {
      throw new IllegalArgumentException(
          "peer.endpoint must be host:port, got '" + peerEndpoint + "'");
    }
    hostOverride = hostOverride == null ? Optional.empty() : hostOverride.filter(s -> !s.isBlank());
    deadlines = deadlines == null ? Deadlines.DEFAULT : deadlines;
    retry = retry == null ? RetryPolicy.DEFAULT : retry;
    endorsingOrganizations =
        endorsingOrganizations == null ? List.of() : List.copyOf(endorsingOrganizations);
  }

  private static void require(String v, String what) {
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(what + " is required");
    }
  }

  /** Reads a JSON connection profile; throws {@link LedgerException} naming the bad field. */
  public static FabricConfig load(Path profile) throws LedgerException {
    String text;
    try {
      text = Files.readString(profile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new LedgerException("cannot read Fabric connection profile " + profile + ": " + e, e);
    }
    Path base = profile.toAbsolutePath().getParent();
    try {
      return parse(text, base);
    } catch (IllegalArgumentException e) {
      throw new LedgerException(
          "bad Fabric connection profile " + profile + ": " + e.getMessage(), e);
    }
  }

  /** Parses a profile's JSON text, resolving relative paths against {@code base}. */
  public static FabricConfig parse(String json, Path base) {
    Fields f = Fields.of(Json.parse(json), "profile");
    Fields peer = f.object("peer");
    Fields id = f.object("identity");
    Deadlines d = Deadlines.DEFAULT;
    if (f.has("deadlines")) {
      Fields dl = f.object("deadlines");
      d =
          new Deadlines(
              ms(dl, "evaluateMs", d.evaluate()),
              ms(dl, "endorseMs", d.endorse()),
              ms(dl, "submitMs", d.submit()),
              ms(dl, "commitStatusMs", d.commitStatus()),
              ms(dl, "eventsMs", d.events()));
    }
    RetryPolicy r = RetryPolicy.DEFAULT;
    if (f.has("retry")) {
      Fields rf = f.object("retry");
      r =
          new RetryPolicy(
              rf.intValue("maxAttempts"),
              ms(rf, "initialBackoffMs", r.initialBackoff()),
              ms(rf, "maxBackoffMs", r.maxBackoff()));
    }
    return new FabricConfig(
        peer.string("endpoint"),
        resolve(base, peer.string("tlsCaCert")),
        Optional.ofNullable(peer.string("hostOverride", null)),
        id.string("mspId"),
        resolve(base, id.string("cert")),
        resolve(base, id.string("key")),
        f.string("channel"),
        f.string("chaincode"),
        d,
        r,
        f.has("endorsingOrganizations") ? strings(f.list("endorsingOrganizations")) : List.of());
  }

  private static List<String> strings(List<Object> values) {
    List<String> out = new ArrayList<>();
    for (Object v : values) {
      if (!(v instanceof String s) || s.isBlank()) {
        throw new IllegalArgumentException("endorsingOrganizations must be MSP ids (strings)");
      }
      out.add(s);
    }
    return out;
  }

  private static Duration ms(Fields f, String key, Duration fallback) {
    return f.has(key) ? Duration.ofMillis(f.longValue(key)) : fallback;
  }

  private static Path resolve(Path base, String p) {
    Path path = Path.of(p);
    return path.isAbsolute() || base == null ? path : base.resolve(path).normalize();
  }
}
