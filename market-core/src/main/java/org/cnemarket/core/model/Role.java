package org.cnemarket.core.model;

/** What a participant may do; the code is the value signed in EIP-712 registrations. */
public enum Role {
  PROVIDER(1),
  MICROGRID(2),
  USER(3),
  AUDITOR(4),
  OPERATOR(5);

  private final int code;

  Role(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static Role ofCode(int code) {
    for (Role r : values()) {
      if (r.code == code) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown role code " + code);
  }

  /** Parses a role name case-insensitively, with a clear message for anything else. */
  public static Role parse(String name) {
    for (Role r : values()) {
      if (r.name().equalsIgnoreCase(name)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "unknown role '"
            + name
            + "' (expected one of PROVIDER, MICROGRID, USER, AUDITOR, OPERATOR)");
  }
}
