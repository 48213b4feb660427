package org.cnemarket.agents.schedule;

/**
 * {@code units} compute units of job {@code jobIndex} (index in the problem) run in {@code slot} on
 * {@code site}.
 */
public record Placement(int jobIndex, int slot, int site, long units) {
  public Placement {
    if (units <= 0) {
      throw new IllegalArgumentException("a placement needs positive units");
    }
  }
}
