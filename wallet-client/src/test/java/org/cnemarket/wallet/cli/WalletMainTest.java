package org.cnemarket.wallet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI in-process, without an engine: arguments, keys, settings and every local failure. */
class WalletMainTest {
  @TempDir Path home;

  private final Map<String, String> env = new HashMap<>();
  private Path keystore;

  @BeforeEach
  void setUp() {
    keystore = home.resolve("ks.json");
    env.put("CNE_WALLET_PASSWORD", "correct horse");
    env.put("CNE_KEYSTORE", keystore.toString());
  }

  private CliRun run(String... args) {
    return CliRun.run(env, home, null, args);
  }

  private String newKey() {
    CliRun r = run("keys", "new", "--light", "--json");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return Fields.of(Json.parse(r.out().trim()), "out").string("address");
  }

  /** A loopback port nothing listens on. */
  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void helpListsCommandsAndExitCodes() {
    CliRun r = run("--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains(
            "keys",
            "register",
            "offer",
            "bid",
            "demand",
            "orders",
            "trades",
            "balance",
            "proof",
            "watch",
            "Exit codes:",
            "wrong password");
    for (String[] cmd :
        List.of(
            new String[] {"keys", "new"},
            new String[] {"keys", "show"},
            new String[] {"register"},
            new String[] {"offer", "energy"},
            new String[] {"offer", "compute"},
            new String[] {"bid"},
            new String[] {"demand"},
            new String[] {"orders"},
            new String[] {"trades"},
            new String[] {"balance"},
            new String[] {"proof"},
            new String[] {"watch"})) {
      List<String> args = new ArrayList<>(List.of(cmd));
      args.add("--help");
      CliRun h = run(args.toArray(String[]::new));
      assertThat(h.exitCode()).as(String.join(" ", cmd)).isZero();
      assertThat(h.out()).contains("Usage:").contains("--json");
    }
  }

  @Test
  void keysNewWritesAKeystoreAndKeysShowReadsItWithoutPassword() throws Exception {
    String address = newKey();
    assertThat(address).matches("0x[0-9a-f]{40}");
    assertThat(Files.readString(keystore)).doesNotContain("correct horse");
    env.remove("CNE_WALLET_PASSWORD");
    CliRun show = run("keys", "show");
    assertThat(show.exitCode()).isZero();
    assertThat(show.out().trim()).isEqualTo(address);
    CliRun json = run("keys", "show", "--json");
    assertThat(Fields.of(Json.parse(json.out().trim()), "o").string("address")).isEqualTo(address);
  }

