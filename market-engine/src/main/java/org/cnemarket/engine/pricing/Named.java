package org.cnemarket.engine.pricing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Mechanisms by name, in registration order: what the command line offers and rounds record.
 *
 * @param <T> the kind of mechanism
 */
public final class Named<T> {
  private final String kind;
  private final Map<String, T> byName = new LinkedHashMap<>();

  /**
   * @param kind what is named, for messages ("energy mechanism")
   */
  @SafeVarargs
  public static <T> Named<T> of(String kind, Function<T, String> name, T... members) {
    Named<T> n = new Named<>(kind);
    for (T m : members) {
      n.byName.put(name.apply(m), m);
    }
    return n;
  }

  private Named(String kind) {
    this.kind = kind;
  }

  public Optional<T> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The member of that name; an {@link IllegalArgumentException} naming the choices if none. */
  public T named(String name) {
    T m = byName.get(name);
    if (m == null) {
      throw new IllegalArgumentException(
          kind + " must be one of " + String.join(", ", names()) + ", not " + name);
    }
    return m;
  }

  public List<String> names() {
    return new ArrayList<>(byName.keySet());
  }
}
