package org.cnemarket.engine.round;

import java.util.List;
import java.util.Map;

/**
 * How the compute market clears once energy has. A new mechanism is one class implementing this and
 * one line in {@link ComputeMechanisms}.
 */
public interface ComputeMechanism {

  /** The name parameters record and the command line takes. */
  String name();

  /** One line for the command line's help. */
  String description();

  /** Whether providers price as leaders (so agents offer at marginal cost) or an auction does. */
  boolean providersSetPrices();

  /** Adds the round's compute fills and returns what the round records of them. */
  Map<String, Object> clear(RoundInput in, EnergyPrices energy, List<Fill> fills);
}
