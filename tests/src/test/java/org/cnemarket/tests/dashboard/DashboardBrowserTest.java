package org.cnemarket.tests.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cnemarket.core.client.MarketClient;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.engine.Engine;
import org.cnemarket.engine.config.EngineConfig;
import org.cnemarket.engine.config.SurfaceConfig;
import org.cnemarket.engine.demo.DemoKeystores;
import org.cnemarket.engine.round.PowerProfile;
import org.cnemarket.engine.round.RoundInput;
import org.cnemarket.engine.round.RoundParameters;
import org.cnemarket.engine.store.StoredOrder;
import org.cnemarket.wallet.keystore.KdfParams;
import org.cnemarket.wallet.keystore.Keystore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium against an in-process engine that publishes market data, with
 * one settled round. Signed out, the market view shows the public data. A provider signs in through
 * a browser wallet (an EIP-1193 provider announced with EIP-6963, backed by a test key held by the
 * test), places an order its wallet signs as EIP-712 typed data, and the engine accepts it. The
 * operator (development aid: a pasted key) closes the round from the console, and the round's
 * result arrives over the event stream, signed in and signed out; from the console it also sets the
 * mechanism parameters (a bad value refused, a good one applied from the next round, which then
 * clears with it) and a provider's power model. An auditor signs in with a keystore file (written
 * as the demo writes them) decrypted in the browser and sees a trade's Merkle proof verified
 * against the ledger's root. Screenshots of each view go to docs/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {
  static final String TOKEN = "operator-token-for-browser-test";
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final long SLOT = 495_300;

  static final Secp256k1.KeyPair GRID = key("dash-grid");
  static final Secp256k1.KeyPair WIND = key("dash-wind");
  static final Secp256k1.KeyPair DC = key("dash-dc");
  static final Secp256k1.KeyPair USER = key("dash-user");
  static final Secp256k1.KeyPair AUDITOR = key("dash-auditor");
  static final Secp256k1.KeyPair OPERATOR = key("dash-operator");

  @TempDir static Path dir;

  Engine engine;
  ChromeDriver browser;
  InjectedWallet wallet;
  Path screenshots;

  static Secp256k1.KeyPair key(String name) {
    return Secp256k1.KeyPair.fromPrivateKey(new BigInteger(1, Keccak.hash("test-key:" + name)));
  }

  @BeforeAll
  void start() throws Exception {
    // A missing browser fails the test rather than skipping it: .ci/run installs Debian's packages.
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException(
          "the dashboard test needs Debian's chromium and chromium-driver at "
              + CHROMIUM
              + " and "
              + CHROMEDRIVER
              + " (apt-get install chromium chromium-driver; .ci/run does)");
    }
    engine =
        Engine.start(
            EngineConfig.embedded(dir, 0, TOKEN),
            SurfaceConfig.defaults()
                .withPublicMarketData(true)
                .withOperatorAddress(OPERATOR.address()),
            Clock.systemUTC());
    seedMarket();
    screenshots =
        Path.of(System.getProperty("user.dir"))
            .toAbsolutePath()
            .getParent()
            .resolve("docs/screenshots");
    Files.createDirectories(screenshots);

    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1000",
        "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, o);
    // The wallet's provider is in every page before the dashboard's scripts run, as an extension's
    // is.
    wallet = new InjectedWallet(DC);
    browser.executeCdpCommand(
        "Page.addScriptToEvaluateOnNewDocument", Map.of("source", wallet.script()));
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (wallet != null) {
      wallet.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  /**
   * Registers five participants, funds the buyers, trades energy and compute in one round, meters
   * delivery.
   */
  void seedMarket() throws Exception {
    try (MarketClient op = MarketClient.connect(engine.baseUrl(), Duration.ofSeconds(30))) {
      Eip712.Domain domain = RecordCodec.domain(op.get("/v1/market").object("domain"));
      Map<Secp256k1.KeyPair, Role> people =
          Map.of(
              GRID,
              Role.MICROGRID,
              WIND,
              Role.MICROGRID,
              DC,
              Role.PROVIDER,
              USER,
              Role.USER,
              AUDITOR,
              Role.AUDITOR);
      op.withBearer(TOKEN);
      op.post("/v1/auditors", Map.of("address", AUDITOR.address()));
      for (var e : people.entrySet()) {
        op.post(
            "/v1/participants",
            RecordCodec.registration(
                Registration.sign(
                    domain,
                    e.getKey(),
                    e.getValue(),
                    e.getValue().name().toLowerCase() + "-" + e.getKey().address().substring(2, 6),
                    0)));
      }
      op.post(
          "/v1/deposits",
          Map.of("depositId", "dash-dc", "account", DC.address(), "amountMicros", 1_000_000_000L));
      op.post(
          "/v1/deposits",
          Map.of(
              "depositId", "dash-user", "account", USER.address(), "amountMicros", 1_000_000_000L));
      post(
          domain,
          GRID,
          new Order(
              OrderKind.ENERGY_OFFER,
              GRID.address(),
              SLOT,
              1,
              6_000,
              60_000,
              EnergySource.SOLAR,
              10_000,
              41_000,
              0,
              1,
              0));
      post(
          domain,
          WIND,
          new Order(
              OrderKind.ENERGY_OFFER,
              WIND.address(),
              SLOT,
              1,
              5_000,
              80_000,
              EnergySource.GRID,
              0,
              490_000,
              0,
              1,
              0));
      post(
          domain,
          DC,
          new Order(
              OrderKind.ENERGY_BID,
              DC.address(),
              SLOT,
              1,
              9_000,
              150_000,
              EnergySource.NONE,
              0,
              0,
              0,
              1,
              0));
      post(
          domain,
          DC,
          new Order(
              OrderKind.COMPUTE_OFFER,
              DC.address(),
              SLOT,
              1,
              20_000,
              40_000,
              EnergySource.NONE,
              0,
              0,
              0,
              2,
              0));
      post(
          domain,
          USER,
          new Order(
              OrderKind.COMPUTE_DEMAND,
              USER.address(),
              SLOT,
              1,
              12_000,
              90_000,
              EnergySource.NONE,
              0,
              0,
              50,
              1,
              0));
      Fields round = op.post("/v1/rounds", Map.of("slot", SLOT));
      assertThat(round.longValue("trades")).isPositive();
      assertThat(round.string("settlement")).isEqualTo("SETTLED");
      // The solar microgrid meters its delivery: reputation and green certificates follow.
      try (MarketClient grid = MarketClient.connect(engine.baseUrl(), Duration.ofSeconds(30))) {
        grid.login(GRID);
        for (Object t : grid.get("/v1/trades?participant=" + GRID.address()).list("items")) {
          String id = Fields.of(t, "trade").string("tradeId");
          long q = Fields.of(t, "trade").longValue("quantity");
          grid.post("/v1/meter-readings", Map.of("tradeId", id, "deliveredQuantity", q));
        }
      }
    }
  }

  void post(Eip712.Domain domain, Secp256k1.KeyPair key, Order o) throws Exception {
    try (MarketClient c = MarketClient.connect(engine.baseUrl(), Duration.ofSeconds(30))) {
      c.login(key);
      c.post("/v1/orders", RecordCodec.signedOrder(SignedOrder.sign(domain, o, key)));
    }
  }

  WebDriverWait waiting() {
    return new WebDriverWait(browser, Duration.ofSeconds(30));
  }

  void signedInAs(Role role, Secp256k1.KeyPair key) {
    waiting()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("who"), role.name() + " " + key.address()));
  }

  void signOut() {
    browser.findElement(By.id("logout-button")).click();
    waiting()
        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "not signed in"));
  }

  /** Switches view the way a user does (a same-page navigation: the wallet session stays). */
  void show(String view) {
    browser.findElement(By.id("nav-" + view)).click();
    waiting().until(ExpectedConditions.attributeToBe(By.id("view"), "data-loaded", view));
  }

  void screenshot(String name) throws IOException {
    Path png = screenshots.resolve(name + ".png");
    Files.write(png, browser.getScreenshotAs(OutputType.BYTES));
    assertThat(Files.size(png)).isGreaterThan(10_000);
  }

  /** The whole page in one picture: the window grows to the page's height, then shrinks back. */
  void wholePageScreenshot(String name) throws IOException {
    Dimension before = browser.manage().window().getSize();
    long height =
        (Long)
            browser.executeScript(
                "return document.documentElement.scrollHeight"
                    + " + window.outerHeight - window.innerHeight");
    browser
        .manage()
        .window()
        .setSize(new Dimension(before.getWidth(), (int) Math.min(height, 2400)));
    browser.executeScript("window.scrollTo(0, 0)");
    try {
      screenshot(name);
    } finally {
      browser.manage().window().setSize(before);
    }
  }

  /** A fresh page load (not a same-document hash change). */
  void load(String view) {
    browser.get("about:blank");
    browser.get(engine.baseUrl() + "/dashboard/#" + view);
    waiting().until(ExpectedConditions.attributeToBe(By.id("view"), "data-loaded", view));
  }

  void expand(String detailsId) {
    WebElement d = browser.findElement(By.id(detailsId));
    if (d.getAttribute("open") == null) {
      d.findElement(By.tagName("summary")).click();
    }
  }

  void awaitRoundEvent(long round) {
    waiting()
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#events li.event[data-type='round'][data-round='" + round + "']")));
  }

  @Test
  void aWalletUserTradesTheOperatorClosesTheRoundTheStreamTellsAndAnAuditorVerifies()
      throws Exception {
    // Signed out: the published market data.
    load("market");
    assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("not signed in");
    assertThat(browser.findElement(By.id("kpi-rounds")).getText()).isEqualTo("1");
    assertThat(browser.findElement(By.id("view")).getText())
        .contains("Batch roots on the ledger")
        .contains("Public market data");
    waiting().until(ExpectedConditions.attributeToBe(By.id("stream-state"), "data-state", "live"));
    Thread.sleep(300); // let Chart.js paint before the picture
    screenshot("market");

    // The provider signs in with its browser wallet (EIP-6963 discovery, personal_sign of the
    // EIP-4361 message).
    WebElement walletButton =
        waiting()
            .until(
                ExpectedConditions.elementToBeClickable(
                    By.cssSelector("#wallets .wallet[data-rdns='org.cnemarket.testwallet']")));
    assertThat(walletButton.getText()).contains("Test Wallet");
    walletButton.click();
    signedInAs(Role.PROVIDER, DC);
    assertThat(wallet.requests).extracting(r -> r.get("method")).containsExactly("personal_sign");

    // ... and places an energy bid its wallet signs as EIP-712 typed data; the engine accepts it.
    show("orders");
    long slot = SLOT + 1;
    browser.findElement(By.id("order-slot")).clear();
    browser.findElement(By.id("order-slot")).sendKeys(Long.toString(slot));
    browser.findElement(By.id("order-quantity")).clear();
    browser.findElement(By.id("order-quantity")).sendKeys("2.5");
    browser.findElement(By.id("order-price")).clear();
    browser.findElement(By.id("order-price")).sendKeys("0.15");
    browser.findElement(By.id("order-sign")).click();
    waiting()
        .until(
            ExpectedConditions.attributeToBeNotEmpty(
                browser.findElement(By.id("order-status")), "data-order-id"));
    WebElement status = browser.findElement(By.id("order-status"));
    String orderId = browser.findElement(By.id("order-status")).getAttribute("data-order-id");
    assertThat(status.getText()).contains("accepted");
    assertThat(wallet.requests)
        .extracting(r -> r.get("method"))
        .containsExactly("personal_sign", "eth_signTypedData_v4");
    StoredOrder stored = engine.store().orders().get(orderId).orElseThrow();
    assertThat(stored.signed().order().trader()).isEqualTo(DC.address());
    assertThat(stored.signed().order().kind()).isEqualTo(OrderKind.ENERGY_BID);
    assertThat(stored.signed().order().quantity()).isEqualTo(2_500);
    assertThat(stored.signed().order().priceMicros()).isEqualTo(150_000);
    assertThat(stored.signed().verify(engine.market().domain())).isTrue();
    screenshot("orders");

    show("provider");
    assertThat(browser.findElement(By.id("view")).getText()).contains("Trades and delivery");
    screenshot("provider");

    // The operator (development aid: a pasted key) closes the round from the console; its result
    // streams in.
    signOut();
    expand("dev-aid");
    browser.findElement(By.id("key")).sendKeys(OPERATOR.privateKeyHex());
    browser.findElement(By.id("login-button")).click();
    signedInAs(Role.OPERATOR, OPERATOR);
    show("operator");
    waiting().until(ExpectedConditions.attributeToBe(By.id("stream-state"), "data-state", "live"));
    browser.findElement(By.id("op-slot")).clear();
    browser.findElement(By.id("op-slot")).sendKeys(Long.toString(slot));
    browser.findElement(By.id("op-close")).click();
    waiting()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("op-close-status"), "round 2 closed"));
    assertThat(engine.store().rounds().last()).isEqualTo(2);
    awaitRoundEvent(2);
    // A deposit from the console: credits typed as a decimal reach the ledger exactly; a bad
    // account is
    // refused with the API's reason and changes nothing.
    long before = engine.ledger().balance(USER.address()).availableMicros();
    browser.findElement(By.id("op-dep-account")).sendKeys("0x12");
    browser.findElement(By.id("op-dep-amount")).sendKeys("12.5");
    browser.findElement(By.id("op-deposit")).click();
    waiting()
        .until(ExpectedConditions.attributeContains(By.id("op-deposit-status"), "class", "bad"));
    assertThat(browser.findElement(By.id("op-deposit-status")).getText()).contains("account");
    assertThat(engine.ledger().balance(USER.address()).availableMicros()).isEqualTo(before);
    browser.findElement(By.id("op-dep-account")).clear();
    browser.findElement(By.id("op-dep-account")).sendKeys(USER.address());
    browser.findElement(By.id("op-deposit")).click();
    waiting()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("op-deposit-status"), "deposited 12.5"));
    assertThat(engine.ledger().balance(USER.address()).availableMicros())
        .isEqualTo(before + 12_500_000);

    // The mechanism: a k outside [0, 1] is refused with the API's reason and changes nothing;
    // McAfee
    // with k 0.4 applies from the next round (round 3), not to the rounds already closed.
    assertThat(engine.market().parameters()).isEqualTo(RoundParameters.DEFAULT);
    new Select(browser.findElement(By.id("op-mp-energy"))).selectByValue("mcafee");
    browser.findElement(By.id("op-mp-k")).clear();
    browser.findElement(By.id("op-mp-k")).sendKeys("1.5");
    browser.findElement(By.id("op-mp-set")).click();
    waiting().until(ExpectedConditions.attributeContains(By.id("op-mp-status"), "class", "bad"));
    assertThat(browser.findElement(By.id("op-mp-status")).getText()).contains("kPermille");
    assertThat(engine.market().parameters()).isEqualTo(RoundParameters.DEFAULT);
    browser.findElement(By.id("op-mp-k")).clear();
    browser.findElement(By.id("op-mp-k")).sendKeys("0.4");
    browser.findElement(By.id("op-mp-set")).click();
    waiting()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("op-mp-status"), "applies from round 3"));
    RoundParameters mcafee = new RoundParameters("mcafee", 400, "stackelberg");
    assertThat(engine.market().parameters()).isEqualTo(mcafee);
    assertThat(browser.findElement(By.id("op-kpi-energy")).getText()).isEqualTo("mcafee");
    waiting()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(By.id("op-mp-history"), "mcafee"));
    assertThat(engine.store().mechanisms().current().orElseThrow().setBy())
        .isEqualTo(OPERATOR.address());

    // A provider's power model: the console shows the one the market holds, then sets another.
    new Select(browser.findElement(By.id("op-pm-provider"))).selectByValue(DC.address());
    waiting()
        .until(ExpectedConditions.attributeToBe(By.id("op-pm-current"), "data-declared", "false"));
    assertThat(browser.findElement(By.id("op-pm-idle")).getAttribute("value")).isEqualTo("150");
    browser.findElement(By.id("op-pm-idle")).clear();
    browser.findElement(By.id("op-pm-idle")).sendKeys("120");
    browser.findElement(By.id("op-pm-pue")).clear();
    browser.findElement(By.id("op-pm-pue")).sendKeys("1.15");
    browser.findElement(By.id("op-pm-set")).click();
    waiting()
        .until(ExpectedConditions.attributeToBe(By.id("op-pm-current"), "data-declared", "true"));
    assertThat(engine.market().powerProfile(DC.address()))
        .contains(new PowerProfile(120, 350, 11_500, 5_000));
    wholePageScreenshot("operator");

    // Signed out, the market view and the public stream still work: round 3 arrives without a
    // token.
    signOut();
    show("market");
    assertThat(browser.findElement(By.id("kpi-rounds")).getText()).isEqualTo("2");
    waiting().until(ExpectedConditions.attributeToBe(By.id("stream-state"), "data-state", "live"));
    try (MarketClient op = MarketClient.connect(engine.baseUrl(), Duration.ofSeconds(30))) {
      op.withBearer(TOKEN);
      op.post("/v1/rounds", Map.of("slot", slot + 1));
    }
    awaitRoundEvent(3);
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("kpi-rounds"), "3"));
    // Round 3 cleared with what the console set; round 2, closed before, kept the defaults.
    assertThat(
            RoundInput.fromJson(engine.store().rounds().get(3).orElseThrow().inputsJson())
                .parameters())
        .isEqualTo(mcafee);
    assertThat(
            RoundInput.fromJson(engine.store().rounds().get(2).orElseThrow().inputsJson())
                .parameters())
        .isEqualTo(RoundParameters.DEFAULT);

    // The auditor signs in with a keystore file decrypted in the browser and verifies a trade's
    // proof.
    // The keystore as the demo writes its participants' (web3j, scrypt), under the password it
    // prints.
    Path demoData = Files.createDirectories(dir.resolve("demo-data"));
    DemoKeystores.Written written =
        DemoKeystores.ensure(demoData, Map.of("auditor", AUDITOR), new SecureRandom());
    expand("keystore-login");
    browser
        .findElement(By.id("keystore-file"))
        .sendKeys(written.files().get("auditor").toAbsolutePath().toString());
    browser.findElement(By.id("keystore-password")).sendKeys(written.password());
    browser.findElement(By.id("keystore-button")).click();
    signedInAs(Role.AUDITOR, AUDITOR);
    show("auditor");
    List<WebElement> open = browser.findElements(By.cssSelector(".open-trade"));
    assertThat(open).isNotEmpty();
    open.get(0).click();
    waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("proof-status")));
    WebElement proof = browser.findElement(By.id("proof-status"));
    assertThat(proof.getAttribute("data-verified")).isEqualTo("true");
    assertThat(proof.getText()).contains("Proof verified");
    screenshot("auditor");
  }

  @Test
  void aWrongKeystorePasswordIsRefusedInTheBrowser() throws Exception {
    Path keystore = dir.resolve("wrong-password-keystore.json");
    Files.writeString(
        keystore,
        Keystore.encrypt(USER, "right".toCharArray(), KdfParams.LIGHT, new SecureRandom()));
    load("market");
    if (!browser.findElement(By.id("who")).getText().equals("not signed in")) {
      signOut();
    }
    expand("keystore-login");
    browser.findElement(By.id("keystore-file")).sendKeys(keystore.toAbsolutePath().toString());
    browser.findElement(By.id("keystore-password")).sendKeys("wrong");
    browser.findElement(By.id("keystore-button")).click();
    waiting()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("login-status"), "wrong password"));
    assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("not signed in");
  }
}
