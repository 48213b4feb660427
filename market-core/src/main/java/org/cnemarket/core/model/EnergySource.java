package org.cnemarket.core.model;

/** Where offered energy comes from; renewable sources count as green. */
public enum EnergySource {
  NONE(0, false),
  GRID(1, false),
  SOLAR(2, true),
  WIND(3, true),
  HYDRO(4, true),
  STORAGE(5, false);

  private final int code;
  private final boolean green;

  EnergySource(int code, boolean green) {
    this.code = code;
    this.green = green;
  }

  public int code() {
    return code;
  }

  public boolean green() {
    return green;
  }

  public static EnergySource ofCode(int code) {
    for (EnergySource s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown energy source code " + code);
  }

  public static EnergySource parse(String name) {
    for (EnergySource s : values()) {
      if (s.name().equalsIgnoreCase(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown energy source '" + name + "'");
  }
}
