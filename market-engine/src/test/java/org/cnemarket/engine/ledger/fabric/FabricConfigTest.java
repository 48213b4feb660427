package org.cnemarket.engine.ledger.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.cnemarket.engine.ledger.LedgerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FabricConfigTest {
  @TempDir Path dir;

  private static final String MINIMAL =
      """
      {
        "peer": {"endpoint": "127.0.0.1:7051", "tlsCaCert": "tls/ca.pem"},
        "identity": {"mspId": "PlatformMSP", "cert": "id/cert.pem", "key": "/abs/key.pem"},
        "channel": "cne",
        "chaincode": "cne"
      }
      """;

  @Test
  void minimalProfileGetsDefaultsAndResolvesPaths() throws Exception {
    Path p = dir.resolve("profile.json");
    Files.writeString(p, MINIMAL);

    FabricConfig c = FabricConfig.load(p);

    assertThat(c.peerEndpoint()).isEqualTo("127.0.0.1:7051");
    assertThat(c.tlsCaCert()).isEqualTo(dir.resolve("tls/ca.pem"));
    assertThat(c.keyPath()).isEqualTo(Path.of("/abs/key.pem"));
    assertThat(c.hostOverride()).isEmpty();
    assertThat(c.deadlines()).isEqualTo(FabricConfig.Deadlines.DEFAULT);
    assertThat(c.retry()).isEqualTo(RetryPolicy.DEFAULT);
    assertThat(c.endorsingOrganizations()).isEmpty();
  }

  @Test
  void fullProfile() {
    FabricConfig c =
        FabricConfig.parse(
            """
            {"peer":{"endpoint":"localhost:9051","tlsCaCert":"ca.pem","hostOverride":"peer0.grid.cne.local"},
             "identity":{"mspId":"GridMSP","cert":"c.pem","key":"k.pem"},
             "channel":"cne","chaincode":"cnecc",
             "deadlines":{"evaluateMs":1000,"endorseMs":2000,"submitMs":3000,"commitStatusMs":4000,"eventsMs":500},
             "retry":{"maxAttempts":7,"initialBackoffMs":50,"maxBackoffMs":800},
             "endorsingOrganizations":["PlatformMSP"]}
            """,
            Path.of("/base"));
    assertThat(c.hostOverride()).contains("peer0.grid.cne.local");
    assertThat(c.deadlines().commitStatus()).isEqualTo(Duration.ofSeconds(4));
    assertThat(c.deadlines().events()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.retry())
        .isEqualTo(new RetryPolicy(7, Duration.ofMillis(50), Duration.ofMillis(800)));
    assertThat(c.endorsingOrganizations()).containsExactly("PlatformMSP");
    assertThat(c.chaincode()).isEqualTo("cnecc");
  }

  @Test
  void badProfilesNameTheField() throws Exception {
    Path p = dir.resolve("bad.json");
    Files.writeString(p, MINIMAL.replace("\"mspId\": \"PlatformMSP\", ", ""));
    assertThatThrownBy(() -> FabricConfig.load(p))
        .isInstanceOf(LedgerException.class)
        .hasMessageContaining("mspId");

    Files.writeString(p, MINIMAL.replace("127.0.0.1:7051", "grpcs://127.0.0.1"));
    assertThatThrownBy(() -> FabricConfig.load(p)).hasMessageContaining("host:port");

    assertThatThrownBy(() -> FabricConfig.load(dir.resolve("missing.json")))
        .isInstanceOf(LedgerException.class)
        .hasMessageContaining("cannot read");
  }

  /** The profiles shipped in network-config/ must parse. */
  @Test
  void shippedProfilesParse() throws Exception {
    Path profiles =
        Path.of("..", "network-config", "fabric", "profiles").toAbsolutePath().normalize();
    assertThat(profiles).isDirectory();
    List<Path> files;
    try (Stream<Path> s = Files.list(profiles)) {
      files = s.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    for (Path f : files) {
      FabricConfig c = FabricConfig.load(f);
      assertThat(c.channel()).isEqualTo("cne");
      assertThat(c.peerEndpoint()).startsWith("127.0.0.1:");
    }
  }
}
