package org.cnemarket.engine.round;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.engine.measurement.ProviderEnergyModel;

/**
 * A provider's declared power model, the input of its kWh per compute unit: a server draws
 * idleW..peakW linearly in utilisation; one compute unit is one server-hour at {@code
 * utilisationBps}; facility power is IT power times PUE; plus the network energy of the unit's
 * transfer (bits × J/bit, survey §4.1).
 */
public record PowerProfile(
    long idleW,
    long peakW,
    long pueBps,
    long utilisationBps,
    long networkBitsPerUnit,
    long networkPicojoulesPerBit) {
  /** Used for providers that declared nothing: a typical 2U server in an average facility. */
  public static final PowerProfile DEFAULT = new PowerProfile(150, 350, 13_000, 5_000);

  /** 1 PB per compute unit. */
  public static final long MAX_NETWORK_BITS_PER_UNIT = 1_000_000_000_000_000L;

  /** 1 mJ per bit, far above any real network path. */
  public static final long MAX_NETWORK_PICOJOULES_PER_BIT = 1_000_000_000L;

  /** A power model without network energy. */
  public PowerProfile(long idleW, long peakW, long pueBps, long utilisationBps) {
    this(idleW, peakW, pueBps, utilisationBps, 0, 0);
  }

  public PowerProfile {
    // Each bound checked on its own, no arithmetic: 2^63 - 1 is out of range, not "negative".
    if (networkBitsPerUnit < 0 || networkBitsPerUnit > MAX_NETWORK_BITS_PER_UNIT) {
      throw new IllegalArgumentException(
          "networkBitsPerUnit must be between 0 and " + MAX_NETWORK_BITS_PER_UNIT);
    }
    if (networkPicojoulesPerBit < 0 || networkPicojoulesPerBit > MAX_NETWORK_PICOJOULES_PER_BIT) {
      throw new IllegalArgumentException(
          "networkPicojoulesPerBit must be between 0 and " + MAX_NETWORK_PICOJOULES_PER_BIT);
    }
    if (idleW < 0 || peakW < idleW || peakW > 100_000) {
      throw new IllegalArgumentException("power model needs 0 <= idleW <= peakW <= 100000");
    }
    if (pueBps < 10_000 || pueBps > 40_000) {
      throw new IllegalArgumentException("pueBps must be between 10000 (PUE 1.0) and 40000");
    }
    if (utilisationBps < 0 || utilisationBps > 10_000) {
      throw new IllegalArgumentException("utilisationBps must be between 0 and 10000");
    }
  }

  /** Facility kWh per compute unit, with the unit's network transfer energy. */
  public double kwhPerUnit() {
    double itW = idleW + (peakW - idleW) * (utilisationBps / 10_000.0);
    double facilityKwh = itW * pueBps / 10_000.0 / 1000.0;
    double networkWh =
        ProviderEnergyModel.networkEnergyWh(networkBitsPerUnit, networkPicojoulesPerBit * 1e-12)
            .orElseThrow();
    return facilityKwh + networkWh / 1000.0;
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("idleW", idleW);
    m.put("peakW", peakW);
    m.put("pueBps", pueBps);
    m.put("utilisationBps", utilisationBps);
    if (networkBitsPerUnit != 0 || networkPicojoulesPerBit != 0) {
      m.put("networkBitsPerUnit", networkBitsPerUnit);
      m.put("networkPicojoulesPerBit", networkPicojoulesPerBit);
    }
    return m;
  }

  public static PowerProfile fromJson(Fields f) {
    return new PowerProfile(
        f.longValue("idleW"),
        f.longValue("peakW"),
        f.longValue("pueBps"),
        f.longValue("utilisationBps"),
        f.longValue("networkBitsPerUnit", 0),
        f.longValue("networkPicojoulesPerBit", 0));
  }
}
