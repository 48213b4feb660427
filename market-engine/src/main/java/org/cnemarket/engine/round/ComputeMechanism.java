package org.cnemarket.engine.round;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cnemarket.engine.pricing.Result;
import org.cnemarket.engine.pricing.stackelberg.ComputeMarket;

/**
 * How the compute market clears once energy has. A new mechanism is one class implementing this and
 * one line in {@link ComputeMechanisms}: the round, {@code serve}'s options and {@code cne-engine
 * price} all find it there.
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

  /**
   * The what-if of {@code cne-engine price NAME}, on a compute market given as its users and
   * providers; empty when the mechanism has none of its own.
   */
  Optional<WhatIf> whatIf();

  /** A compute mechanism's what-if report. */
  @FunctionalInterface
  interface WhatIf {
    /** The outcome on {@code market} in full, with its verdict at tolerance {@code epsilon}. */
    Result<Map<String, Object>> report(ComputeMarket market, double epsilon);
  }
}
