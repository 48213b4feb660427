package org.cnemarket.agents.agent;

import java.util.ArrayList;
import java.util.List;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;

/**
 * A microgrid: offers its output of the slot at marginal cost (renewables) or at its tariff (grid
 * mix), and, with a battery, stores what it could not sell and offers the stored energy later at
 * {@code storagePriceBps} of the forecast grid price (so it sells into the expensive hours).
 */
public final class MicrogridAgent {
  private final String address;
  private final long zone;
  private final EnergySource source;
  private final Battery battery;
  private final long storagePriceBps;
  private long storedCarbonMgPerKwh;

  public MicrogridAgent(
      String address, long zone, EnergySource source, Battery battery, long storagePriceBps) {
    this.address = address;
    this.zone = zone;
    this.source = source;
    this.battery = battery;
    this.storagePriceBps = storagePriceBps;
  }

  public String address() {
    return address;
  }

  public EnergySource source() {
    return source;
  }

  public Battery battery() {
    return battery;
  }

  /**
   * The offers of a slot: the output at {@code priceMicros} and carbon intensity, and the battery's
   * dischargeable energy (source STORAGE, carrying the carbon of what charged it).
   */
  public List<Order> offers(
      long slot,
      long outputWh,
      long priceMicros,
      long carbonMgPerKwh,
      long forecastGridPriceMicros,
      Nonces nonces) {
    List<Order> out = new ArrayList<>();
    if (outputWh > 0) {
      out.add(
          new Order(
                  OrderKind.ENERGY_OFFER,
                  address,
                  slot,
                  zone,
                  outputWh,
                  Math.max(1, priceMicros),
                  source,
                  source.green() ? 10_000 : 0,
                  carbonMgPerKwh,
                  0,
                  nonces.next(),
                  0)
              .validate());
    }
    if (battery != null && battery.dischargeableWh() > 0) {
      out.add(
          new Order(
                  OrderKind.ENERGY_OFFER,
                  address,
                  slot,
                  zone,
                  battery.dischargeableWh(),
                  Math.max(1, forecastGridPriceMicros * storagePriceBps / 10_000),
                  EnergySource.STORAGE,
                  0,
                  storedCarbonMgPerKwh,
                  0,
                  nonces.next(),
                  0)
              .validate());
    }
    return out;
  }

  /**
   * After clearing: the battery delivers what its offer sold and stores unsold output. Returns the
   * output Wh left unused (curtailed).
   */
  public long settle(long outputWh, long outputSoldWh, long storageSoldWh, long carbonMgPerKwh) {
    if (battery == null) {
      return outputWh - outputSoldWh;
    }
    battery.discharge(storageSoldWh);
    long before = battery.stateOfChargeWh();
    long stored = battery.charge(outputWh - outputSoldWh);
    long after = battery.stateOfChargeWh();
    if (after > 0) {
      // Stored energy carries the carbon of what charged it, grossed up by the losses.
      long inCarbon = carbonMgPerKwh * 10_000 / battery.efficiencyBps();
      storedCarbonMgPerKwh = (storedCarbonMgPerKwh * before + inCarbon * (after - before)) / after;
    }
    return outputWh - outputSoldWh - stored;
  }
}
