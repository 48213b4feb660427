package org.cnemarket.engine.pricing.contract;

import java.util.ArrayList;
import java.util.List;
import org.cnemarket.engine.pricing.Result;
import org.cnemarket.engine.pricing.Validation;

/**
 * The platform's value V(q) of a committed quantity q &ge; 0: concave and non-decreasing, so that
 * max V(q) − φ q has a closed-form maximiser for every unit cost φ &gt; 0. Build with {@link #log},
 * {@link #power} or {@link #piecewiseLinear}, which reject invalid parameters.
 */
public sealed interface Valuation
    permits Valuation.Log, Valuation.Power, Valuation.PiecewiseLinear {

  /** V(q) for q &ge; 0. */
  double value(double q);

  /** The right derivative V'(q⁺), a supergradient at q (+∞ where V is vertical). */
  double slope(double q);

  /** The smallest maximiser of V(q) − φ q over q &ge; 0, for a unit cost φ &gt; 0. */
  double quantityAt(double unitCost);

  /** A short formula for reports, e.g. {@code 10·ln(1+q)}. */
  String describe();

  /** Exact piecewise-linear representation, or empty for a smooth valuation. */
  default List<Point> breakpoints() {
    return List.of();
  }

  /**
   * α · ln(1 + q): today's valuation.
   *
   * @param alpha α &gt; 0
   */
  record Log(double alpha) implements Valuation {
    @Override
    public double value(double q) {
      return alpha * Math.log1p(q);
    }

    @Override
    public double slope(double q) {
      return alpha / (1 + q);
    }

    @Override
    public double quantityAt(double unitCost) {
      return Math.max(0.0, alpha / unitCost - 1.0);
    }

    @Override
    public String describe() {
      return alpha + "·ln(1+q)";
    }
  }

  /**
   * α · q^β with 0 &lt; β &lt; 1 (β = 1/2 is the √q of the parts-supply models).
   *
   * @param alpha α &gt; 0
   * @param beta β in (0, 1)
   */
  record Power(double alpha, double beta) implements Valuation {
    @Override
    public double value(double q) {
      return alpha * Math.pow(q, beta);
    }

    @Override
    public double slope(double q) {
      return q <= 0 ? Double.POSITIVE_INFINITY : alpha * beta * Math.pow(q, beta - 1);
    }

    @Override
    public double quantityAt(double unitCost) {
      // α β q^(β−1) = φ; V'(0⁺) = ∞, so the maximiser is always interior.
      return Math.pow(alpha * beta / unitCost, 1.0 / (1.0 - beta));
    }

    @Override
    public String describe() {
      return alpha + "·q^" + beta;
    }
  }

  /**
   * Linear interpolation between points (q_0 = 0, v_0), (q_1, v_1), …, flat after the last point.
   *
   * @param points breakpoints with q strictly increasing from 0 and slopes non-increasing and &ge;
   *     0
   */
  record PiecewiseLinear(List<Point> points) implements Valuation {
    public PiecewiseLinear {
      points = List.copyOf(points);
    }

    @Override
    public double value(double q) {
      Point last = points.get(points.size() - 1);
      if (q >= last.quantity()) {
        return last.value();
      }
      for (int m = 1; m < points.size(); m++) {
        Point b = points.get(m);
        if (q <= b.quantity()) {
          Point a = points.get(m - 1);
          return a.value() + segmentSlope(m) * (q - a.quantity());
        }
      }
      return last.value();
    }

    @Override
    public double slope(double q) {
      for (int m = 1; m < points.size(); m++) {
        if (q < points.get(m).quantity()) {
          return segmentSlope(m);
        }
      }
      return 0.0;
    }

    @Override
    public double quantityAt(double unitCost) {
      // The first breakpoint after which the value rises by no more than the cost.
      for (int m = 0; m < points.size() - 1; m++) {
        if (segmentSlope(m + 1) <= unitCost) {
          return points.get(m).quantity();
        }
      }
      return points.get(points.size() - 1).quantity();
    }

    /** Slope of the segment ending at point m (m &ge; 1). */
    double segmentSlope(int m) {
      Point a = points.get(m - 1);
      Point b = points.get(m);
      return (b.value() - a.value()) / (b.quantity() - a.quantity());
    }

    @Override
    public List<Point> breakpoints() {
      return points;
    }

    @Override
    public String describe() {
      StringBuilder s = new StringBuilder("piecewise-linear");
      for (Point p : points) {
        s.append(" (").append(p.quantity()).append(',').append(p.value()).append(')');
      }
      return s.toString();
    }
  }

  /**
   * One breakpoint of a piecewise-linear valuation.
   *
   * @param quantity q &ge; 0
   * @param value V(q)
   */
  record Point(double quantity, double value) {}

  static Result<Valuation> log(double alpha) {
    Validation v = Validation.start().positive("alpha", alpha);
    return v.failed() ? v.toInvalid() : Result.ok(new Log(alpha));
  }

  static Result<Valuation> power(double alpha, double beta) {
    Validation v =
        Validation.start()
            .positive("alpha", alpha)
            .finite("beta", beta)
            .check(beta > 0 && beta < 1, "beta must be in (0,1), got " + beta);
    return v.failed() ? v.toInvalid() : Result.ok(new Power(alpha, beta));
  }

  /**
   * Breakpoints (q_m, v_m): at least two, q_0 = 0, q strictly increasing, every segment's slope
   * &ge; 0 and no steeper than the one before (concave).
   */
  static Result<Valuation> piecewiseLinear(double[] quantities, double[] values) {
    Validation v =
        Validation.start().check(quantities != null && values != null, "points are required");
    if (v.failed()) {
      return v.toInvalid();
    }
    v.check(
            quantities.length == values.length,
            "point quantities and values must have the same length ("
                + quantities.length
                + " vs "
                + values.length
                + ")")
        .check(quantities.length >= 2, "a piecewise-linear valuation needs at least two points");
    for (int m = 0; m < quantities.length && !v.failed(); m++) {
      v.finite("points[" + m + "].q", quantities[m]).finite("points[" + m + "].v", values[m]);
    }
    if (v.failed()) {
      return v.toInvalid();
    }
    v.check(quantities[0] == 0, "the first point must be at q = 0, got " + quantities[0]);
    double previousSlope = Double.POSITIVE_INFINITY;
    for (int m = 1; m < quantities.length && !v.failed(); m++) {
      v.check(
          quantities[m] > quantities[m - 1],
          "point quantities must be strictly increasing: points["
              + m
              + "].q="
              + quantities[m]
              + " <= points["
              + (m - 1)
              + "].q="
              + quantities[m - 1]);
      if (v.failed()) {
        break;
      }
      double slope = (values[m] - values[m - 1]) / (quantities[m] - quantities[m - 1]);
      v.check(slope >= 0, "the valuation must not decrease: segment " + m + " has slope " + slope)
          // Rounding may tilt collinear points by an ulp; that is not a convexity.
          .check(
              slope <= previousSlope + 1e-12 * Math.abs(previousSlope),
              "the valuation must be concave: "
                  + "segment "
                  + m
                  + " has slope "
                  + slope
                  + " > "
                  + previousSlope
                  + " before it");
      previousSlope = slope;
    }
    if (v.failed()) {
      return v.toInvalid();
    }
    List<Point> points = new ArrayList<>(quantities.length);
    for (int m = 0; m < quantities.length; m++) {
      points.add(new Point(quantities[m], values[m]));
    }
    return Result.ok(new PiecewiseLinear(points));
  }
}
