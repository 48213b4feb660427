package org.cnemarket.engine.round;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.engine.round.energy.EnergyMechanism;
import org.cnemarket.engine.round.energy.EnergyMechanisms;

/**
 * The market's mechanism settings, recorded with every round so anyone can recompute it.
 *
 * @param energy how energy clears (see {@link EnergyMechanisms})
 * @param kPermille the k of the k-double auction, in thousandths
 * @param compute how compute clears (see {@link ComputeMechanisms})
 * @param lotWh the lot McAfee trades in (its unit demand and supply)
 */
public record RoundParameters(
    EnergyMechanism energy, long kPermille, ComputeMechanism compute, long lotWh) {
  public static final String VERSION = "cne-round/1";
  public static final long DEFAULT_LOT_WH = 1000;
  public static final RoundParameters DEFAULT = new RoundParameters("uniform", 500, "stackelberg");

  /**
   * Mechanisms by name; an {@link IllegalArgumentException} names the choices for an unknown one.
   */
  public RoundParameters(
      String energyMechanism, long kPermille, String computeMechanism, long lotWh) {
    this(
        EnergyMechanisms.named(energyMechanism),
        kPermille,
        ComputeMechanisms.named(computeMechanism),
        lotWh);
  }

  public RoundParameters(String energyMechanism, long kPermille, String computeMechanism) {
    this(energyMechanism, kPermille, computeMechanism, DEFAULT_LOT_WH);
  }

  public RoundParameters {
    if (energy == null || compute == null) {
      throw new IllegalArgumentException("a round needs an energy and a compute mechanism");
    }
    if (lotWh <= 0) {
      throw new IllegalArgumentException("the McAfee lot must be positive");
    }
    if (kPermille < 0 || kPermille > 1000) {
      throw new IllegalArgumentException("k must be between 0 and 1000 permille");
    }
  }

  /** The energy mechanism's name, as recorded. */
  public String energyMechanism() {
    return energy.name();
  }

  /** The compute mechanism's name, as recorded. */
  public String computeMechanism() {
    return compute.name();
  }

  public double k() {
    return kPermille / 1000.0;
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", VERSION);
    m.put("energy", energy.name());
    m.put("kPermille", kPermille);
    m.put("compute", compute.name());
    if (energy.tradesInLots()) {
      m.put("lotWh", lotWh);
    }
    return m;
  }

  public static RoundParameters fromJson(Fields f) {
    if (!VERSION.equals(f.string("version"))) {
      throw new IllegalArgumentException("unknown round mechanism version " + f.string("version"));
    }
    return new RoundParameters(
        f.string("energy"),
        f.longValue("kPermille"),
        f.string("compute"),
        f.longValue("lotWh", DEFAULT_LOT_WH));
  }
}
