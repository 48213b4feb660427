package org.cnemarket.wallet.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cnemarket.core.client.MarketClientException;
import org.cnemarket.core.codec.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cne-wallet} command line. */
@Command(
    name = "cne-wallet",
    mixinStandardHelpOptions = true,
    version = "cne-wallet 0.1.0",
    description =
        "CNE Market wallet: keys, registration, signed orders, trades, balances and proofs.",
    subcommands = {
      KeysCommand.class,
      RegisterCommand.class,
      OfferCommand.class,
      BidCommand.class,
      DemandCommand.class,
      OrdersCommand.class,
      TradesCommand.class,
      BalanceCommand.class,
      ProofCommand.class,
      WatchCommand.class,
      ContractsCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Settings: flags, then env CNE_ENGINE_URL / CNE_KEYSTORE, then --config FILE "
          + "(default ~/.cne/wallet.properties: engine.url, keystore, request.timeout).",
      "Password: --password-file, then env CNE_WALLET_PASSWORD, then a prompt on the terminal.",
      ""
    })
public final class WalletMain extends Groups {

  private WalletMain() {}

  public static void main(String[] args) {
    // The CLI jar ships no SLF4J provider; choose the API's own no-op one so SLF4J does not
    // warn on stderr. Embedding applications pick their own provider as usual.
    if (System.getProperty("slf4j.provider") == null) {
      System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
      if (System.getProperty("slf4j.internal.verbosity") == null) {
        System.setProperty("slf4j.internal.verbosity", "WARN");
      }
    }
    int code = execute(CliContext.system(), args);
    System.exit(code);
  }

  /** Runs one command in this JVM with the given surroundings; returns its exit code. */
  public static int execute(CliContext ctx, String... args) {
    CommandLine cl = commandLine(ctx);
    int code = cl.execute(args);
    ctx.out().flush();
    ctx.err().flush();
    return code;
  }

  static CommandLine commandLine(CliContext ctx) {
    CommandLine.IFactory defaults = CommandLine.defaultFactory();
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> cls) throws Exception {
            if (cls == WalletMain.class) {
              return cls.cast(new WalletMain());
            }
            K k = defaults.create(cls);
            if (k instanceof WalletCommand w) {
              w.ctx = ctx;
            }
            return k;
          }
        };
    CommandLine cl = new CommandLine(WalletMain.class, factory);
    cl.setOut(ctx.out());
    cl.setErr(ctx.err());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.getCommandSpec()
        .usageMessage()
        .footer(concat(cl.getCommandSpec().usageMessage().footer(), ExitCodes.table()));
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          CliException e = Failures.map(ex);
          Object cmd = commandLine.getCommand();
          boolean json = cmd instanceof WalletCommand w && w.common != null && w.common.json;
          ctx.err().println("error: " + e.getMessage());
          if (e.exitCode() == Failures.INTERNAL) {
            ex.printStackTrace(ctx.err());
          }
          ctx.err().flush();
          if (json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("error", e.type());
            j.put("detail", e.getMessage() == null ? "" : e.getMessage());
            j.put("exitCode", (long) e.exitCode());
            if (ex instanceof MarketClientException m) {
              j.put("status", (long) m.status());
            }
            ctx.out().println(Json.write(j));
            ctx.out().flush();
          }
          return e.exitCode();
        });
    return cl;
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
