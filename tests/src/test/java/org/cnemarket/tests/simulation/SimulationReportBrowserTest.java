package org.cnemarket.tests.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.cnemarket.engine.cli.EngineMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Runs {@code cne-engine simulate} on the shipped §5.1 scenario and opens its HTML report in
 * headless Debian Chromium: the strategies table and every chart render (SVGs with drawn shapes).
 * The screenshot goes to docs/screenshots/simulation-report.png.
 */
class SimulationReportBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir Path dir;

  @Test
  void reportRendersInHeadlessChromium() throws Exception {
    // A missing browser fails the test rather than skipping it: .ci/run installs Debian's packages.
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException(
          "the report test needs Debian's chromium and chromium-driver at "
              + CHROMIUM
              + " and "
              + CHROMEDRIVER
              + " (apt-get install chromium chromium-driver; .ci/run does)");
    }
    Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    Path out = dir.resolve("out");
    StringWriter err = new StringWriter();
    int code =
        EngineMain.run(
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "simulate",
            "--scenario",
            root.resolve("scenarios/s5.1-training-inference.json").toString(),
            "--days",
            "3",
            "--out",
            out.toString(),
            "--no-progress");
    assertThat(code).as(err.toString()).isZero();

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
        "--window-size=1300,2600",
        "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    WebDriver browser = new ChromeDriver(service, o);
    try {
      browser.get(out.resolve("report.html").toUri().toString());
      new WebDriverWait(browser, Duration.ofSeconds(30))
          .until(ExpectedConditions.presenceOfElementLocated(By.tagName("svg")));
      assertThat(browser.getTitle()).contains("s5.1");
      List<WebElement> rows = browser.findElements(By.cssSelector("table tr"));
      assertThat(rows.get(0).getText()).contains("g CO2 / unit");
      assertThat(browser.findElement(By.tagName("body")).getText())
          .contains(
              "carbon-blind",
              "market",
              "time-shifting",
              "time-location",
              "optimum",
              "Energy mix per zone");
      List<WebElement> svgs = browser.findElements(By.tagName("svg"));
      assertThat(svgs.size()).isGreaterThanOrEqualTo(8);
      for (WebElement svg : svgs) {
        assertThat(svg.getSize().getWidth()).isPositive();
        assertThat(svg.findElements(By.cssSelector("rect, polyline, circle"))).isNotEmpty();
      }
      Path screenshots = root.resolve("docs/screenshots");
      Files.createDirectories(screenshots);
      Files.write(
          screenshots.resolve("simulation-report.png"),
          ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    } finally {
      browser.quit();
    }
  }
}
