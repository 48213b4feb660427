package org.cnemarket.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The engine under load: either a {@code cne-engine.jar serve} process the harness starts on a free
 * port with its own data directory, or an engine already running at a URL. Rate limits are lifted
 * and tokens live long in a started engine, so the harness measures intake, not the limiter.
 */
final class EngineProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on (https?://\\S+)");

  private final Process process;
  private final String baseUrl;
  private final String operatorToken;
  private final Path dataDir;
  private final Path log;

  private EngineProcess(
      Process process, String baseUrl, String operatorToken, Path dataDir, Path log) {
    this.process = process;
    this.baseUrl = baseUrl;
    this.operatorToken = operatorToken;
    this.dataDir = dataDir;
    this.log = log;
  }

  /** An engine someone else runs; its operator token comes from the caller. */
  static EngineProcess attach(String baseUrl, String operatorToken, Path dataDir) {
    return new EngineProcess(null, baseUrl, operatorToken, dataDir, null);
  }

  /**
   * Starts {@code java [jvmArgs] -jar engineJar serve --data dataDir --port 0 ledgerArgs} and waits
   * until it prints the URL it listens on.
   */
  static EngineProcess start(
      Path engineJar,
      Path dataDir,
      List<String> jvmArgs,
      List<String> ledgerArgs,
      Map<String, String> extraEnv,
      Duration timeout)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(engineJar)) {
      throw new IllegalStateException(
          engineJar + " is missing; build it with ./mvnw -B -q -pl tests -am package -DskipTests");
    }
    Files.createDirectories(dataDir);
    String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
    Path log = dataDir.resolve("engine.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.addAll(
        List.of(
            "-jar", engineJar.toString(), "serve", "--data", dataDir.toString(), "--port", "0"));
    cmd.addAll(ledgerArgs);
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("CNE_OPERATOR_TOKEN", token);
    // The harness measures the order path; the per-participant limiter would only answer 429s.
    env.put("CNE_RATE_PER_SECOND", "1000000000");
    env.put("CNE_RATE_BURST", "1000000000");
    env.put("CNE_AUTH_TOKEN_TTL_SECONDS", "86400");
    env.putIfAbsent("CNE_LOG_LEVEL", "WARN");
    env.putAll(extraEnv);
    Process p = pb.start();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<String> url = listeningUrl(log);
      if (url.isPresent()) {
        return new EngineProcess(p, url.get(), token, dataDir, log);
      }
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "the engine exited with " + p.exitValue() + ":\n" + tail(log));
      }
      Thread.sleep(100);
    }
    p.destroyForcibly();
    throw new IllegalStateException(
        "the engine did not start within " + timeout + ":\n" + tail(log));
  }

  private static Optional<String> listeningUrl(Path log) throws IOException {
    if (!Files.exists(log)) {
      return Optional.empty();
    }
    Matcher m = LISTENING.matcher(Files.readString(log));
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private static String tail(Path log) {
    try {
      String s = Files.readString(log);
      return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  String baseUrl() {
    return baseUrl;
  }

  String operatorToken() {
    return operatorToken;
  }

  Optional<Long> pid() {
    return process == null ? Optional.empty() : Optional.of(process.pid());
  }

  /** CPU time the engine process has used so far (user + system), when the harness started it. */
  Optional<Duration> cpuTime() {
    return process == null ? Optional.empty() : process.toHandle().info().totalCpuDuration();
  }

  /**
   * The part of {@link #cpuMillisByThreads()} that all threads together spent in the kernel (page
   * faults, file writes, futexes): already counted in the groups, not one of them.
   */
  static final String IN_KERNEL = "of which in the kernel";

  /**
   * CPU time used so far by the engine's threads, in milliseconds, by what they do (request
   * workers, event loop, intake writer, ledger feed and the fork-join pool, JIT compilers, GC,
   * other), and {@link #IN_KERNEL}, from {@code /proc/<pid>/task/<tid>/stat}; empty when not on
   * Linux or not started here. Threads that ended are not counted.
   */
  Map<String, Long> cpuMillisByThreads() {
    Map<String, Long> out = new TreeMap<>();
    if (process == null) {
      return out;
    }
    Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
    try (Stream<Path> each = Files.list(tasks)) {
      for (Path task : each.toList()) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          // The name is in parentheses and may hold spaces: the fields after it are counted from
          // the last ')'. utime and stime are the 12th and 13th fields after it, in 1/100 s.
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
          out.merge(threadGroup(name), ticks * 10, Long::sum);
          out.merge(IN_KERNEL, Long.parseLong(f[12]) * 10, Long::sum);
        } catch (IOException | RuntimeException e) {
          // The thread ended between the listing and the read.
        }
      }
    } catch (IOException e) {
      return Map.of();
    }
    return out;
  }

  private static String threadGroup(String name) {
    if (name.startsWith("vert.x-worker")) {
      return "workers";
    }
    if (name.startsWith("vert.x-eventloo")) {
      return "event loop";
    }
    if (name.equals("order-intake")) {
      return "intake writer";
    }
    if (name.equals("ledger-feed") || name.startsWith("ForkJoinPool")) {
      return "ledger feed and fork-join";
    }
    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
      return "jit";
    }
    if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")) {
      return "gc";
    }
    return "other";
  }

  /**
   * Minor page faults of the engine process so far (first touches of memory, served by the kernel
   * on the touching thread), from {@code /proc/<pid>/stat}; -1 when not available.
   */
  long minorFaults() {
    if (process == null) {
      return -1;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Peak resident set size (VmHWM) of the engine process, bytes. */
  Optional<Long> peakRssBytes() {
    return procStatusKb("VmHWM").map(kb -> kb * 1024);
  }

  /** Current resident set size (VmRSS) of the engine process, bytes. */
  Optional<Long> rssBytes() {
    return procStatusKb("VmRSS").map(kb -> kb * 1024);
  }

  private Optional<Long> procStatusKb(String field) {
    if (process == null) {
      return Optional.empty();
    }
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith(field + ":")) {
          return Optional.of(
              Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim()));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** Bytes on disk of the engine database and the embedded ledger's files in the data directory. */
  DiskUse diskUse() throws IOException {
    long engine = 0;
    long ledger = 0;
    if (dataDir == null || !Files.isDirectory(dataDir)) {
      return new DiskUse(0, 0);
    }
    try (Stream<Path> files = Files.list(dataDir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith(".log")) {
          continue;
        }
        if (name.startsWith("engine")) {
          engine += Files.size(f);
        } else {
          ledger += Files.size(f);
        }
      }
    }
    return new DiskUse(engine, ledger);
  }

  /**
   * Engine database bytes and everything else the engine keeps in its data directory (the ledger).
   */
  record DiskUse(long engineBytes, long ledgerBytes) {}

  /** SIGTERM (the engine drains and closes its databases), then a forced stop if it hangs. */
  @Override
  public void close() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  Path log() {
    return log;
  }
}
