package org.cnemarket.tests.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code network.sh} with the real Fabric binaries, where it must fail: fast and clean. */
@Tag("fabric")
class FabricNetworkScriptTest {

  @Test
  void upStopsAtOnceWhenANodeDiesAndLeavesNoProcessRunning(@TempDir Path tmp) throws Exception {
    Path repo = FabricNetwork.repoDir();
    Optional<Map<String, String>> tools = FabricNetwork.locateTools(repo);
    assumeTrue(tools.isPresent(), FabricNetwork.NOT_RUN);
    int offset = FabricNetwork.freeOffset();
    Path build = tmp.resolve("build");
    // The orderer's client port is taken: the orderer exits at start.
    try (ServerSocket taken =
        new ServerSocket(7050 + offset, 1, InetAddress.getLoopbackAddress())) {
      ProcessBuilder pb =
          new ProcessBuilder(
                  "bash", repo.resolve("network-config/fabric/network.sh").toString(), "up")
              .redirectErrorStream(true)
              .redirectOutput(tmp.resolve("up.log").toFile());
      pb.environment().putAll(tools.get());
      pb.environment().put("CNE_FABRIC_BUILD", build.toString());
      pb.environment().put("CNE_FABRIC_PORT_OFFSET", Integer.toString(offset));
      long t0 = System.nanoTime();
      Process up = pb.start();
      try {
        assertThat(up.waitFor(50, TimeUnit.SECONDS))
            .as("up gave up before its 60 s port wait")
            .isTrue();
        String log = Files.readString(tmp.resolve("up.log"), StandardCharsets.UTF_8);
        assertThat(up.exitValue()).as(log).isEqualTo(1);
        assertThat(log)
            .contains("orderer0 exited before opening")
            .contains("stopping the nodes it started");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(50);
        Matcher started = Pattern.compile("started (\\S+) \\(pid (\\d+)\\)").matcher(log);
        int nodes = 0;
        while (started.find()) {
          nodes++;
          long pid = Long.parseLong(started.group(2));
          assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
              .as(started.group(1) + " (pid " + pid + ") still running")
              .isFalse();
        }
        assertThat(nodes).as("nodes started before the failure").isEqualTo(3);
        try (Stream<Path> pids = Files.list(build.resolve("pids"))) {
          assertThat(pids.toList()).as("pid files left").isEmpty();
        }
      } finally {
        up.destroyForcibly();
        ProcessBuilder down =
            new ProcessBuilder(
                    "bash", repo.resolve("network-config/fabric/network.sh").toString(), "down")
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("down.log").toFile());
        down.environment().put("CNE_FABRIC_BUILD", build.toString());
        down.start().waitFor(60, TimeUnit.SECONDS);
      }
    }
  }
}
