package org.cnemarket.engine.round;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cnemarket.core.codec.Fields;

/**
 * The market's mechanism settings, recorded with every round so anyone can recompute it.
 *
 * @param energyMechanism "uniform" (k-double auction) or "lp" (welfare LP honouring minimum green shares)
 * @param kPermille the k of the k-double auction, in thousandths
 * @param computeMechanism "stackelberg" (providers lead, users follow) or "uniform"
 */
public record RoundParameters(String energyMechanism, long kPermille, String computeMechanism) {
  public static final String VERSION = "cne-round/1";
  public static final RoundParameters DEFAULT = new RoundParameters("uniform", 500, "stackelberg");

  public RoundParameters {
    if (!energyMechanism.equals("uniform") && !energyMechanism.equals("lp")) {
      throw new IllegalArgumentException("energy mechanism must be uniform or lp, not " + energyMechanism);
    }
    if (!computeMechanism.equals("stackelberg") && !computeMechanism.equals("uniform")) {
      throw new IllegalArgumentException("compute mechanism must be stackelberg or uniform, not " + computeMechanism);
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
    return m;
  }

  public static RoundParameters fromJson(Fields f) {
    if (!VERSION.equals(f.string("version"))) {
      throw new IllegalArgumentException("unknown round mechanism version " + f.string("version"));
    }
    return new RoundParameters(f.string("energy"), f.longValue("kPermille"), f.string("compute"));
  }
}
