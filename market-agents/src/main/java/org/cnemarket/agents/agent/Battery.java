package org.cnemarket.agents.agent;

/**
 * A battery: capacity, charge and discharge limits per slot (Wh in one hour) and round-trip
 * efficiency, applied on charging. Mutable state of charge; every step keeps 0 ≤ stateOfCharge ≤
 * capacity.
 */
public final class Battery {
  private final long capacityWh;
  private final long maxChargeWh;
  private final long maxDischargeWh;
  private final int efficiencyBps;
  private long stateOfChargeWh;

  public Battery(long capacityWh, long maxChargeWh, long maxDischargeWh, int efficiencyBps) {
    if (capacityWh <= 0
        || maxChargeWh <= 0
        || maxDischargeWh <= 0
        || efficiencyBps <= 0
        || efficiencyBps > 10_000) {
      throw new IllegalArgumentException(
          "battery needs positive capacity and limits and efficiency in (0, 10000] bps");
    }
    this.capacityWh = capacityWh;
    this.maxChargeWh = maxChargeWh;
    this.maxDischargeWh = maxDischargeWh;
    this.efficiencyBps = efficiencyBps;
  }

  public long stateOfChargeWh() {
    return stateOfChargeWh;
  }

  public int efficiencyBps() {
    return efficiencyBps;
  }

  public long capacityWh() {
    return capacityWh;
  }

  /** What can be discharged this slot. */
  public long dischargeableWh() {
    return Math.min(stateOfChargeWh, maxDischargeWh);
  }

  /** Stores surplus; returns the surplus Wh taken in (before losses). */
  public long charge(long surplusWh) {
    long room = (capacityWh - stateOfChargeWh) * 10_000 / efficiencyBps;
    long in = Math.max(0, Math.min(surplusWh, Math.min(maxChargeWh, room)));
    stateOfChargeWh = Math.min(capacityWh, stateOfChargeWh + in * efficiencyBps / 10_000);
    return in;
  }

  /** Delivers {@code wh} (at most {@link #dischargeableWh()}). */
  public void discharge(long wh) {
    if (wh < 0 || wh > dischargeableWh()) {
      throw new IllegalArgumentException("cannot discharge " + wh + " Wh");
    }
    stateOfChargeWh -= wh;
  }
}
