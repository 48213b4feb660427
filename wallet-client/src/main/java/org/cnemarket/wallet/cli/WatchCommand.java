package org.cnemarket.wallet.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Trade;
import org.cnemarket.wallet.Notification;
import org.cnemarket.wallet.OrderView;
import org.cnemarket.wallet.RoundView;
import org.cnemarket.wallet.WalletApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code watch}: follows the engine's event stream and prints one line per newly cleared round
 * (with the participant's trades and open orders), per fill and settlement of the participant, and
 * every low-balance warning, until {@code --rounds} rounds were seen or {@code --timeout} passed.
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Follow the market as it happens (the engine's event stream): one line per cleared round with your"
          + " trades and open orders, your fills and settlements, and low-balance warnings (your credits no longer"
          + " cover another round of your orders).",
      "Stops after --rounds rounds or at --timeout (without either, runs until interrupted)."
    })
final class WatchCommand extends WalletCommand {
  @Option(
      names = "--address",
      paramLabel = "ADDR",
      description =
          "Participant whose trades the round lines show (default: the keystore's address).")
  String address;

  @Option(names = "--rounds", paramLabel = "N", description = "Stop after N new rounds.")
  Integer rounds;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      description =
          "Stop after this long, e.g. 30s or 5m. With --rounds, not seeing them in time exits 9.")
  Duration timeout;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      defaultValue = "2s",
      description = "Wait before reconnecting after the stream dropped (default 2s).")
  Duration interval;

  @Override
  int run() throws Exception {
    if (rounds != null && rounds < 1) {
      throw new CliException(ExitCodes.USAGE, "invalid-argument", "--rounds must be at least 1");
    }
    String a = address(address);
    long deadlineNanos = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    List<Object> seen = new ArrayList<>();
    List<Object> notices = new ArrayList<>();
    try (WalletApi api = readOnly()) {
      long[] last = {api.market().lastRound()};
      boolean[] announced = {false};
      CliException[] failure = {null};
      boolean done =
          api.follow(
              deadlineNanos,
              interval,
              () -> {
                if (!announced[0]) {
                  announced[0] = true;
                  progress(
                      "watching "
                          + a
                          + " from round "
                          + last[0]
                          + (rounds != null ? " for " + rounds + " round(s)" : "")
                          + (timeout != null ? " for at most " + timeout.toSeconds() + " s" : ""));
                }
              },
              n -> {
                try {
                  if (n.type().equals("round")) {
                    // Every round up to this one, in order, also those closed while the stream was
                    // down.
                    for (long r = last[0] + 1; r <= n.number("round", last[0]); r++) {
                      RoundView view = api.round(r).orElse(null);
                      if (view != null) {
                        seen.add(report(api, a, view));
                        if (rounds != null && seen.size() >= rounds) {
                          last[0] = r;
                          return false;
                        }
                      }
                    }
                    last[0] = Math.max(last[0], n.number("round", last[0]));
                  } else {
                    notices.add(notice(n));
                  }
                  return true;
                } catch (Exception e) {
                  failure[0] = Failures.map(e);
                  return false;
                }
              });
      if (failure[0] != null) {
        throw failure[0];
      }
      if (!done && rounds != null) {
        return finish(
            a,
            seen,
            notices,
            false,
            ExitCodes.TIMEOUT,
            "timed out after " + seen.size() + " of " + rounds + " round(s)");
      }
      return finish(a, seen, notices, true, ExitCodes.OK, null);
    }
  }

  /** One line for the participant's fill, settlement or low-balance warning. */
  private Map<String, Object> notice(Notification n) {
    String line =
        switch (n.type()) {
          case "fill" ->
              "fill in round "
                  + n.number("round", 0)
                  + ": "
                  + n.text("side").toLowerCase(Locale.ROOT)
                  + " "
                  + Format.quantity(
                      OrderKind.Market.valueOf(n.text("market")), n.number("quantity", 0))
                  + " at "
                  + Format.price(
                      OrderKind.Market.valueOf(n.text("market")), n.number("priceMicros", 0))
                  + ", "
                  + Format.credits(n.number("amountMicros", 0))
                  + " credits (trade "
                  + n.text("tradeId")
                  + ")";
          case "settlement" ->
              "settled round "
                  + n.number("round", 0)
                  + " on the ledger: paid "
                  + Format.credits(n.number("paidMicros", 0))
                  + ", received "
                  + Format.credits(n.number("receivedMicros", 0))
                  + " credits (batch "
                  + n.text("batchId")
                  + ")";
          case "low-balance" ->
              "LOW BALANCE: "
                  + Format.credits(n.number("availableMicros", 0))
                  + " available + "
                  + Format.credits(n.number("escrowMicros", 0))
                  + " in escrow < "
                  + Format.credits(n.number("needMicros", 0))
                  + " credits your next round of orders needs; deposit at least "
                  + Format.credits(n.number("shortfallMicros", 0))
                  + " credits";
          default -> n.type() + " " + n.data();
        };
    progress(line);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", n.id());
    m.put("type", n.type());
    m.put("data", n.data());
    return m;
  }

  private Map<String, Object> report(WalletApi api, String a, RoundView r) throws Exception {
    List<Trade> mine = new ArrayList<>();
    for (Trade t : api.trades(a, r.slot(), r.slot(), 0, 500)) {
      if (t.round() == r.round()) {
        mine.add(t);
      }
    }
    long open = 0;
    for (OrderView o : api.orders(a, 0, 500)) {
      if ("OPEN".equals(o.status())) {
        open++;
      }
    }
    long paid = 0;
    long received = 0;
    for (Trade t : mine) {
      if (t.buyer().equals(a)) {
        paid += t.amountMicros();
      } else {
        received += t.amountMicros();
      }
    }
    progress(
        "round "
            + r.round()
            + " "
            + Format.slot(r.slot())
            + ": "
            + r.trades()
            + " trade(s)"
            + (r.energyWh() > 0
                ? ", energy "
                    + Format.quantity(OrderKind.Market.ENERGY, r.energyWh())
                    + " at "
                    + Format.price(OrderKind.Market.ENERGY, r.energyPriceMicros())
                : "")
            + (r.computeMilliUnits() > 0
                ? ", compute "
                    + Format.quantity(OrderKind.Market.COMPUTE, r.computeMilliUnits())
                    + " at "
                    + Format.price(OrderKind.Market.COMPUTE, r.computePriceMicros())
                : "")
            + "; yours: "
            + mine.size()
            + " trade(s), paid "
            + Format.credits(paid)
            + ", received "
            + Format.credits(received)
            + " credits; "
            + open
            + " open order(s); settlement "
            + (r.settlement().isEmpty() ? "unknown" : r.settlement()));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("round", r.round());
    m.put("slot", r.slot());
    m.put("trades", r.trades());
    m.put("energyWh", r.energyWh());
    m.put("computeMilliUnits", r.computeMilliUnits());
    m.put("energyPriceMicros", r.energyPriceMicros());
    m.put("computePriceMicros", r.computePriceMicros());
    m.put("yourTrades", mine.stream().map(Trade::tradeId).toList());
    m.put("paidMicros", paid);
    m.put("receivedMicros", received);
    m.put("openOrders", open);
    m.put("settlement", r.settlement());
    m.put("batchId", r.batchId());
    return m;
  }

  private int finish(
      String a, List<Object> seen, List<Object> notices, boolean complete, int code, String message)
      throws CliException {
    if (message != null && !common.json) {
      throw new CliException(code, "timeout", message);
    }
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("address", a);
    j.put("rounds", seen);
    j.put("notifications", notices);
    j.put("complete", complete);
    if (message != null) {
      j.put("detail", message);
    }
    emit(j, "watched " + seen.size() + " round(s)");
    if (message != null) {
      ctx.err().println("error: " + message);
      ctx.err().flush();
    }
    return code;
  }
}
