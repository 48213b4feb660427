package org.cnemarket.tests.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cnemarket.contracts.AnvilNode;

/**
 * An anvil node (the pinned binary from {@code contracts/node_modules}) that persists its chain:
 * {@code --state FILE} loads the file on start, and {@code --state-interval 1} dumps the chain to
 * it every second. A crash is SIGKILL; the restart on the same port loads the last dump.
 *
 * <p>Anvil cannot dump on SIGKILL, so a crash only waits for a dump taken after the last block was
 * mined (the engine is dead by then, so nothing new is mined): a node that lost mined blocks would
 * be a chain reorganisation, which no client of a chain can promise to survive.
 */
final class AnvilProcess implements AutoCloseable {
  private static final Pattern HEX_RESULT =
      Pattern.compile("\"result\"\\s*:\\s*\"0x([0-9a-fA-F]+)\"");

  private final Path stateFile;
  private final Path log;
  private final int port;
  private Process process;

  private AnvilProcess(Path stateFile, Path log, int port) {
    this.stateFile = stateFile;
    this.log = log;
    this.port = port;
  }

  /** Starts a node on a free loopback port with its chain in {@code stateFile}. */
  static AnvilProcess start(Path stateFile, Path log) throws IOException, InterruptedException {
    AnvilProcess a = new AnvilProcess(stateFile, log, freePort());
    a.launch();
    return a;
  }

  String rpcUrl() {
    return "http://127.0.0.1:" + port;
  }

  private void launch() throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                AnvilNode.locateBinary().toString(),
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--chain-id",
                Long.toString(AnvilNode.CHAIN_ID),
                "--accounts",
                Integer.toString(AnvilNode.DEV_PRIVATE_KEYS.size()),
                "--gas-limit",
                "60000000",
                "--state",
                stateFile.toString(),
                "--state-interval",
                "1"));
    process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && process.isAlive()) {
      if (blockNumberOrNull() != null) {
        return;
      }
      Thread.sleep(100);
    }
    close();
    throw new IllegalStateException(
        "anvil did not serve JSON-RPC on port " + port + " within 60 s; see " + log);
  }

  /** The chain's height, read over JSON-RPC. */
  long blockNumber() {
    Long n = blockNumberOrNull();
    if (n == null) {
      throw new IllegalStateException("anvil at " + rpcUrl() + " does not answer eth_blockNumber");
    }
    return n;
  }

  private Long blockNumberOrNull() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(rpcUrl()))
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"jsonrpc\":\"2.0\",\"method\":\"eth_blockNumber\",\"params\":[],\"id\":1}"))
            .build();
    try {
      Matcher m = HEX_RESULT.matcher(http.send(req, HttpResponse.BodyHandlers.ofString()).body());
      return m.find() ? Long.parseLong(m.group(1), 16) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * SIGKILL once a state dump covers the current height, then a restart on the same port from the
   * state file. Fails if the restarted node is not at the height it had.
   */
  void crashAndRestart() throws IOException, InterruptedException {
    long height = blockNumber();
    FileTime since = FileTime.fromMillis(System.currentTimeMillis());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    // Two dumps finished after the height was read: the second one began after it, so it holds
    // every mined block's state (the first may have begun before the last block's state was in).
    for (int dump = 0; dump < 2; dump++) {
      while (!Files.exists(stateFile)
          || Files.getLastModifiedTime(stateFile).compareTo(since) <= 0) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "anvil did not dump its state to " + stateFile + " within 30 s");
        }
        Thread.sleep(20);
      }
      since = Files.getLastModifiedTime(stateFile);
    }
    Thread.sleep(300); // let the dump that just began finish; the next one is a second away
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("anvil survived SIGKILL for 30 s");
    }
    launch();
    long after = blockNumber();
    if (after != height) {
      throw new IllegalStateException(
          "anvil came back from "
              + stateFile
              + " at height "
              + after
              + ", not "
              + height
              + ": the node lost blocks (a test-harness problem, not the engine's)");
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
