package org.cnemarket.engine.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cnemarket.core.client.MarketClient;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.engine.config.EngineConfig;
import org.cnemarket.engine.config.SurfaceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;

/**
 * What a new user does after the demo: the engine keeps serving, the participants' keystores are in
 * the data directory under a password printed once, the market data is public while balances stay
 * private, and the auditor's and operator's keystores sign in with their roles.
 */
class DemoServeTest {
  @TempDir Path dir;

  record Served(
      int rounds,
      int publicRounds,
      int signedOutRounds,
      int signedOutBalance,
      String auditorRole,
      String operatorRole,
      boolean proofVerified) {}

  @Test
  void theDemoServesItsMarketWithKeystoresAndPublicData() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Served[] served = new Served[1];
    String[] password = new String[1];
    var summary =
        new DemoRunner(out)
            .run(
                dir,
                2,
                EngineConfig.embedded(dir, 0, "x".repeat(16)),
                SurfaceConfig.defaults().withPublicMarketData(true),
                (engine, s, token) -> {
                  Matcher m =
                      Pattern.compile("Their password \\(shown once, keep it\\): (\\S+)")
                          .matcher(bytes.toString(StandardCharsets.UTF_8));
                  assertThat(m.find()).as(bytes.toString(StandardCharsets.UTF_8)).isTrue();
                  password[0] = m.group(1);
                  HttpClient http = HttpClient.newHttpClient();
                  HttpResponse<String> pub =
                      http.send(
                          HttpRequest.newBuilder(URI.create(engine.baseUrl() + "/v1/public/rounds"))
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
                  HttpResponse<String> rounds =
                      http.send(
                          HttpRequest.newBuilder(URI.create(engine.baseUrl() + "/v1/rounds"))
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
                  Secp256k1.KeyPair auditor =
                      keyOf(dir.resolve("keystores/auditor.json"), password[0]);
                  HttpResponse<String> balance =
                      http.send(
                          HttpRequest.newBuilder(
                                  URI.create(
                                      engine.baseUrl()
                                          + "/v1/participants/"
                                          + auditor.address()
                                          + "/balance"))
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
                  Fields items = Fields.of(Json.parse(pub.body()), "rounds");
                  String auditorRole;
                  boolean verified;
                  try (MarketClient c =
                      MarketClient.connect(engine.baseUrl(), Duration.ofSeconds(30))) {
                    c.login(auditor);
                    auditorRole = c.get("/v1/participants/" + auditor.address()).string("role");
                    verified = DemoRunner.verifyAll(c);
                  }
                  String operatorRole;
                  try (MarketClient c =
                      MarketClient.connect(engine.baseUrl(), Duration.ofSeconds(30))) {
                    c.login(keyOf(dir.resolve("keystores/operator.json"), password[0]));
                    operatorRole =
                        c.get("/v1/audit/conservation").bool("conserved") ? "OPERATOR" : "?";
                  }
                  served[0] =
                      new Served(
                          (int) s.slots(),
                          pub.statusCode() == 200 ? items.list("items").size() : -1,
                          rounds.statusCode(),
                          balance.statusCode(),
                          auditorRole,
                          operatorRole,
                          verified);
                });
    assertThat(summary.verified()).isTrue();
    Served s = served[0];
    assertThat(s.publicRounds()).isEqualTo(2);
    assertThat(s.signedOutRounds()).as("the full round records need sign-in").isEqualTo(401);
    assertThat(s.signedOutBalance()).as("balances stay private").isEqualTo(401);
    assertThat(s.auditorRole()).isEqualTo("AUDITOR");
    assertThat(s.operatorRole()).isEqualTo("OPERATOR");
    assertThat(s.proofVerified()).isTrue();
    List<String> files;
    try (var list = Files.list(dir.resolve("keystores"))) {
      files = list.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(files)
        .contains("auditor.json", "operator.json", "solar-ca.json", "dc-east.json", "ml-lab.json")
        .hasSize(12);
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(text.split("Their password", -1)).hasSize(2);

    // A second run keeps the keystores (same keys) and does not print a password again.
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    new DemoRunner(new PrintStream(again, true, StandardCharsets.UTF_8))
        .run(dir, 1, EngineConfig.embedded(dir, 0, "x".repeat(16)));
    assertThat(again.toString(StandardCharsets.UTF_8))
        .doesNotContain("Their password")
        .contains("their password was shown when they were written");
    assertThat(keyOf(dir.resolve("keystores/auditor.json"), password[0]).address())
        .isEqualTo(
            new DemoMarket(DemoSeries.load())
                .actors().stream()
                    .filter(a -> a.name().equals("auditor"))
                    .findFirst()
                    .orElseThrow()
                    .key()
                    .address());
  }

  /** Opens a keystore with web3j, as any Ethereum tool would. */
  static Secp256k1.KeyPair keyOf(Path keystore, String password) throws Exception {
    Credentials c = WalletUtils.loadCredentials(password, keystore.toFile());
    return Secp256k1.KeyPair.fromPrivateKey(c.getEcKeyPair().getPrivateKey());
  }
}
