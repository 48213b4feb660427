package org.cnemarket.engine.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.cnemarket.engine.Engine;
import org.cnemarket.engine.config.SurfaceConfig;
import org.cnemarket.engine.ops.Logging;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the engine's REST API until stopped.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, description = "data directory (H2 databases)")
  Path data;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "address to bind (default ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "port (default ${DEFAULT-VALUE})")
  int port;

  @CommandLine.Mixin LedgerOptions ledger;

  @CommandLine.Mixin MechanismOptions mechanisms;

  @Option(
      names = "--config",
      description = "properties file (cne.* keys; CNE_* environment variables override)")
  Path config;

  @Option(
      names = "--public-market-data",
      description =
          "publish market data (round prices, volumes, energy mix, carbon, batch roots) without sign-in;"
              + " the same as cne.public.market-data=true")
  boolean publicMarketData;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    SurfaceConfig loaded = SurfaceConfig.load(config, System.getenv());
    SurfaceConfig surfaces = publicMarketData ? loaded.withPublicMarketData(true) : loaded;
    Logging.configure(surfaces.logFormat());
    String token = System.getenv("CNE_OPERATOR_TOKEN");
    if (token == null || token.length() < 16) {
      spec.commandLine()
          .getErr()
          .println(
              "cne-engine: set CNE_OPERATOR_TOKEN (at least 16 characters) to the operator's bearer token");
      return 2;
    }
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    try (Engine engine =
        Engine.start(
            ledger.config(data, host, port, token, 2000, mechanisms.parameters()),
            surfaces,
            Clock.systemUTC())) {
      // SIGTERM: the hook wakes the main thread and waits until the engine closed gracefully
      // (in-flight round finished, outbox drained), so the JVM does not exit under it.
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    stop.countDown();
                    try {
                      closed.await(surfaces.shutdownGraceSeconds() + 30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
      spec.commandLine()
          .getOut()
          .println(
              "CNE Market engine listening on "
                  + (surfaces.tls() ? "https" : "http")
                  + "://"
                  + host
                  + ":"
                  + engine.port());
      spec.commandLine().getOut().flush();
      stop.await();
    } finally {
      closed.countDown();
    }
    return 0;
  }
}
