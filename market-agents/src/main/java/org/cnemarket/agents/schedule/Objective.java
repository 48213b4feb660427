package org.cnemarket.agents.schedule;

/**
 * What a schedule minimises: cost plus {@code carbonPriceMicrosPerKg} per kg CO2, plus {@code
 * missPenaltyMicrosPerUnit} for every unit left unserved by its deadline (large, so the optimum
 * misses a deadline only when capacity makes it unavoidable).
 */
public record Objective(long carbonPriceMicrosPerKg, long missPenaltyMicrosPerUnit) {
  public static final long DEFAULT_MISS_PENALTY_MICROS = 1_000_000_000L;

  public Objective {
    if (carbonPriceMicrosPerKg < 0 || missPenaltyMicrosPerUnit <= 0) {
      throw new IllegalArgumentException("carbon price must be >= 0 and the miss penalty positive");
    }
  }

  public static Objective carbonPrice(long microsPerKg) {
    return new Objective(microsPerKg, DEFAULT_MISS_PENALTY_MICROS);
  }
}
