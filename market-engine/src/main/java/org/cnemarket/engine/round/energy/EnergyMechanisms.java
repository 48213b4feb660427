package org.cnemarket.engine.round.energy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The energy mechanisms the market offers, by name. */
public final class EnergyMechanisms {

  private static final Map<String, EnergyMechanism> BY_NAME = new LinkedHashMap<>();

  static {
    register(new UniformEnergy());
    register(new McAfeeEnergy());
    register(new WelfareLpEnergy());
  }

  private EnergyMechanisms() {}

  private static void register(EnergyMechanism m) {
    BY_NAME.put(m.name(), m);
  }

  public static Optional<EnergyMechanism> find(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** The mechanism of that name; an {@link IllegalArgumentException} naming the choices if none. */
  public static EnergyMechanism named(String name) {
    EnergyMechanism m = BY_NAME.get(name);
    if (m == null) {
      throw new IllegalArgumentException(
          "energy mechanism must be one of " + String.join(", ", names()) + ", not " + name);
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
