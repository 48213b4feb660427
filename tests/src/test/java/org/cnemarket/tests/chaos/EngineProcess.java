package org.cnemarket.tests.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine jar ({@code market-engine/target/cne-engine.jar}, built by the reactor before this
 * module) run as its own JVM: {@code serve} on a port the OS picks, killed with SIGKILL, started
 * again on the same data directory. Its output is appended to one log file across restarts.
 */
final class EngineProcess implements AutoCloseable {
  /** The operator's bearer token every engine of these tests runs with. */
  static final String OPERATOR_TOKEN = "chaos-operator-token-0123456789";

  private static final Pattern LISTENING = Pattern.compile("listening on (https?://[^\\s]+)");

  private final Process process;
  private final String baseUrl;

  private EngineProcess(Process process, String baseUrl) {
    this.process = process;
    this.baseUrl = baseUrl;
  }

  /**
   * The engine jar: {@code -Dcne.engine.jar}, else found by walking up to {@code
   * market-engine/target}.
   */
  static Path jar() {
    String explicit = System.getProperty("cne.engine.jar");
    List<Path> tried = new ArrayList<>();
    if (explicit != null && !explicit.isBlank()) {
      tried.add(Path.of(explicit));
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      tried.add(p.resolve("market-engine/target/cne-engine.jar"));
    }
    for (Path p : tried) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        "the engine jar is missing (looked at "
            + tried
            + "); build it with the reactor: ./mvnw -B -pl tests -am verify");
  }

  /** The java launcher of this JVM, so the engine runs on the same JDK as the tests. */
  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Small heap, one GC thread, quick start: five other builds share the two cores. */
  static List<String> javaCommand(String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                javaBin(),
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar().toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /**
   * Starts {@code serve --data dataDir --port 0} with {@code ledgerArgs}, and waits until it
   * listens and {@code /ready} answers 200.
   */
  static EngineProcess start(
      Path dataDir, List<String> ledgerArgs, Map<String, String> env, Path log, Duration timeout)
      throws IOException, InterruptedException {
    List<String> cmd =
        javaCommand(
            "serve",
            "--data",
            dataDir.toString(),
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            // Uniform compute clearing: these tests are about durability, not the Stackelberg game.
            "--compute-mechanism",
            "uniform");
    cmd.addAll(ledgerArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("CNE_OPERATOR_TOKEN", OPERATOR_TOKEN);
    // The test drives far more than a participant's default 50 requests/s.
    pb.environment().put("CNE_RATE_PER_SECOND", "1000000");
    pb.environment().put("CNE_RATE_BURST", "1000000");
    pb.environment().putAll(env);
    Process p = pb.start();
    CompletableFuture<String> url = new CompletableFuture<>();
    Thread pump = new Thread(() -> pump(p, log, url), "engine-output-" + p.pid());
    pump.setDaemon(true);
    pump.start();
    EngineProcess engine;
    try {
      engine = new EngineProcess(p, url.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (ExecutionException | TimeoutException e) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException(
          "the engine did not start within "
              + timeout
              + " (exit "
              + (p.isAlive() ? "none" : p.exitValue())
              + "); its output is in "
              + log,
          e);
    }
    if (!engine.awaitReady(timeout)) {
      engine.kill();
      throw new IllegalStateException(
          "the engine at "
              + engine.baseUrl
              + " was not ready within "
              + timeout
              + "; its output is in "
              + log);
    }
    return engine;
  }

  /**
   * Copies the engine's output to the log and completes {@code url} when it announces its address.
   */
  private static void pump(Process p, Path log, CompletableFuture<String> url) {
    try (BufferedReader in =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Writer out =
            Files.newBufferedWriter(
                log,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
      out.write("==== engine pid " + p.pid() + " started\n");
      String line;
      while ((line = in.readLine()) != null) {
        out.write(line);
        out.write('\n');
        out.flush();
        Matcher m = LISTENING.matcher(line);
        if (!url.isDone() && m.find()) {
          url.complete(m.group(1));
        }
      }
      out.write("==== engine pid " + p.pid() + " ended\n");
    } catch (IOException e) {
      url.completeExceptionally(e);
      return;
    }
    url.completeExceptionally(new IllegalStateException("the engine exited before it listened"));
  }

  private boolean awaitReady(Duration timeout) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(baseUrl + "/ready"))
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return true;
        }
      } catch (IOException e) {
        // not serving yet
      }
      Thread.sleep(100);
    }
    return false;
  }

  String baseUrl() {
    return baseUrl;
  }

  long pid() {
    return process.pid();
  }

  /** SIGQUIT: the JVM prints every thread's stack to its output, i.e. into the engine log. */
  void threadDump() throws IOException, InterruptedException {
    if (process.isAlive()) {
      new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid()))
          .inheritIO()
          .start()
          .waitFor(10, TimeUnit.SECONDS);
      Thread.sleep(1_000);
    }
  }

  /** SIGKILL (Process.destroyForcibly on Linux): no shutdown hook, no flush, no goodbye. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("engine pid " + process.pid() + " survived SIGKILL for 30 s");
    }
  }

  /** SIGTERM: the engine's graceful stop (finishes requests, drains the outbox); does not wait. */
  void terminate() {
    process.destroy();
  }

  /** SIGTERM and wait for the exit (SIGKILL after 90 s). */
  void stop() throws InterruptedException {
    terminate();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      kill();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** What a CLI run of the engine jar printed and returned. */
  record CliRun(int exitCode, String output) {
    /** The last line, where {@code --json} commands print their report. */
    String lastLine() {
      String[] lines = output.strip().split("\n");
      return lines[lines.length - 1];
    }
  }

  /** Runs the engine jar's CLI (e.g. {@code audit verify}) to completion. */
  static CliRun cli(Map<String, String> env, Duration timeout, String... args)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(javaCommand(args)).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    CompletableFuture<String> out =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException(
          "cne-engine " + String.join(" ", args) + " did not finish within " + timeout);
    }
    try {
      return new CliRun(p.exitValue(), out.get(30, TimeUnit.SECONDS));
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot read the output of cne-engine " + String.join(" ", args), e);
    }
  }
}
