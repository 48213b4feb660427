package org.cnemarket.tests.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.cnemarket.engine.Engine;
import org.cnemarket.engine.config.EngineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code src/test/node/interop.test.mjs} (pinned ethers, @openzeppelin/merkle-tree and siwe,
 * installed by the build's {@code npm ci}) against a running engine on the embedded ledger: it
 * signs in, registers and submits orders using only the served typed-data definition, and checks
 * the ledger root and every proof of the engine's batch with OpenZeppelin's library.
 */
class NodeInteropTest {
  private static final String TOKEN = "operator-token-for-node-interop";

  @TempDir Path dir;

  @Test
  void independentEthereumToolingSignsInTradesAndVerifiesTheBatch() throws Exception {
    Path nodeDir = Path.of(System.getProperty("cne.node.dir", "src/test/node"));
    assertThat(nodeDir.resolve("node_modules/@openzeppelin/merkle-tree"))
        .as("npm ci ran")
        .isDirectory();
    try (Engine engine =
        Engine.start(EngineConfig.embedded(dir.resolve("engine"), 0, TOKEN), Clock.systemUTC())) {
      Path log = dir.resolve("node.log");
      ProcessBuilder pb =
          new ProcessBuilder("node", "--test", "--test-reporter=spec", "interop.test.mjs")
              .directory(nodeDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().put("CNE_ENGINE_URL", engine.baseUrl());
      pb.environment().put("CNE_OPERATOR_TOKEN", TOKEN);
      Process p = pb.start();
      boolean done = p.waitFor(240, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly();
      }
      String out = read(log);
      assertThat(done).as("node finished in time\n" + out).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out).containsPattern("pass 1\\b").containsPattern("fail 0\\b");
    }
  }

  private static String read(Path f) throws IOException {
    return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
  }
}
