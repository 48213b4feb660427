package org.cnemarket.engine.round;

import java.util.Iterator;
import java.util.List;
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
