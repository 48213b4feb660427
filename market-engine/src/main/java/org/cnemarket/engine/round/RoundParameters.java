package org.cnemarket.engine.round;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cnemarket.core.codec.Fields;

/**
 * The market's mechanism settings, recorded with every round so anyone can recompute it.
 *
 * @param energyMechanism "uniform" (k-double auction), "mcafee" (trade reduction, truthful; the
 *     platform keeps the spread as a fee) or "lp" (welfare LP honouring minimum green shares)
 * @param kPermille the k of the k-double auction, in thousandths
 * @param computeMechanism "stackelberg" (providers lead, users follow) or "uniform"
 * @param lotWh the lot McAfee trades in (its unit demand and supply)
 */
public record RoundParameters(
    String energyMechanism, long kPermille, String computeMechanism, long lotWh) {
  public static final String VERSION = "cne-round/1";
  public static final long DEFAULT_LOT_WH = 1000;
  public static final RoundParameters DEFAULT = new RoundParameters("uniform", 500, "stackelberg");

  public RoundParameters(String energyMechanism, long kPermille, String computeMechanism) {
    this(energyMechanism, kPermille, computeMechanism, DEFAULT_LOT_WH);
  }

  public RoundParameters {
    if (!energyMechanism.equals("uniform")
        && !energyMechanism.equals("lp")
        && !energyMechanism.equals("mcafee")) {
      throw new IllegalArgumentException(
          "energy mechanism must be uniform, mcafee or lp, not " + energyMechanism);
    }
    if (lotWh <= 0) {
      throw new IllegalArgumentException("the McAfee lot must be positive");
    }
    if (!computeMechanism.equals("stackelberg") && !computeMechanism.equals("uniform")) {
      throw new IllegalArgumentException(
          "compute mechanism must be stackelberg or uniform, not " + computeMechanism);
    }
    if (kPermille < 0 || kPermille > 1000) {
      throw new IllegalArgumentException("k must be between 0 and 1000 permille");
    }
  }

  public double k() {
    return kPermille / 1000.0;
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", VERSION);
    m.put("energy", energyMechanism);
    m.put("kPermille", kPermille);
    m.put("compute", computeMechanism);
    if (energyMechanism.equals("mcafee")) {
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