  @Test
  void keysNewNeverOverwrites() {
    newKey();
    CliRun r = run("keys", "new", "--light");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.KEYSTORE_INVALID);
    assertThat(r.err()).contains("already exists");
  }

  @Test
  void passwordsComeFromAFileOrAPromptAndAreNeverEchoed() throws Exception {
    env.remove("CNE_WALLET_PASSWORD");
    Path pw = Files.writeString(home.resolve("pw.txt"), "from a file\n");
    CliRun r = run("keys", "new", "--light", "--password-file", pw.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out() + r.err()).doesNotContain("from a file");

    Path second = home.resolve("second.json");
    List<String> prompts = new ArrayList<>();
    CliRun prompted =
        CliRun.run(
            env,
            home,
            p -> {
              prompts.add(p);
              return "typed".toCharArray();
            },
            "keys",
            "new",
            "--light",
            "--keystore",
            second.toString());
    assertThat(prompted.exitCode()).as(prompted.toString()).isZero();
    assertThat(prompts).hasSize(2);
    assertThat(prompted.out()).doesNotContain("typed");

    CliRun mismatch =
        CliRun.run(
            env,
            home,
            new CliContext.PasswordPrompt() {
              int n;

              @Override
              public char[] read(String p) {
                return (n++ == 0 ? "one" : "two").toCharArray();
              }
            },
            "keys",
            "new",
            "--light",
            "--keystore",
            home.resolve("third.json").toString());
    assertThat(mismatch.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(Files.exists(home.resolve("third.json"))).isFalse();
  }

  @Test
  void noPasswordAnywhereIsItsOwnExitCode() {
    env.remove("CNE_WALLET_PASSWORD");
    CliRun r = run("keys", "new", "--light");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.NO_PASSWORD);
    assertThat(r.err()).contains("CNE_WALLET_PASSWORD");
  }

  @Test
  void missingKeystore() {
    CliRun r = run("register", "--role", "PROVIDER", "--name", "dc");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.KEYSTORE_MISSING);
    assertThat(r.err()).contains("no keystore at " + keystore).contains("keys new");
    assertThat(run("balance").exitCode()).isEqualTo(ExitCodes.KEYSTORE_MISSING);
    assertThat(run("keys", "show").exitCode()).isEqualTo(ExitCodes.KEYSTORE_MISSING);
  }

  @Test
  void wrongPassword() throws Exception {
    newKey();
    env.put("CNE_WALLET_PASSWORD", "wrong horse");
    // The engine is never contacted: unlocking fails first.
    CliRun r =
        run(
            "bid",
            "--kwh",
            "1.5",
            "--price",
            "0.12",
            "--slot",
            "2026-07-01T13:00Z",
            "--engine",
            "http://127.0.0.1:" + closedPort());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.WRONG_PASSWORD);
    assertThat(r.err()).contains("wrong password");
    CliRun json = run("register", "--role", "PROVIDER", "--name", "dc", "--json");
    assertThat(json.exitCode()).isEqualTo(ExitCodes.WRONG_PASSWORD);
    Fields f = Fields.of(Json.parse(json.out().trim()), "o");
    assertThat(f.string("error")).isEqualTo("wrong-password");
    assertThat(f.longValue("exitCode")).isEqualTo(ExitCodes.WRONG_PASSWORD);
  }

  @Test
  void unreachableEngine() throws Exception {
    String address = newKey();
    String engine = "http://127.0.0.1:" + closedPort();
    for (String[] args :
        List.of(
            new String[] {"balance", "--engine", engine},
            new String[] {"orders", "--engine", engine},
            new String[] {"trades", "--engine", engine, "--address", address},
            new String[] {"proof", "0x" + "ab".repeat(32), "--engine", engine},
            new String[] {"register", "--role", "PROVIDER", "--name", "dc", "--engine", engine},
            new String[] {"watch", "--rounds", "1", "--engine", engine},
            new String[] {
              "offer",
              "compute",
              "--units",
              "2",
              "--price",
              "0.5",
              "--slot",
              "100",
              "--engine",
              engine
            })) {
      CliRun r = run(args);
      assertThat(r.exitCode())
          .as(String.join(" ", args) + "\n" + r)
          .isEqualTo(ExitCodes.ENGINE_UNREACHABLE);
      assertThat(r.err()).contains("cannot reach the engine");
    }
    env.put("CNE_ENGINE_URL", engine);
    CliRun json = run("balance", "--json");
    assertThat(json.exitCode()).isEqualTo(ExitCodes.ENGINE_UNREACHABLE);
    assertThat(Fields.of(Json.parse(json.out().trim()), "o").string("error"))
        .isEqualTo("engine-unreachable");
  }

  @Test
  void badArgumentsAreUsageErrors() {
    newKey();
    String[][] bad = {
      {"bid", "--kwh", "1.5", "--price", "0.1234567", "--slot", "100"},
      {"bid", "--kwh", "1.5", "--wh", "1500", "--price", "0.1", "--slot", "100"},
      {"bid", "--kwh", "1.5", "--price", "0.1"},
      {"bid", "--kwh", "1.5", "--price", "0.1", "--slot", "2026-07-01T13:30Z"},
      {"bid", "--kwh", "1.0001", "--price", "0.1", "--slot", "100"},
      {"bid", "--kwh", "1", "--price", "0.1", "--slot", "100", "--expiry", "99"},
      {"offer", "energy", "--kwh", "1", "--price", "0.1", "--slot", "100"},
      {"offer", "energy", "--kwh", "1", "--price", "0.1", "--slot", "100", "--source", "COAL"},
      {"offer"},
      {"keys"},
      {"frobnicate"},
      {"register", "--role", "PROVIDER"},
      {"proof", "0x1234"},
      {"proof"},
      {"orders", "--limit", "0"},
      {"watch", "--rounds", "0"},
      {"watch", "--timeout", "soon"},
      {"balance", "--address", "0xnope"},
    };
    for (String[] args : bad) {
      CliRun r = run(args);
      assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).as(String.join(" ", args)).isNotBlank();
    }
    assertThat(run("bid", "--kwh", "1.5", "--price", "0.1234567", "--slot", "100").err())
        .contains("more than 6 decimal places");
  }

  @Test
  void settingsComeFromFlagsThenEnvThenConfigFile() throws Exception {
    String address = newKey();
    env.remove("CNE_KEYSTORE");
    Path cfgDir = Files.createDirectories(home.resolve("cfg"));
    Files.copy(keystore, cfgDir.resolve("configured.json"));
    Path cfg =
        Files.writeString(
            cfgDir.resolve("wallet.properties"),
            "engine.url=http://127.0.0.1:1\nkeystore=configured.json\nrequest.timeout=2s\n");
    CliRun r = run("keys", "show", "--config", cfg.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out().trim()).isEqualTo(address);

    // The default config file lives in ~/.cne.
    Files.createDirectories(home.resolve(".cne"));
    Files.writeString(home.resolve(".cne/wallet.properties"), "keystore=" + keystore + "\n");
    assertThat(run("keys", "show").out().trim()).isEqualTo(address);

    // Env beats the config file, the flag beats both.
    env.put("CNE_KEYSTORE", home.resolve("absent.json").toString());
    assertThat(run("keys", "show").exitCode()).isEqualTo(ExitCodes.KEYSTORE_MISSING);
    assertThat(run("keys", "show", "--keystore", keystore.toString()).exitCode()).isZero();

    CliRun missingCfg = run("keys", "show", "--config", home.resolve("nope.properties").toString());
    assertThat(missingCfg.exitCode()).isEqualTo(ExitCodes.IO_ERROR);
    assertThat(missingCfg.err()).contains("no config file");
  }

  @Test
  void aCorruptKeystoreIsNotAMissingOne() throws Exception {
    Files.writeString(keystore, "{\"version\":3,\"address\":\"zz\"}");
    CliRun r = run("keys", "show");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.KEYSTORE_INVALID);
  }
}
