package org.cnemarket.core.model;

/**
 * The four kinds of order. Each has one market, one side and the one role allowed to place it. The
 * code is the value signed in the EIP-712 {@code Order.kind} field.
 */
public enum OrderKind {
  /** A microgrid sells energy (Wh) in a slot. */
  ENERGY_OFFER(0, Market.ENERGY, Side.SELL, Role.MICROGRID),
  /** A provider buys energy (Wh) in a slot. */
  ENERGY_BID(1, Market.ENERGY, Side.BUY, Role.PROVIDER),
  /** A provider sells compute (milli compute units) in a slot. */
  COMPUTE_OFFER(2, Market.COMPUTE, Side.SELL, Role.PROVIDER),
  /** A user buys compute (milli compute units) in a slot. */
  COMPUTE_DEMAND(3, Market.COMPUTE, Side.BUY, Role.USER);

  /** Which commodity an order trades. */
  public enum Market {
    ENERGY(0),
    COMPUTE(1);

    private final int code;

    Market(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    public static Market ofCode(int code) {
      for (Market m : values()) {
        if (m.code == code) {
          return m;
        }
      }
      throw new IllegalArgumentException("unknown market code " + code);
    }
  }

  /** Buyers lock escrow; sellers are paid. */
  public enum Side {
    BUY,
    SELL
  }

  private final int code;
  private final Market market;
  private final Side side;
  private final Role role;

  OrderKind(int code, Market market, Side side, Role role) {
    this.code = code;
    this.market = market;
    this.side = side;
    this.role = role;
  }

  public int code() {
    return code;
  }

  public Market market() {
    return market;
  }

  public Side side() {
    return side;
  }

  public Role requiredRole() {
    return role;
  }

  public static OrderKind ofCode(int code) {
    for (OrderKind k : values()) {
      if (k.code == code) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown order kind code " + code);
  }

  public static OrderKind parse(String name) {
    for (OrderKind k : values()) {
      if (k.name().equalsIgnoreCase(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown order kind '"
            + name
            + "' (expected ENERGY_OFFER, ENERGY_BID, COMPUTE_OFFER or COMPUTE_DEMAND)");
  }
}
