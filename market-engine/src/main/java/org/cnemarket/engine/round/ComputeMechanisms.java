package org.cnemarket.engine.round;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The compute mechanisms the market offers, by name. */
public final class ComputeMechanisms {

  private static final Map<String, ComputeMechanism> BY_NAME = new LinkedHashMap<>();

  static {
    register(new StackelbergCompute());
    register(new UniformCompute());
  }

  private ComputeMechanisms() {}

  private static void register(ComputeMechanism m) {
    BY_NAME.put(m.name(), m);
  }

  /** The mechanism of that name; an {@link IllegalArgumentException} naming the choices if none. */
  public static ComputeMechanism named(String name) {
    ComputeMechanism m = BY_NAME.get(name);
    if (m == null) {
      throw new IllegalArgumentException(
          "compute mechanism must be one of " + String.join(", ", names()) + ", not " + name);
    }
    return m;
  }

  public static List<String> names() {
    return new ArrayList<>(BY_NAME.keySet());
  }

  /** The names as picocli's completion candidates. */
  public static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return names().iterator();
    }
  }
}
