package org.cnemarket.wallet.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cnemarket.agents.agent.Battery;
import org.cnemarket.agents.agent.MicrogridAgent;
import org.cnemarket.agents.agent.ProviderAgent;
import org.cnemarket.agents.agent.ProviderStrategy;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.wallet.WalletApi;
import org.cnemarket.wallet.agent.AgentPolicy;
import org.cnemarket.wallet.agent.LiveAgent;
import org.cnemarket.wallet.keystore.Keystore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code agent run}: a trading agent bidding every round for the keystore's participant. */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = "Trading agents that bid every round for you.",
    subcommands = {AgentCommand.Run.class})
final class AgentCommand extends Groups {

  enum AgentRole {
    PROVIDER,
    MICROGRID
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "Bid in every round for the keystore's participant: a provider buys energy for its forecast"
            + " load and offers its free compute capacity (strategies carbon-blind, cost-plus, green);"
            + " a microgrid offers its hourly output at marginal cost, with an optional battery"
            + " (strategy marginal).",
        "Each round: read the market and the last cleared energy price, sign the slot's orders"
            + " (EIP-712), send them, wait for the operator to close the slot, report the trades.",
        "Runs --rounds rounds, or until interrupted (Ctrl+C stops after the current engine call)."
            + " With --json, one JSON object per line: orders, closed, summary."
      })
  static final class Run extends WalletCommand {
    @Mixin PasswordOptions password;

    @Option(
        names = "--role",
        paramLabel = "ROLE",
        defaultValue = "PROVIDER",
        description = "provider or microgrid (default provider).")
    AgentRole role;

    @Option(
        names = "--strategy",
        paramLabel = "NAME",
        description =
            "Provider: carbon-blind, cost-plus (default) or green; microgrid: marginal (default).")
    String strategy;

    @Option(
        names = "--rounds",
        paramLabel = "N",
        converter = Converters.NonNegativeConverter.class,
        description = "Rounds to bid in (default: until interrupted; 1 with --dry-run).")
    Long rounds;

    @Option(
        names = "--from-slot",
        paramLabel = "SLOT",
        converter = Converters.SlotConverter.class,
        description = "First slot to bid for (default: the next open slot after the current hour).")
    Long fromSlot;

    @Option(
        names = "--dry-run",
        description = "Print the signed orders each round would send; send nothing.")
    boolean dryRun;

    @Option(
        names = "--round-timeout",
        paramLabel = "DURATION",
        converter = Converters.DurationConverter.class,
        defaultValue = "90m",
        description =
            "Give up (exit 9) when a slot bid in is not closed within this (default 90m).")
    Duration roundTimeout;

    @Option(
        names = "--poll-interval",
        paramLabel = "DURATION",
        converter = Converters.DurationConverter.class,
        defaultValue = "2s",
        description = "How often to ask whether the slot closed (default 2s).")
    Duration pollInterval;

    @Option(
        names = "--zone",
        paramLabel = "ZONE",
        converter = Converters.NonNegativeConverter.class,
        defaultValue = "0",
        description = "Grid zone of the orders (default 0).")
    long zone;

    @Option(
        names = "--energy-price-hint",
        paramLabel = "CREDITS",
        converter = Converters.CreditsConverter.class,
        defaultValue = "0.1",
        description =
            "Forecast energy price in credits/kWh until a round has cleared energy (default 0.1).")
    long energyPriceHintMicros;

    // ---- provider ----

    @Option(
        names = "--capacity-units",
        paramLabel = "UNITS",
        converter = Converters.NonNegativeConverter.class,
        description = "Provider: compute units it can run per slot.")
    Long capacityUnits;

    @Option(
        names = "--base-load-units",
        paramLabel = "UNITS",
        converter = Converters.NonNegativeConverter.class,
        defaultValue = "0",
        description = "Provider: units of its own committed work per slot, not for sale.")
    long baseLoadUnits;

    @Option(
        names = "--wh-per-unit",
        paramLabel = "WH",
        converter = Converters.NonNegativeConverter.class,
        description = "Provider: facility Wh per compute unit (power model × PUE).")
    Long whPerUnit;

    @Option(
        names = "--other-cost",
        paramLabel = "CREDITS",
        converter = Converters.CreditsConverter.class,
        defaultValue = "0.1",
        description = "Provider: non-energy cost per unit in credits (default 0.1).")
    long otherCostMicros;

    // ---- microgrid ----

    @Option(
        names = "--source",
        paramLabel = "SOURCE",
        description = "Microgrid: GRID, SOLAR, WIND, HYDRO.")
    EnergySource source;

    @Option(
        names = "--output-wh",
        paramLabel = "WH",
        converter = Converters.NonNegativeConverter.class,
        description = "Microgrid: output offered every slot, Wh.")
    Long outputWh;

    @Option(
        names = "--profile",
        paramLabel = "FILE",
        description =
            "Microgrid: forecast output by UTC hour, 24 Wh values (comma or line separated).")
    Path profile;

    @Option(
        names = "--marginal-cost",
        paramLabel = "CREDITS",
        converter = Converters.CreditsConverter.class,
        description = "Microgrid: offer price in credits/kWh.")
    Long marginalCostMicros;

    @Option(
        names = "--carbon",
        paramLabel = "G_PER_KWH",
        converter = Converters.GramsConverter.class,
        defaultValue = "0",
        description = "Microgrid: carbon intensity of the output, g CO2/kWh (default 0).")
    long carbonMg;

    @Option(
        names = "--battery-wh",
        paramLabel = "WH",
        converter = Converters.NonNegativeConverter.class,
        description = "Microgrid: battery capacity; unsold output is stored and offered later.")
    Long batteryWh;

    @Option(
        names = "--battery-rate-wh",
        paramLabel = "WH",
        converter = Converters.NonNegativeConverter.class,
        description =
            "Microgrid: battery charge and discharge limit per slot (default capacity/4).")
    Long batteryRateWh;

    @Option(
        names = "--battery-efficiency-percent",
        paramLabel = "PERCENT",
        converter = Converters.PercentConverter.class,
        defaultValue = "90",
        description = "Microgrid: battery round-trip efficiency (default 90).")
    int batteryEfficiencyBps;

    @Override
    int run() throws Exception {
      // Check the configuration before unlocking the key: a bad option costs no password prompt.
      if (dryRun && rounds != null && rounds == 0) {
        throw usage("a dry run needs --rounds of at least 1");
      }
      String address = Keystore.readAddress(settings().keystore());
      ProviderStrategy providerStrategy = role == AgentRole.PROVIDER ? checkProvider() : null;
      AgentPolicy microgridPolicy = role == AgentRole.MICROGRID ? microgrid(address) : null;
      try (WalletApi api = signing(password)) {
        AgentPolicy policy =
            providerStrategy != null ? provider(address, api, providerStrategy) : microgridPolicy;
        long n = rounds != null ? rounds : dryRun ? 1 : 0;
        LiveAgent.Options options =
            new LiveAgent.Options(
                n, fromSlot, dryRun, roundTimeout, pollInterval, energyPriceHintMicros);
        progress(
            (dryRun ? "dry run: " : "")
                + role.name().toLowerCase(Locale.ROOT)
                + " agent "
                + address
                + " ("
                + policy.strategy()
                + ", zone "
                + zone
                + ")"
                + (n == 0 ? ", until interrupted" : ", " + n + " round(s)"));
        LiveAgent agent = new LiveAgent(api, policy, options, new Output());
        return runUntilInterrupted(agent);
      } catch (LiveAgent.RoundTimeoutException e) {
        throw new CliException(ExitCodes.TIMEOUT, "round-timeout", e.getMessage());
      }
    }

    /** Runs the loop; a SIGINT or SIGTERM stops it after the current engine call. */
    private int runUntilInterrupted(LiveAgent agent) throws Exception {
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch finished = new CountDownLatch(1);
      long graceMillis =
          pollInterval.toMillis() + 3 * settings().requestTimeout().toMillis() + 1_000;
      Thread hook =
          new Thread(
              () -> {
                stop.set(true);
                try {
                  finished.await(graceMillis, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "agent-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        LiveAgent.Summary s = agent.run(stop::get);
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("event", "summary");
        j.put("rounds", s.rounds());
        j.put("ordersSent", s.ordersSent());
        j.put("trades", s.trades());
        j.put("stop", s.stop().name());
        emit(
            j,
            (s.stop() == LiveAgent.Stop.STOPPED ? "stopped" : "done")
                + " after "
                + s.rounds()
                + " round(s): "
                + s.ordersSent()
                + " order(s) sent, "
                + s.trades()
                + " trade(s)");
        return ExitCodes.OK;
      } finally {
        finished.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // The JVM is already shutting down (the hook is what stopped us): nothing to remove.
        }
      }
    }

    /** The provider's options checked; its strategy. */
    private ProviderStrategy checkProvider() throws CliException {
      for (Object o : new Object[] {source, outputWh, profile, marginalCostMicros, batteryWh}) {
        if (o != null) {
          throw usage(
              "--source, --output-wh, --profile, --marginal-cost and --battery-wh are microgrid"
                  + " options");
        }
      }
      if (capacityUnits == null || whPerUnit == null) {
        throw usage("a provider agent needs --capacity-units and --wh-per-unit");
      }
      if (capacityUnits == 0 || whPerUnit == 0) {
        throw usage("--capacity-units and --wh-per-unit must be positive");
      }
      if (baseLoadUnits > capacityUnits) {
        throw usage("--base-load-units must not exceed --capacity-units");
      }
      try {
        return ProviderStrategy.parse(strategy == null ? "cost-plus" : strategy);
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
    }

    private AgentPolicy provider(String address, WalletApi api, ProviderStrategy s)
        throws Exception {
      // Under the uniform compute auction the offer must carry the energy cost itself; under
      // Stackelberg pricing the engine adds the energy price the provider paid.
      boolean energyInOffer = !"stackelberg".equals(api.market().computeMechanism());
      return new AgentPolicy.Provider(
          new ProviderAgent(address, zone, whPerUnit, otherCostMicros, s, energyInOffer),
          capacityUnits,
          baseLoadUnits);
    }

    private AgentPolicy microgrid(String address) throws CliException {
      if (capacityUnits != null || whPerUnit != null) {
        throw usage("--capacity-units and --wh-per-unit are provider options");
      }
      if (strategy != null && !strategy.equalsIgnoreCase("marginal")) {
        throw usage("unknown microgrid strategy '" + strategy + "' (expected marginal)");
      }
      if (source == null || marginalCostMicros == null) {
        throw usage("a microgrid agent needs --source and --marginal-cost");
      }
      if (source == EnergySource.STORAGE || source == EnergySource.NONE) {
        throw usage("--source must be GRID, SOLAR, WIND or HYDRO (storage is --battery-wh)");
      }
      if ((outputWh == null) == (profile == null)) {
        throw usage("give one of --output-wh and --profile");
      }
      if (marginalCostMicros == 0) {
        throw usage("--marginal-cost must be positive");
      }
      long[] byHour = new long[24];
      if (outputWh != null) {
        Arrays.fill(byHour, outputWh);
      } else {
        byHour = readProfile(profile);
      }
      Battery battery = null;
      if (batteryWh != null) {
        long rate = batteryRateWh != null ? batteryRateWh : Math.max(1, batteryWh / 4);
        try {
          battery = new Battery(batteryWh, rate, rate, batteryEfficiencyBps);
        } catch (IllegalArgumentException e) {
          throw usage(e.getMessage());
        }
      }
      try {
        return new AgentPolicy.Microgrid(
            new MicrogridAgent(address, zone, source, battery, 9_000),
            byHour,
            marginalCostMicros,
            carbonMg);
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
    }

    private static long[] readProfile(Path file) throws CliException {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new CliException(ExitCodes.IO_ERROR, "profile-missing", "no profile file at " + file);
      } catch (IOException e) {
        throw new CliException(
            ExitCodes.IO_ERROR,
            "profile-unreadable",
            "cannot read " + file + ": " + e.getMessage());
      }
      List<Long> values = new ArrayList<>();
      for (String part : text.split("[,\\s]+")) {
        if (part.isBlank()) {
          continue;
        }
        try {
          long v = Long.parseLong(part.trim());
          if (v < 0) {
            throw new NumberFormatException();
          }
          values.add(v);
        } catch (NumberFormatException e) {
          throw usage(file + ": not a non-negative Wh value: " + part);
        }
      }
      if (values.size() != 24) {
        throw usage(
            file + ": expected 24 hourly Wh values (UTC hours 0-23), found " + values.size());
      }
      return values.stream().mapToLong(Long::longValue).toArray();
    }

    private static CliException usage(String message) {
      return new CliException(ExitCodes.USAGE, "invalid-argument", message);
    }

    /** Text lines, or one JSON object per line with --json. */
    private final class Output implements LiveAgent.Listener {
      @Override
      public void ordersOf(
          long slot, long forecastMicros, List<LiveAgent.SentOrder> orders, boolean dry) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("event", "orders");
        j.put("slot", slot);
        j.put("forecastEnergyPriceMicros", forecastMicros);
        j.put("sent", !dry);
        List<Object> items = new ArrayList<>();
        StringBuilder text =
            new StringBuilder(Format.slot(slot))
                .append(": forecast energy ")
                .append(Format.price(OrderKind.Market.ENERGY, forecastMicros))
                .append(dry ? "; would send " : "; sent ")
                .append(orders.size())
                .append(" order(s)");
        for (LiveAgent.SentOrder o : orders) {
          Map<String, Object> item = new LinkedHashMap<>();
          item.put("orderId", o.orderId());
          item.put("status", o.status());
          item.putAll(RecordCodec.signedOrder(o.signed()));
          items.add(item);
          Order ord = o.signed().order();
          OrderKind.Market m = ord.kind().market();
          text.append("\n  ")
              .append(ord.kind())
              .append(' ')
              .append(Format.quantity(m, ord.quantity()))
              .append(" at ")
              .append(Format.price(m, ord.priceMicros()));
          if (ord.greenBps() > 0) {
            text.append(", green ").append(ord.greenBps() / 100.0).append(" %");
          }
          text.append("  ").append(Format.shortId(o.orderId())).append(' ').append(o.status());
        }
        j.put("orders", items);
        line(j, text.toString());
      }

      @Override
      public void closed(LiveAgent.RoundOutcome r) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("event", "closed");
        j.put("slot", r.slot());
        j.put("round", r.round());
        j.put("trades", (long) r.trades().size());
        j.put("boughtWh", r.boughtWh());
        j.put("paidMicros", r.paidMicros());
        j.put("soldQuantity", r.soldQuantity());
        j.put("receivedMicros", r.receivedMicros());
        line(
            j,
            "  round "
                + r.round()
                + " closed: "
                + r.trades().size()
                + " trade(s), paid "
                + Format.credits(r.paidMicros())
                + " credits for "
                + Format.quantity(OrderKind.Market.ENERGY, r.boughtWh())
                + ", received "
                + Format.credits(r.receivedMicros())
                + " credits");
      }

      private void line(Map<String, Object> json, String text) {
        ctx.out().println(common.json ? Json.write(json) : text);
        ctx.out().flush();
      }
    }
  }
}
