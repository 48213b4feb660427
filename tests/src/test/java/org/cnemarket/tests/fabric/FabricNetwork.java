package org.cnemarket.tests.fabric;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A live Fabric 2.5 network for the tests of one JVM, started by the project's own {@code
 * network-config/fabric/network.sh up} and {@code deploy} on free ports (every default port plus
 * one random offset) in {@code tests/target/fabric-network}, and taken down with {@code network.sh
 * down} when the JVM exits, which stops every process it started.
 *
 * <p>The binaries come from {@code FABRIC_BIN} (a folder with {@code peer}, {@code orderer}, ...;
 * the CCaaS builder from {@code CNE_CCAAS_BUILDER} or {@code FABRIC_BIN/../builders/ccaas}), else
 * from the release archive {@code ../shared/tools/fabric/fabric-2.5.12-linux-amd64.tar.xz} next to
 * the repository (or {@code CNE_FABRIC_ARCHIVE}), unpacked once into {@code
 * ${XDG_CACHE_HOME:-~/.cache}/cne/fabric-2.5.12}, else from {@code PATH}. Where there are none,
 * {@link #shared()} makes the calling test skipped with {@link #NOT_RUN} as its reason, never
 * passed. When the network cannot be started although binaries exist, the tests fail.
 *
 * <p>{@code CNE_FABRIC_PROFILE} names a connection profile of a network started elsewhere instead;
 * tests that stop nodes need the managed network and skip then.
 */
public final class FabricNetwork {
  public static final String NOT_RUN =
      "no Fabric 2.5 binaries (FABRIC_BIN, ../shared/tools/fabric archive, or peer on PATH): Fabric network tests did not run";
  static final String ARCHIVE_NAME = "fabric-2.5.12-linux-amd64.tar.xz";
  static final String RELEASE = "fabric-2.5.12";

  /** Default ports of network.sh; the managed network adds its offset to each. */
  private static final int[] PORTS = {7050, 7051, 7052, 7053, 9051, 9052, 9443, 9444, 9445, 9999};

  private static FabricNetwork shared;
  private static RuntimeException startFailure;

  private final Path repo;
  private final Path build;
  private final Optional<Path> externalProfile;
  private final Map<String, String> env;

  private FabricNetwork(
      Path repo, Path build, Optional<Path> externalProfile, Map<String, String> env) {
    this.repo = repo;
    this.build = build;
    this.externalProfile = externalProfile;
    this.env = env;
  }

  /** The network of this JVM, started on first use; skips the caller where no binaries exist. */
  public static synchronized FabricNetwork shared() {
    if (startFailure != null) {
      throw startFailure;
    }
    if (shared != null) {
      return shared;
    }
    Path repo = repoDir();
    String external = System.getenv("CNE_FABRIC_PROFILE");
    if (external != null && !external.isBlank()) {
      // network.sh writes profiles to BUILD/profiles; CNE_FABRIC_BUILD names BUILD otherwise.
      Path p = Path.of(external).toAbsolutePath();
      String b = System.getenv("CNE_FABRIC_BUILD");
      shared =
          new FabricNetwork(
              repo,
              b != null && !b.isBlank() ? Path.of(b) : p.getParent().getParent(),
              Optional.of(p),
              Map.of());
      return shared;
    }
    Optional<Map<String, String>> tools = locateTools(repo);
    assumeTrue(tools.isPresent(), NOT_RUN);
    try {
      shared = start(repo, tools.get(), "fabric-network");
      return shared;
    } catch (RuntimeException e) {
      startFailure = e;
      throw e;
    }
  }

  /**
   * A network of the caller's own (one market per channel; its nodes may be killed), started now in
   * {@code tests/target/fabric-NAME}; {@link #close()} takes it down. Skips the caller where no
   * binaries exist.
   */
  public static FabricNetwork dedicated(String name) {
    Path repo = repoDir();
    Optional<Map<String, String>> tools = locateTools(repo);
    assumeTrue(tools.isPresent(), NOT_RUN);
    return start(repo, tools.get(), "fabric-" + name);
  }

  /** The repository root (the tests module's parent). */
  static Path repoDir() {
    String p = System.getProperty("cne.repo.dir");
    return (p != null ? Path.of(p) : Path.of("").toAbsolutePath().getParent())
        .toAbsolutePath()
        .normalize();
  }

  /** Environment entries that put the Fabric binaries on PATH and name the CCaaS builder. */
  static Optional<Map<String, String>> locateTools(Path repo) {
    String bin = System.getenv("FABRIC_BIN");
    if (bin != null && !bin.isBlank()) {
      Path b = Path.of(bin);
      String builder = System.getenv("CNE_CCAAS_BUILDER");
      return Optional.of(
          tools(
              b,
              builder != null ? Path.of(builder) : b.resolveSibling("builders").resolve("ccaas")));
    }
    String a = System.getenv("CNE_FABRIC_ARCHIVE");
    Path archive =
        a != null && !a.isBlank()
            ? Path.of(a)
            : repo.resolveSibling("shared")
                .resolve("tools")
                .resolve("fabric")
                .resolve(ARCHIVE_NAME);
    if (Files.isRegularFile(archive)) {
      Path home = unpack(archive);
      return Optional.of(tools(home.resolve("bin"), home.resolve("builders").resolve("ccaas")));
    }
    String builder = System.getenv("CNE_CCAAS_BUILDER");
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "peer")) && builder != null) {
        return Optional.of(tools(Path.of(dir), Path.of(builder)));
      }
    }
    return Optional.empty();
  }

  private static Map<String, String> tools(Path bin, Path builder) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(
        "PATH", bin.toAbsolutePath() + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("CNE_CCAAS_BUILDER", builder.toAbsolutePath().toString());
    return env;
  }

  /** Unpacks the archive once into the user's cache (into a temporary folder, then renamed). */
  private static Path unpack(Path archive) {
    String cache = System.getenv("XDG_CACHE_HOME");
    Path parent =
        (cache != null && !cache.isBlank()
                ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache"))
            .resolve("cne");
    Path home = parent.resolve(RELEASE);
    if (Files.isExecutable(home.resolve("bin").resolve("peer"))) {
      return home;
    }
    try {
      Files.createDirectories(parent);
      Path tmp = Files.createTempDirectory(parent, "unpack-");
      run(
          List.of("tar", "-xJf", archive.toString(), "-C", tmp.toString()),
          Map.of(),
          tmp.resolve("tar.log"),
          300);
      try {
        Files.move(tmp.resolve(RELEASE), home, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (!Files.isExecutable(home.resolve("bin").resolve("peer"))) {
          throw e;
        }
      }
      return home;
    } catch (IOException e) {
      throw new IllegalStateException("cannot unpack " + archive + " into " + home + ": " + e, e);
    }
  }

  private static FabricNetwork start(Path repo, Map<String, String> tools, String dir) {
    Path build = repo.resolve("tests").resolve("target").resolve(dir);
    Map<String, String> env = new LinkedHashMap<>(tools);
    env.put("CNE_FABRIC_BUILD", build.toString());
    env.put("CNE_FABRIC_PORT_OFFSET", Integer.toString(freeOffset()));
    Path jar = repo.resolve("chaincode").resolve("target").resolve("cne-chaincode.jar");
    if (Files.isRegularFile(jar)) {
      // Built by this reactor already: deploy does not run a nested Maven build.
      env.put("CNE_CHAINCODE_CLASSPATH", jar.toString());
    }
    FabricNetwork net = new FabricNetwork(repo, build, Optional.empty(), env);
    if (Files.exists(build)) {
      net.networkSh(60, "down"); // a network a killed test JVM left behind
    }
    Runtime.getRuntime().addShutdownHook(new Thread(net::down, "fabric-network-down"));
    net.networkSh(180, "up");
    net.networkSh(600, "deploy");
    // Gateways endorse on the peers that service discovery reports for the chaincode; right after
    // deploy the second organisation's peer may not be known by gossip yet, and a submit then fails
    // with "no combination of peers can be derived". Give membership time to settle once.
    try {
      Thread.sleep(20_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return net;
  }

  /** An offset that frees every port of the network (none bound on 127.0.0.1 right now). */
  static int freeOffset() {
    SecureRandom random = new SecureRandom();
    for (int attempt = 0; attempt < 50; attempt++) {
      int offset = 10_000 + random.nextInt(30_000);
      boolean free = true;
      for (int p : PORTS) {
        try (ServerSocket s = new ServerSocket(p + offset, 1, InetAddress.getLoopbackAddress())) {
          s.setReuseAddress(true);
        } catch (IOException e) {
          free = false;
          break;
        }
      }
      if (free) {
        return offset;
      }
    }
    throw new IllegalStateException("no free port range for the Fabric network after 50 tries");
  }

  /** Whether this JVM started the network (and so may stop and start its nodes). */
  public boolean managed() {
    return externalProfile.isEmpty();
  }

  /** A connection profile: engine-platform.json, engine-grid.json or auditor-platform.json. */
  public Path profile(String name) {
    return externalProfile
        .map(p -> p.resolveSibling(name))
        .orElse(build.resolve("profiles").resolve(name));
  }

  /** The network's build folder (crypto material, identities, logs, pid files). */
  public Path buildDir() {
    return build;
  }

  /** The pid of a node network.sh started: orderer0, peer0.platform.cne.local, ... or chaincode. */
  public long pid(String node) {
    try {
      return Long.parseLong(Files.readString(build.resolve("pids").resolve(node + ".pid")).trim());
    } catch (IOException e) {
      throw new IllegalStateException("no pid file of " + node + " in " + build, e);
    }
  }

  /** kill -9 of a node, waiting until it is gone. */
  public void kill9(String node) {
    ProcessHandle.of(pid(node))
        .ifPresent(
            h -> {
              h.destroyForcibly();
              h.onExit().orTimeout(30, TimeUnit.SECONDS).join();
            });
  }

  /** Starts a stopped node again ({@code network.sh start NODE}) and waits for its port. */
  public void restart(String node) {
    networkSh(120, "start", node);
  }

  /**
   * Issues a client identity of {@code org} (platform, grid or auditor) with the given {@code
   * cne.role}, signed by that org's CA, and writes a profile for it through the Platform peer;
   * returns the profile.
   */
  public Path identityProfile(String name, String org, String mspId, String role) {
    Path crypto = build.resolve("crypto").resolve("peerOrganizations").resolve(org + ".cne.local");
    Path dir = build.resolve("identities").resolve(name);
    run(
        List.of(
            "bash",
            repo.resolve("network-config/fabric/scripts/issue-identity.sh").toString(),
            crypto.resolve("ca").resolve("ca." + org + ".cne.local-cert.pem").toString(),
            crypto.resolve("ca").resolve("priv_sk").toString(),
            mspId,
            name + "@" + org + ".cne.local",
            role,
            dir.toString(),
            crypto.resolve("msp").resolve("config.yaml").toString()),
        env,
        build.resolve("logs").resolve("identity-" + name + ".log"),
        60);
    try {
      String base = Files.readString(profile("engine-platform.json"));
      String json =
          base.replace("\"PlatformMSP\"", "\"" + mspId + "\"")
              .replace(build.resolve("identities").resolve("engine").toString(), dir.toString());
      Path p = build.resolve("profiles").resolve(name + ".json");
      Files.writeString(p, json);
      return p;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A copy of a profile with other gateway deadlines (ms), e.g. a short commit-status wait. */
  public Path profileWithDeadlines(
      String name, long endorseMs, long submitMs, long commitStatusMs) {
    try {
      String json =
          Files.readString(profile(name))
              .replaceAll("\"endorseMs\": *\\d+", "\"endorseMs\": " + endorseMs)
              .replaceAll("\"submitMs\": *\\d+", "\"submitMs\": " + submitMs)
              .replaceAll("\"commitStatusMs\": *\\d+", "\"commitStatusMs\": " + commitStatusMs);
      Path p = Files.createTempFile(build.resolve("profiles"), name.replace(".json", "-"), ".json");
      Files.writeString(p, json);
      return p;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Takes a network this JVM started down ({@code network.sh down}): no process stays. */
  public void close() {
    down();
  }

  void down() {
    if (managed() && Files.exists(build)) {
      try {
        networkSh(120, "down");
      } catch (RuntimeException e) {
        System.err.println("fabric network down: " + e.getMessage());
      }
    }
  }

  private void networkSh(int timeoutSeconds, String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of("bash", repo.resolve("network-config/fabric/network.sh").toString()));
    cmd.addAll(List.of(args));
    run(
        cmd,
        env,
        build.resolveSibling(build.getFileName() + "-" + args[0] + ".log"),
        timeoutSeconds);
  }

  private static void run(List<String> cmd, Map<String, String> env, Path log, int timeoutSeconds) {
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder pb =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new IllegalStateException(
            String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s; " + tail(log));
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", cmd) + " exited " + p.exitValue() + ": " + tail(log));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + cmd, e);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "last lines of "
          + log
          + ":\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log " + log + ")";
    }
  }
}
