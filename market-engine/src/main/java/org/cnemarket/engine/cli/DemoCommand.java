package org.cnemarket.engine.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.cnemarket.engine.config.SurfaceConfig;
import org.cnemarket.engine.demo.DemoRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run the demo market on real energy data and verify every settled trade.")
final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--slots",
      defaultValue = "24",
      description = "hourly rounds to run (default ${DEFAULT-VALUE})")
  int slots;

  @Option(
      names = "--data",
      defaultValue = "demo-data",
      description = "data directory (default ${DEFAULT-VALUE})")
  Path data;

  @Option(names = "--json", description = "print a JSON summary as the last line")
  boolean json;

  @Option(
      names = "--serve",
      description =
          "keep the engine running after the rounds and print the dashboard's URL"
              + " (stop with Ctrl+C)")
  boolean serve;

  @Option(
      names = "--port",
      description = "the engine's port (default: 8080 with --serve, any free port without)")
  Integer port;

  @Option(
      names = "--public-market-data",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "publish market data without sign-in (default: on for the demo; --no-public-market-data)")
  boolean publicMarketData;

  @CommandLine.Mixin LedgerOptions ledger;

  @CommandLine.Mixin MechanismOptions mechanisms;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (slots < 1 || slots > 10_000) {
      spec.commandLine().getErr().println("cne-engine: --slots must be between 1 and 10000");
      return 2;
    }
    int bind = port != null ? port : serve ? 8080 : 0;
    if (bind < 0 || bind > 65535) {
      spec.commandLine().getErr().println("cne-engine: --port must be between 0 and 65535");
      return 2;
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintStream ps =
        new PrintStream(
            new OutputStream() {
              @Override
              public void write(int b) {
                out.write(b);
              }

              @Override
              public void flush() {
                out.flush();
              }
            },
            true,
            StandardCharsets.UTF_8);
    var surfaces = SurfaceConfig.defaults().withPublicMarketData(publicMarketData);
    if (bind > 0) {
      // Sign-in messages name the host the browser shows, as wallets check (EIP-4361).
      surfaces = surfaces.withSignInDomain("127.0.0.1:" + bind, "http://127.0.0.1:" + bind);
    }
    boolean[] printed = {false};
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    DemoRunner.Summary s;
    try {
      s =
          new DemoRunner(ps)
              .run(
                  data,
                  slots,
                  ledger.settings(),
                  bind,
                  mechanisms.parameters(),
                  surfaces,
                  !serve
                      ? null
                      : (engine, sum, token) -> {
                        ps.flush();
                        String url = engine.baseUrl();
                        out.println("The demo market is being served at " + url);
                        out.println(
                            "  Dashboard:  "
                                + url
                                + "/dashboard/   (sign in with a keystore above, or a browser wallet"
                                + " holding one of these keys)");
                        out.println(
                            "  Market data without sign-in: "
                                + (publicMarketData ? url + "/v1/public/rounds" : "off"));
                        out.println(
                            "  API:        " + url + "/docs   operator bearer token: " + token);
                        out.println("  Stop with Ctrl+C.");
                        if (json) {
                          out.println(DemoRunner.toJson(sum));
                        }
                        printed[0] = true;
                        out.flush();
                        // Ctrl+C / SIGTERM: the hook wakes this thread and waits until the engine
                        // closed gracefully.
                        Runtime.getRuntime()
                            .addShutdownHook(
                                new Thread(
                                    () -> {
                                      stop.countDown();
                                      try {
                                        closed.await(90, TimeUnit.SECONDS);
                                      } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                      }
                                    }));
                        stop.await();
                      });
    } finally {
      closed.countDown();
    }
    ps.flush();
    if (json && !printed[0]) {
      out.println(DemoRunner.toJson(s));
    }
    out.flush();
    return s.verified() && s.conservation() ? 0 : 1;
  }
}
