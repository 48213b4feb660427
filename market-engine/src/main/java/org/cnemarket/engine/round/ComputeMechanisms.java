package org.cnemarket.engine.round;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.cnemarket.engine.pricing.Named;

/** The compute mechanisms the market offers, by name. A new one is one more line here. */
public final class ComputeMechanisms {

  private static final Named<ComputeMechanism> ALL =
      Named.of(
          "compute mechanism",
          ComputeMechanism::name,
          new StackelbergCompute(),
          new UniformCompute());

  private ComputeMechanisms() {}

  /** The mechanism of that name; an {@link IllegalArgumentException} naming the choices if none. */
  public static ComputeMechanism named(String name) {
    return ALL.named(name);
  }

  /** The what-if of the mechanism of that name, if there is such a mechanism and it has one. */
  public static Optional<ComputeMechanism.WhatIf> whatIf(String name) {
    return ALL.find(name).flatMap(ComputeMechanism::whatIf);
  }

  /** The names of the mechanisms with a what-if, in registry order. */
  public static List<String> whatIfNames() {
    return ALL.names().stream().filter(n -> whatIf(n).isPresent()).toList();
  }

  public static List<String> names() {
    return ALL.names();
  }

  /** The names as picocli's completion candidates. */
  public static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return names().iterator();
    }
  }
}
