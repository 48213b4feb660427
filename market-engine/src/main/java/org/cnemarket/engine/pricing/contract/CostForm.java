package org.cnemarket.engine.pricing.contract;

/**
 * How a provider's private type θ enters its cost of committing q units. Either way the cost is
 * linear in q with a type-specific marginal cost, which is what makes the screening problem
 * tractable.
 */
public enum CostForm {

  /** Cost c · θ · q: θ is a cost type, a larger θ is less efficient (the parts-supply models). */
  COST_TYPE("cost"),

  /** Cost c · q / θ: θ is an efficiency type, a larger θ is more efficient (today's form). */
  EFFICIENCY_TYPE("efficiency");

  private final String label;

  CostForm(String label) {
    this.label = label;
  }

  /** The name used in what-if inputs: {@code cost} or {@code efficiency}. */
  public String label() {
    return label;
  }

  /** The marginal cost of one unit for type θ with cost scale c. */
  public double marginalCost(double theta, double unitCost) {
    return this == COST_TYPE ? unitCost * theta : unitCost / theta;
  }

  /** The form named {@code label}, or null when there is none. */
  public static CostForm byLabel(String label) {
    for (CostForm f : values()) {
      if (f.label.equals(label)) {
        return f;
      }
    }
    return null;
  }
}
