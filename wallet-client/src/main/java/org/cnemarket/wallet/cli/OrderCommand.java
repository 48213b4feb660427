package org.cnemarket.wallet.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.wallet.OrderReceipt;
import org.cnemarket.wallet.WalletApi;
import org.cnemarket.wallet.order.OrderTerms;
import picocli.CommandLine.Mixin;

/** Base of the order commands: sign, submit, report. */
abstract class OrderCommand extends WalletCommand {
  @Mixin PasswordOptions password;

  @Mixin OrderOptions order;

  int submit(OrderKind kind, OrderTerms terms) throws Exception {
    // Check the order before unlocking the key: a bad argument should not cost a password prompt.
    terms.toOrder(kind, "0x" + "0".repeat(40));
    try (WalletApi api = signing(password)) {
      OrderReceipt r = api.submitOrder(kind, terms);
      Order o = r.signed().order();
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("orderId", r.orderId());
      j.put("status", r.status());
      j.put("order", RecordCodec.order(o));
      j.put("signature", r.signed().signature().toHex());
      OrderKind.Market m = kind.market();
      emit(
          j,
          "order "
              + r.orderId()
              + " accepted ("
              + r.status()
              + ")\n  "
              + kind
              + " "
              + Format.quantity(m, o.quantity())
              + " at "
              + Format.price(m, o.priceMicros())
              + " for "
              + Format.slot(o.slot())
              + (o.expiry() != 0 ? " until " + Format.slot(o.expiry()) : "")
              + ", nonce "
              + o.nonce());
      return ExitCodes.OK;
    }
  }
}
