package org.cnemarket.wallet.cli;

import org.cnemarket.core.model.OrderKind;
import org.cnemarket.wallet.order.Amounts;
import org.cnemarket.wallet.order.Slots;

/** Human renderings of fixed-point values. */
final class Format {
  private Format() {}

  static String credits(long micros) {
    return Amounts.format(micros, Amounts.CREDIT_DECIMALS);
  }

  /** Milli-units as units: "2.5". */
  static String milli(long milli) {
    return Amounts.format(milli, Amounts.MILLI_DECIMALS);
  }

  /** A quantity in its market's human unit: "1.5 kWh" or "2.5 units". */
  static String quantity(OrderKind.Market market, long q) {
    return Amounts.format(q, Amounts.MILLI_DECIMALS)
        + (market == OrderKind.Market.ENERGY ? " kWh" : " units");
  }

  /** A price with its unit: "0.12 credits/kWh" or "0.5 credits/unit". */
  static String price(OrderKind.Market market, long micros) {
    return credits(micros) + (market == OrderKind.Market.ENERGY ? " credits/kWh" : " credits/unit");
  }

  static String slot(long slot) {
    return Slots.format(slot) + " (slot " + slot + ")";
  }

  static String shortId(String id) {
    return id.length() > 14 ? id.substring(0, 10) + "…" + id.substring(id.length() - 4) : id;
  }
}
