package org.cnemarket.contracts;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local anvil node on a free loopback port, from the binary that {@code npm ci} installs under
 * {@code contracts/node_modules/@foundry-rs/anvil-<os>-<arch>/bin/anvil}. Starting fails loudly
 * when the binary is missing: EVM tests never skip.
 *
 * <p>The binary is found through the system property {@code cne.anvil.bin}, else under the
 * directory named by {@code cne.contracts.dir}, else by walking up from the working directory to a
 * {@code contracts/node_modules} folder.
 */
public final class AnvilNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AnvilNode.class);

  /** Chain id anvil runs with. */
  public static final long CHAIN_ID = 31337;

  /** Private keys of anvil's first ten funded dev accounts (its public test mnemonic). */
  public static final List<String> DEV_PRIVATE_KEYS =
      List.of(
          "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
          "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
          "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
          "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
          "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a");

  private final Process process;
  private final int port;
  private final Path logFile;

  private AnvilNode(Process process, int port, Path logFile) {
    this.process = process;
    this.port = port;
    this.logFile = logFile;
  }

  /** Starts anvil with default options (automine, 30M gas blocks). */
  public static AnvilNode start() {
    return start(List.of());
  }

  /** Starts anvil with extra command-line options, waiting up to 30 s for JSON-RPC. */
  public static AnvilNode start(List<String> extraArgs) {
    Path bin = locateBinary();
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freeLoopbackPort();
      try {
        Path log = Files.createTempFile("anvil-" + port + "-", ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(bin.toString());
        cmd.addAll(
            List.of(
                "--host", "127.0.0.1",
                "--port", Integer.toString(port),
                "--chain-id", Long.toString(CHAIN_ID),
                "--accounts", Integer.toString(DEV_PRIVATE_KEYS.size()),
                "--gas-limit", "60000000"));
        cmd.addAll(extraArgs);
        Process p =
            new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                .start();
        AnvilNode node = new AnvilNode(p, port, log);
        if (node.awaitReady(Duration.ofSeconds(30))) {
          LOG.info("anvil {} listening on {}", bin, node.rpcUrl());
          return node;
        }
        String out = Files.readString(log);
        node.close();
        last =
            new IllegalStateException("anvil did not become ready on port " + port + ":\n" + out);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start anvil at " + bin, e);
      }
    }
    throw last;
  }

  public String rpcUrl() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path logFile() {
    return logFile;
  }

  private boolean awaitReady(Duration timeout) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(rpcUrl()))
            .timeout(Duration.ofSeconds(2))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"jsonrpc\":\"2.0\",\"method\":\"eth_chainId\",\"params\":[],\"id\":1}"))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return false;
      }
      try {
        HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("\"result\"")) {
          return true;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** The anvil executable, or an exception that says how to install it. */
  public static Path locateBinary() {
    String explicit = System.getProperty("cne.anvil.bin");
    if (explicit != null && !explicit.isBlank()) {
      return requireExecutable(Path.of(explicit));
    }
    List<Path> contractDirs = new ArrayList<>();
    String dir = System.getProperty("cne.contracts.dir");
    if (dir != null && !dir.isBlank()) {
      contractDirs.add(Path.of(dir));
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      contractDirs.add(p.resolve("contracts"));
      if (p.getFileName() != null && p.getFileName().toString().equals("contracts")) {
        contractDirs.add(p);
      }
    }
    String pkg = "anvil-" + platform();
    for (Path c : contractDirs) {
      Path bin =
          c.resolve("node_modules/@foundry-rs").resolve(pkg).resolve("bin").resolve(exeName());
      if (Files.isRegularFile(bin)) {
        return requireExecutable(bin);
      }
    }
    throw new IllegalStateException(
        "anvil binary not found (looked for node_modules/@foundry-rs/"
            + pkg
            + "/bin/anvil under "
            + contractDirs
            + "); run the Maven build of contracts/ (it runs `npm ci`) first");
  }

  private static Path requireExecutable(Path bin) {
    if (!Files.isExecutable(bin)) {
      throw new IllegalStateException("anvil at " + bin + " is not executable");
    }
    return bin;
  }

  private static String platform() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String o = os.contains("mac") ? "darwin" : os.contains("win") ? "win32" : "linux";
    String a = arch.contains("aarch64") || arch.contains("arm64") ? "arm64" : "amd64";
    return o + "-" + a;
  }

  private static String exeName() {
    return System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("win")
        ? "anvil.exe"
        : "anvil";
  }

  private static int freeLoopbackPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
