package org.cnemarket.engine.auction;

import java.util.Map;

/**
 * Transfer fees between grid zones, micro-credits per kWh, added to an ask's price for a bid in
 * another zone. Same-zone transfers are free.
 *
 * @param defaultFeeMicrosPerKwh fee for any cross-zone pair not listed
 * @param pairFees overrides keyed by {@link #key(int, int)} (ask zone → bid zone)
 */
public record ZoneFees(long defaultFeeMicrosPerKwh, Map<String, Long> pairFees) {

  public ZoneFees {
    pairFees = Map.copyOf(pairFees);
  }

  public static ZoneFees none() {
    return new ZoneFees(0, Map.of());
  }

  public static ZoneFees flat(long feeMicrosPerKwh) {
    return new ZoneFees(feeMicrosPerKwh, Map.of());
  }

  public static String key(int askZone, int bidZone) {
    return askZone + "->" + bidZone;
  }

  public long fee(int askZone, int bidZone) {
    if (askZone == bidZone) {
      return 0;
    }
    return pairFees.getOrDefault(key(askZone, bidZone), defaultFeeMicrosPerKwh);
  }
}
