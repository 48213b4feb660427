package org.cnemarket.wallet.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.model.Trade;
import org.cnemarket.wallet.WalletApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code trades}: trades where the participant is buyer or seller. */
@Command(
    name = "trades",
    mixinStandardHelpOptions = true,
    description = "List the participant's trades (as buyer or seller), newest round first.")
final class TradesCommand extends WalletCommand {
  @Mixin QueryOptions query;

  @Option(
      names = "--from-slot",
      paramLabel = "SLOT",
      converter = Converters.SlotConverter.class,
      description = "First slot (hours since the epoch or ISO-8601 hour).")
  Long fromSlot;

  @Option(
      names = "--to-slot",
      paramLabel = "SLOT",
      converter = Converters.SlotConverter.class,
      description = "Last slot.")
  Long toSlot;

  @Override
  int run() throws Exception {
    query.check();
    String address = address(query.address);
    long from = fromSlot == null ? 0 : fromSlot;
    long to = toSlot == null ? Long.MAX_VALUE : toSlot;
    if (from > to) {
      throw new CliException(ExitCodes.USAGE, "invalid-argument", "--from-slot is after --to-slot");
    }
    try (WalletApi api = readOnly()) {
      List<Trade> trades = api.trades(address, from, to, query.offset, query.limit);
      List<Object> items = new ArrayList<>();
      StringBuilder text = new StringBuilder(trades.size() + " trade(s) of " + address);
      for (Trade t : trades) {
        items.add(RecordCodec.trade(t));
        boolean bought = t.buyer().equals(address);
        text.append("\n  ")
            .append(t.tradeId())
            .append("  round ")
            .append(t.round())
            .append(", ")
            .append(Format.slot(t.slot()))
            .append("  ")
            .append(bought ? "bought " : "sold ")
            .append(Format.quantity(t.market(), t.quantity()))
            .append(" at ")
            .append(Format.price(t.market(), t.priceMicros()))
            .append(" = ")
            .append(Format.credits(t.amountMicros()))
            .append(" credits")
            .append(bought ? " from " + t.seller() : " to " + t.buyer());
      }
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("address", address);
      j.put("items", items);
      emit(j, text.toString());
      return ExitCodes.OK;
    }
  }
}
