package org.cnemarket.engine.pricing;

import java.util.Optional;

/**
 * Collects the first parameter violation. Solvers chain checks and turn a failure into {@link
 * Result#invalid(String)} before any arithmetic runs.
 */
public final class Validation {

  private String firstFailure;

  public static Validation start() {
    return new Validation();
  }

  private Validation() {}

  public Validation check(boolean condition, String reasonIfFalse) {
    if (firstFailure == null && !condition) {
      firstFailure = reasonIfFalse;
    }
    return this;
  }

  public Validation finite(String name, double value) {
    return check(Double.isFinite(value), name + " must be a finite number, got " + value);
  }

  public Validation positive(String name, double value) {
    finite(name, value);
    return check(!(value <= 0), name + " must be > 0, got " + value);
  }

  public Validation nonNegative(String name, double value) {
    finite(name, value);
    return check(!(value < 0), name + " must be >= 0, got " + value);
  }

  public Validation nonNegative(String name, long value) {
    return check(value >= 0, name + " must be >= 0, got " + value);
  }

  public Validation inUnitInterval(String name, double value) {
    finite(name, value);
    return check(value >= 0 && value <= 1, name + " must be in [0,1], got " + value);
  }

  public boolean failed() {
    return firstFailure != null;
  }

  public Optional<String> failure() {
    return Optional.ofNullable(firstFailure);
  }

  /** The failure as an {@link Result.Invalid}; only meaningful when {@link #failed()}. */
  public <T> Result<T> toInvalid() {
    return Result.invalid(firstFailure == null ? "valid" : firstFailure);
  }
}
