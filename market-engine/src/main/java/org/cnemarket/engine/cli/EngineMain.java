package org.cnemarket.engine.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.cnemarket.engine.simulation.SimulateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cne-engine}: run the engine, the demo market, and audits. */
@Command(
    name = "cne-engine",
    mixinStandardHelpOptions = true,
    version = "CNE Market engine 0.1.0",
    description = "CNE Market: compute-and-energy trading engine.",
    subcommands = {
      ServeCommand.class,
      DemoCommand.class,
      AuditCommand.class,
      PriceCommand.class,
      SimulateCommand.class
    })
public final class EngineMain implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code. */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the command line with its output and errors going to the given writers. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new EngineMain());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          cmd.getErr()
              .println(
                  "cne-engine: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
          return 2;
        });
    return cl.execute(args);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }
}
