package org.cnemarket.tests.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium against an in-process engine with one settled round: an
 * auditor signs in with its key, opens a trade and sees its Merkle proof verified in the browser
 * against the root the ledger reports. Screenshots of the three views go to docs/screenshots/.
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

  @TempDir
  static Path dir;

  Engine engine;
  WebDriver browser;
  Path screenshots;

  static Secp256k1.KeyPair key(String name) {
    return Secp256k1.KeyPair.fromPrivateKey(new BigInteger(1, Keccak.hash("test-key:" + name)));
  }

  @BeforeAll
  void start() throws Exception {
    // A missing browser fails the test rather than skipping it: .ci/run installs Debian's packages.
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException("the dashboard test needs Debian's chromium and chromium-driver at "
          + CHROMIUM + " and " + CHROMEDRIVER + " (apt-get install chromium chromium-driver; .ci/run does)");
    }
    engine = Engine.start(EngineConfig.embedded(dir, 0, TOKEN), Clock.systemUTC());
    seedMarket();
    screenshots = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent().resolve("docs/screenshots");
    Files.createDirectories(screenshots);

    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1400,1000", "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    browser = new ChromeDriver(service, o);
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (engine != null) {
      engine.close();
    }
  }

  /** Registers five participants, funds the buyers, trades energy and compute in one round, meters delivery. */
  void seedMarket() throws Exception {
    try (MarketClient op = MarketClient.connect(engine.baseUrl(), Duration.ofSeconds(30))) {
      Eip712.Domain domain = RecordCodec.domain(op.get("/v1/market").object("domain"));
      Map<Secp256k1.KeyPair, Role> people = Map.of(GRID, Role.MICROGRID, WIND, Role.MICROGRID, DC, Role.PROVIDER,
          USER, Role.USER, AUDITOR, Role.AUDITOR);
      op.withBearer(TOKEN);
      op.post("/v1/auditors", Map.of("address", AUDITOR.address()));
      for (var e : people.entrySet()) {
        op.post("/v1/participants", RecordCodec.registration(
            Registration.sign(domain, e.getKey(), e.getValue(), e.getValue().name().toLowerCase() + "-" + e.getKey()
                .address().substring(2, 6), 0)));
      }
      op.post("/v1/deposits", Map.of("depositId", "dash-dc", "account", DC.address(), "amountMicros", 1_000_000_000L));
      op.post("/v1/deposits", Map.of("depositId", "dash-user", "account", USER.address(), "amountMicros", 1_000_000_000L));
      post(domain, GRID, new Order(OrderKind.ENERGY_OFFER, GRID.address(), SLOT, 1, 6_000, 60_000, EnergySource.SOLAR,
          10_000, 41_000, 0, 1, 0));
      post(domain, WIND, new Order(OrderKind.ENERGY_OFFER, WIND.address(), SLOT, 1, 5_000, 80_000, EnergySource.GRID,
          0, 490_000, 0, 1, 0));
      post(domain, DC, new Order(OrderKind.ENERGY_BID, DC.address(), SLOT, 1, 9_000, 150_000, EnergySource.NONE,
          0, 0, 0, 1, 0));
      post(domain, DC, new Order(OrderKind.COMPUTE_OFFER, DC.address(), SLOT, 1, 20_000, 40_000, EnergySource.NONE,
          0, 0, 0, 2, 0));
      post(domain, USER, new Order(OrderKind.COMPUTE_DEMAND, USER.address(), SLOT, 1, 12_000, 90_000,
          EnergySource.NONE, 0, 0, 50, 1, 0));
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

  void signIn(Secp256k1.KeyPair key, Role role) {
    browser.get(engine.baseUrl() + "/dashboard/#market");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    wait.until(ExpectedConditions.elementToBeClickable(By.id("logout-button"))).click();
    browser.findElement(By.id("key")).sendKeys(key.privateKeyHex());
    browser.findElement(By.id("login-button")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), role.name() + " " + key.address()));
  }

  void show(String view) {
    browser.get(engine.baseUrl() + "/dashboard/#" + view);
    new WebDriverWait(browser, Duration.ofSeconds(20)).until(
        ExpectedConditions.attributeToBe(By.id("view"), "data-loaded", view));
  }

  void screenshot(String name) throws IOException {
    Path png = screenshots.resolve(name + ".png");
    Files.write(png, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    assertThat(Files.size(png)).isGreaterThan(10_000);
  }

  @Test
  void anAuditorSignsInOpensATradeAndSeesItsProofVerified() throws Exception {
    signIn(AUDITOR, Role.AUDITOR);
    show("market");
    assertThat(browser.findElement(By.id("kpi-rounds")).getText()).isEqualTo("1");
    Thread.sleep(300); // let Chart.js paint before the picture
    screenshot("market");

    show("auditor");
    List<org.openqa.selenium.WebElement> open = browser.findElements(By.cssSelector(".open-trade"));
    assertThat(open).isNotEmpty();
    open.get(0).click();
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("proof-status")));
    var status = browser.findElement(By.id("proof-status"));
    assertThat(status.getAttribute("data-verified")).isEqualTo("true");
    assertThat(status.getText()).contains("Proof verified");
    screenshot("auditor");

    signIn(DC, Role.PROVIDER);
    show("provider");
    assertThat(browser.findElement(By.id("view")).getText()).contains("Trades and delivery");
    screenshot("provider");
  }
}
