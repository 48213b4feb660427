package org.cnemarket.wallet.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Trade;
import org.cnemarket.wallet.MarketInfo;
import org.cnemarket.wallet.OrderView;
import org.cnemarket.wallet.RoundView;
import org.cnemarket.wallet.WalletApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code watch}: polls the rounds and the participant's orders and prints one line per newly
 * cleared round, until {@code --rounds} rounds were seen or {@code --timeout} passed.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = {"Follow the market: one progress line per cleared round with your trades and open orders.",
        "Stops after --rounds rounds or at --timeout (without either, runs until interrupted)."})
final class WatchCommand extends WalletCommand {
  @Option(names = "--address", paramLabel = "ADDR",
      description = "Participant address (default: the keystore's address; no password needed).")
  String address;

  @Option(names = "--rounds", paramLabel = "N", description = "Stop after N new rounds.")
  Integer rounds;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
      description = "Stop after this long, e.g. 30s or 5m. With --rounds, not seeing them in time exits 9.")
  Duration timeout;

  @Option(names = "--interval", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
      defaultValue = "2s", description = "Polling interval (default 2s).")
  Duration interval;

  @Override
  int run() throws Exception {
    if (rounds != null && rounds < 1) {
      throw new CliException(ExitCodes.USAGE, "invalid-argument", "--rounds must be at least 1");
    }
    String a = address(address);
    long deadlineNanos = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    List<Object> seen = new ArrayList<>();
    try (WalletApi api = readOnly()) {
      MarketInfo start = api.market();
      long last = start.lastRound();
      progress("watching " + a + " from round " + last
          + (rounds != null ? " for " + rounds + " round(s)" : "")
          + (timeout != null ? " for at most " + timeout.toSeconds() + " s" : ""));
      while (true) {
        long now = api.market().lastRound();
        for (long n = last + 1; n <= now; n++) {
          RoundView r = api.round(n).orElse(null);
          if (r == null) {
            continue;
          }
          seen.add(report(api, a, r));
          if (rounds != null && seen.size() >= rounds) {
            return finish(a, seen, true, ExitCodes.OK, null);
          }
        }
        last = Math.max(last, now);
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          if (rounds != null) {
            String msg = "timed out after " + seen.size() + " of " + rounds + " round(s)";
            return finish(a, seen, false, ExitCodes.TIMEOUT, msg);
          }
          return finish(a, seen, true, ExitCodes.OK, null);
        }
        try {
          Thread.sleep(Math.max(1, Math.min(interval.toMillis(), left / 1_000_000)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return finish(a, seen, false, ExitCodes.TIMEOUT, "interrupted");
        }
      }
    }
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
    progress("round " + r.round() + " " + Format.slot(r.slot()) + ": " + r.trades() + " trade(s)"
        + (r.energyWh() > 0 ? ", energy " + Format.quantity(OrderKind.Market.ENERGY, r.energyWh()) + " at "
            + Format.price(OrderKind.Market.ENERGY, r.energyPriceMicros()) : "")
        + (r.computeMilliUnits() > 0 ? ", compute " + Format.quantity(OrderKind.Market.COMPUTE, r.computeMilliUnits())
            + " at " + Format.price(OrderKind.Market.COMPUTE, r.computePriceMicros()) : "")
        + "; yours: " + mine.size() + " trade(s), paid " + Format.credits(paid) + ", received "
        + Format.credits(received) + " credits; " + open + " open order(s); settlement "
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

  private int finish(String a, List<Object> seen, boolean complete, int code, String message) throws CliException {
    if (message != null && !common.json) {
      throw new CliException(code, "timeout", message);
    }
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("address", a);
    j.put("rounds", seen);
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
