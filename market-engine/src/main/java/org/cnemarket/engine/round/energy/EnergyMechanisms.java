package org.cnemarket.engine.round.energy;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.cnemarket.engine.pricing.Named;

/** The energy mechanisms the market offers, by name. A new one is one more line here. */
public final class EnergyMechanisms {

  private static final Named<EnergyMechanism> ALL =
      Named.of(
          "energy mechanism",
          EnergyMechanism::name,
          new UniformEnergy(),
          new McAfeeEnergy(),
          new WelfareLpEnergy());

  private EnergyMechanisms() {}

  public static Optional<EnergyMechanism> find(String name) {
    return ALL.find(name);
  }

  /** The mechanism of that name; an {@link IllegalArgumentException} naming the choices if none. */
  public static EnergyMechanism named(String name) {
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
