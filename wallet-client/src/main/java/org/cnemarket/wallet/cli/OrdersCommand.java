package org.cnemarket.wallet.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.model.Order;
import org.cnemarket.wallet.OrderView;
import org.cnemarket.wallet.WalletApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code orders}: the participant's orders, newest first. */
@Command(
    name = "orders",
    mixinStandardHelpOptions = true,
    description = "List the participant's orders, newest first.")
final class OrdersCommand extends WalletCommand {
  @Mixin QueryOptions query;

  @Override
  int run() throws Exception {
    query.check();
    String address = address(query.address);
    try (WalletApi api = readOnly()) {
      List<OrderView> orders = api.orders(address, query.offset, query.limit);
      List<Object> items = new ArrayList<>();
      StringBuilder text = new StringBuilder(orders.size() + " order(s) of " + address);
      for (OrderView v : orders) {
        Order o = v.signed().order();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("orderId", v.orderId());
        m.put("status", v.status());
        m.put("filled", v.filled());
        m.put("order", RecordCodec.order(o));
        items.add(m);
        text.append("\n  ")
            .append(v.orderId())
            .append("  ")
            .append(v.status())
            .append("  ")
            .append(o.kind())
            .append(' ')
            .append(Format.quantity(o.kind().market(), o.quantity()))
            .append(" (filled ")
            .append(Format.quantity(o.kind().market(), v.filled()))
            .append(")")
            .append(" at ")
            .append(Format.price(o.kind().market(), o.priceMicros()))
            .append(", ")
            .append(Format.slot(o.slot()));
      }
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("address", address);
      j.put("items", items);
      emit(j, text.toString());
      return ExitCodes.OK;
    }
  }
}
