package org.cnemarket.tests.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cnemarket.contracts.AnvilNode;
import org.cnemarket.core.codec.Json;

/**
 * An anvil node (the pinned binary from {@code contracts/node_modules}) that persists its chain:
 * {@code --state FILE} loads the file on start, and {@code --state-interval 1} dumps the chain to
 * it every second. A crash is SIGKILL; the restart on the same port loads the last dump.
 *
 * <p>Anvil cannot dump on SIGKILL, so a crash only comes once a complete dump holds everything the
 * node mined (the engine is dead by then, so nothing new is mined): a node that lost mined blocks
 * would be a chain reorganisation, which no client of a chain can promise to survive.
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
    String body =
        rpc("{\"jsonrpc\":\"2.0\",\"method\":\"eth_blockNumber\",\"params\":[],\"id\":1}");
    if (body == null) {
      return null;
    }
    Matcher m = HEX_RESULT.matcher(body);
    return m.find() ? Long.parseLong(m.group(1), 16) : null;
  }

  /** One JSON-RPC call; its response body, or null when the node does not answer. */
  private String rpc(String request) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(rpcUrl()))
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(request))
            .build();
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * SIGKILL once a complete state dump holds every block and transaction the node mined, then a
   * restart on the same port from the state file. Fails if the restarted node is not at the height
   * and the operator's nonce it had.
   *
   * <p>Anvil dumps in place (truncate, then write in 8 KiB pieces) every second, so the file's
   * modification time says neither that a dump is complete nor when its snapshot was taken. The
   * dump is therefore checked by its content: it must parse, and hold the node's height and the
   * operator's nonce read once the node was quiet (every engine transaction is the operator's, so
   * equal nonces mean every one of them is in the dumped state). The verified bytes are written
   * back after the kill: a kill that lands inside the next dump would leave half a file, and a
   * node's persisted state is never half a file.
   */
  void crashAndRestart(String operator) throws IOException, InterruptedException {
    long[] quiet = quiet(operator);
    long height = quiet[0];
    long nonce = quiet[1];
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    byte[] dump;
    while ((dump = completeDump(height, operator, nonce)) == null) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "anvil did not dump height "
                + height
                + " and operator nonce "
                + nonce
                + " to "
                + stateFile
                + " within 60 s");
      }
      Thread.sleep(50);
    }
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("anvil survived SIGKILL for 30 s");
    }
    Files.write(stateFile, dump);
    launch();
    long after = blockNumber();
    long nonceAfter = nonceOf(operator);
    if (after != height || nonceAfter != nonce) {
      throw new IllegalStateException(
          "anvil came back from "
              + stateFile
              + " at height "
              + after
              + " with operator nonce "
              + nonceAfter
              + ", not "
              + height
              + " and "
              + nonce
              + ": the node lost state (a test-harness problem, not the engine's)");
    }
  }

  /**
   * Waits until the node mined everything it was sent (height and the operator's nonce unchanged
   * for 300 ms); answers {height, nonce}.
   */
  private long[] quiet(String operator) throws InterruptedException {
    long[] last = {blockNumber(), nonceOf(operator)};
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      Thread.sleep(300);
      long[] now = {blockNumber(), nonceOf(operator)};
      if (now[0] == last[0] && now[1] == last[1]) {
        return now;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("anvil kept mining for 30 s after the engine was killed");
      }
      last = now;
    }
  }

  /** The state file's bytes if they are a complete dump at this height and operator nonce. */
  private byte[] completeDump(long height, String operator, long nonce) throws IOException {
    if (!Files.exists(stateFile)) {
      return null;
    }
    byte[] bytes = Files.readAllBytes(stateFile);
    Map<String, Object> state;
    try {
      state = Json.parseObject(new String(bytes, StandardCharsets.UTF_8));
    } catch (RuntimeException partial) {
      return null; // a dump being written
    }
    if (!(state.get("best_block_number") instanceof Number best) || best.longValue() != height) {
      return null;
    }
    if (!(state.get("accounts") instanceof Map<?, ?> accounts)
        || !(accounts.get(operator.toLowerCase(Locale.ROOT)) instanceof Map<?, ?> account)
        || !(account.get("nonce") instanceof Number n)
        || n.longValue() != nonce) {
      return null;
    }
    return bytes;
  }

  /** The account's transaction count at the latest block, over JSON-RPC. */
  long nonceOf(String account) {
    String body =
        rpc(
            "{\"jsonrpc\":\"2.0\",\"method\":\"eth_getTransactionCount\",\"params\":[\""
                + account
                + "\",\"latest\"],\"id\":1}");
    Matcher m = body == null ? null : HEX_RESULT.matcher(body);
    if (m == null || !m.find()) {
      throw new IllegalStateException("anvil at " + rpcUrl() + " does not answer its nonce");
    }
    return Long.parseLong(m.group(1), 16);
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
