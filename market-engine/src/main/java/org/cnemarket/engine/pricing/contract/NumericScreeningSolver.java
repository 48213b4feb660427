package org.cnemarket.engine.pricing.contract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cnemarket.engine.pricing.Result;
import org.ojalgo.optimisation.Expression;
import org.ojalgo.optimisation.ExpressionsBasedModel;
import org.ojalgo.optimisation.Optimisation;
import org.ojalgo.optimisation.Variable;

/**
 * The second best of a {@link ScreeningProblem} solved numerically with ojAlgo, assuming nothing
 * about which constraints bind: maximise Σ π_i (V(q_i) − R_i) over (q_i, R_i) subject to IR for
 * every type and IC for every ordered pair (all linear), 0 &le; q_i &le; q̄.
 *
 * <p>A piecewise-linear V is exact as a linear program (a hypograph variable per type under every
 * segment's line). A smooth V is solved by sequential quadratic programming: each step maximises
 * V's second-order model around the current point over the same linear constraints (a concave QP)
 * and moves towards its solution with a backtracking line search on the true objective; every
 * iterate stays feasible because the constraints are exact. Finally the rewards are recomputed as
 * the cheapest IR/IC rewards of the quantities found ({@link ScreeningChecker#cheapestRewards}).
 */
public final class NumericScreeningSolver {

  /** Stop when a full step improves the objective by less than this, relative to its scale. */
  static final double TOLERANCE = 1e-13;

  static final int MAX_STEPS = 400;

  /** Weight of the proximal term on rewards. */
  static final double PROXIMAL = Double.parseDouble(System.getProperty("cne.prox", "1e-3"));

  /** Each step moves every quantity by at most this factor up or down. */
  static final double TRUST = 4;

  /** A smooth-valuation menu is returned only within this (relative) optimality gap. */
  static final double GAP_TOLERANCE = 1e-5;

  /** Iteration cap of one QP solve. */
  static final int QP_ITERATIONS = 2_000;

  /** Below this trust factor a step that does not improve ends the search. */
  static final double MIN_TRUST = 1.001;

  private NumericScreeningSolver() {}

  public static Result<ScreeningMenu> secondBest(ScreeningProblem p) {
    int n = p.types();
    Valuation v = p.valuation();
    double qFirstBest = 0;
    double qSmallest = Double.POSITIVE_INFINITY;
    double kMax = 0;
    for (int i = 0; i < n; i++) {
      double q = v.quantityAt(p.marginalCost(i));
      qFirstBest = Math.max(qFirstBest, q);
      qSmallest = Math.min(qSmallest, q);
      kMax = Math.max(kMax, p.marginalCost(i));
    }
    if (!Double.isFinite(qFirstBest)) {
      return Result.invalid(
          "the first-best quantity is not a finite number: the valuation grows too fast "
              + "for its cost");
    }
    // No type commits more than its first best; the bound keeps every program bounded.
    double qBound = 2 * qFirstBest + 1;
    double rewardBound = p.reservationUtility() + kMax * qBound;
    Result<double[][]> solved =
        v.breakpoints().isEmpty()
            ? sequentialQp(
                p, qBound, rewardBound, qSmallest > 0 ? qSmallest / 2 : Math.min(1.0, qBound / 4))
            : linearProgram(p, qBound, rewardBound);
    if (!solved.isOk()) {
      return Result.invalid(solved.reason());
    }
    double[] q = solved.orElseThrow()[0];
    double[] r = solved.orElseThrow()[1];
    Result<double[]> cheapest = ScreeningChecker.cheapestRewards(p, q);
    if (cheapest.isOk()) {
      r = cheapest.orElseThrow();
    }
    List<Contract> contracts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      contracts.add(new Contract(q[i], r[i]));
    }
    double utility = ScreeningMenu.platformUtility(p, contracts);
    if (v.breakpoints().isEmpty()) {
      // Certify the smooth case: a menu the QP steps left short of the optimum is an error, not an
      // answer.
      Result<Double> gap = optimalityGap(p, q, r, qBound, rewardBound);
      if (!gap.isOk()) {
        return Result.invalid(gap.reason());
      }
      double scale = Math.max(1.0, Math.abs(utility));
      if (gap.orElseThrow() > GAP_TOLERANCE * scale) {
        return Result.invalid(
            "the numeric solver stopped "
                + gap.orElseThrow()
                + " short of the optimum "
                + "(its QP steps did not converge); use the closed form");
      }
    }
    return Result.ok(
        new ScreeningMenu(p, ScreeningMenu.Method.NUMERIC, contracts, List.of(), utility));
  }

  /**
   * An upper bound on how far (q, R) is below the optimum: V is concave, so for every feasible (q',
   * R') the utility is at most Σ π (V(q) + V'(q)(q' − q) − R'), and the largest such bound over the
   * feasible set is a linear program (the Frank–Wolfe gap).
   */
  static Result<Double> optimalityGap(
      ScreeningProblem p, double[] q, double[] r, double qBound, double rewardBound) {
    int n = p.types();
    Valuation v = p.valuation();
    Model m = new Model(p, qBound, rewardBound);
    double here = 0;
    for (int i = 0; i < n; i++) {
      double g = v.slope(Math.max(q[i], qBound * 1e-12));
      m.q[i].weight(p.prior(i) * g);
      m.r[i].weight(-p.prior(i));
      here += p.prior(i) * (g * q[i] - r[i]);
    }
    Optimisation.Result res = m.model.maximise();
    if (!res.getState().isOptimal()) {
      return Result.invalid("the optimality check did not solve: " + res.getState());
    }
    return Result.ok(Math.max(0, res.getValue() - here));
  }

  private static Result<double[][]> sequentialQp(
      ScreeningProblem p, double qBound, double rewardBound, double qStart) {
    int n = p.types();
    Valuation v = p.valuation();
    // Start from one pooled contract every type accepts: feasible.
    double kMax = 0;
    for (int i = 0; i < n; i++) {
      kMax = Math.max(kMax, p.marginalCost(i));
    }
    double[] q = new double[n];
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      q[i] = qStart;
      r[i] = p.reservationUtility() + kMax * qStart;
    }
    double current = objective(p, q, r);
    double floor = qBound * 1e-9;
    double scale = Math.max(1.0, Math.abs(v.value(qBound)));
    double trust = TRUST;
    for (int step = 0; step < MAX_STEPS; step++) {
      // Variables in units of the current point, so that tiny and large quantities are solved
      // alike.
      double[] qUnit = new double[n];
      double[] rUnit = new double[n];
      for (int i = 0; i < n; i++) {
        qUnit[i] = Math.max(q[i], floor);
        rUnit[i] = Math.max(Math.abs(r[i]), p.marginalCost(i) * qUnit[i]);
      }
      Model m = new Model(p, qBound, rewardBound, qUnit, rUnit);
      Expression obj = m.model.addExpression("objective").weight(1);
      for (int i = 0; i < n; i++) {
        if (v instanceof Valuation.Power) {
          // A multiplicative trust region: the model of q^β is only good within a factor of q.
          m.q[i]
              .lower(q[i] / trust / qUnit[i])
              .upper(Math.min(qBound, Math.max(q[i] * trust, floor)) / qUnit[i]);
        } else {
          // ln(1 + q) is smooth at 0, where an excluded type must be able to arrive.
          double reach = (trust - 1) * Math.max(q[i], 1.0);
          m.q[i]
              .lower(Math.max(0, q[i] - reach) / qUnit[i])
              .upper(Math.min(qBound, q[i] + reach) / qUnit[i]);
        }
        // Expand no closer to 0 than the floor: √q-like valuations are vertical there.
        double a = qUnit[i];
        double g = v.slope(a);
        double h = curvature(v, a);
        // π (½ h (q − a)² + g q − R) up to a constant, with q = qUnit z and R = rUnit y
        obj.set(m.q[i], m.q[i], p.prior(i) * h / 2 * qUnit[i] * qUnit[i]);
        obj.set(m.q[i], p.prior(i) * (g - h * a) * qUnit[i]);
        // A small proximal term on R (in its unit, around the current y = r/rUnit) makes the QP
        // strictly concave, which the active-set solver needs to be quick; it vanishes at the
        // optimum.
        double y = r[i] / rUnit[i];
        obj.set(m.r[i], m.r[i], -PROXIMAL * p.prior(i) / 2);
        obj.set(m.r[i], -p.prior(i) * rUnit[i] + PROXIMAL * p.prior(i) * y);
      }
      // The active-set solver can cycle on degenerate steps: cap it and treat a capped step as
      // failed.
      m.model.options.iterations_abort = QP_ITERATIONS;
      Optimisation.Result res = m.model.maximise();
      if (!res.getState().isOptimal()) {
        if (trust < MIN_TRUST) {
          return Result.ok(new double[][] {q, r});
        }
        trust = Math.sqrt(trust);
        continue;
      }
      double[][] target = m.values(res);
      double slopeAlong = 0; // directional derivative of the objective towards the QP solution
      for (int i = 0; i < n; i++) {
        slopeAlong += p.prior(i) * (v.slope(q[i]) * (target[0][i] - q[i]) - (target[1][i] - r[i]));
      }
      if (Math.abs(slopeAlong) <= TOLERANCE * scale) {
        return Result.ok(new double[][] {q, r});
      }
      if (slopeAlong < 0) {
        // The QP answer is not an ascent direction (an inaccurate solve): retry in a smaller
        // region.
        if (trust < MIN_TRUST) {
          return Result.ok(new double[][] {q, r});
        }
        trust = Math.sqrt(trust);
        continue;
      }
      double s = 1;
      double[] nq = new double[n];
      double[] nr = new double[n];
      double next;
      while (true) {
        for (int i = 0; i < n; i++) {
          nq[i] = Math.max(0, q[i] + s * (target[0][i] - q[i]));
          nr[i] = r[i] + s * (target[1][i] - r[i]);
        }
        next = objective(p, nq, nr);
        if (next >= current + 1e-4 * s * slopeAlong || s < 1e-12) {
          break;
        }
        s /= 2;
      }
      if (!(next > current)) {
        if (trust < MIN_TRUST) {
          return Result.ok(new double[][] {q, r});
        }
        trust = Math.sqrt(trust);
        continue;
      }
      trust = Math.min(TRUST, trust * trust);
      boolean small = next - current <= TOLERANCE * scale && s == 1;
      q = nq.clone();
      r = nr.clone();
      current = next;
      if (small) {
        return Result.ok(new double[][] {q, r});
      }
    }
    return Result.invalid("the numeric solver did not converge in " + MAX_STEPS + " steps");
  }

  /** V''(q), from the closed forms of the smooth valuations. */
  private static double curvature(Valuation v, double q) {
    if (v instanceof Valuation.Log l) {
      return -l.alpha() / ((1 + q) * (1 + q));
    }
    if (v instanceof Valuation.Power w) {
      // V'' → −∞ at 0: a very steep model there just shortens the step.
      return q <= 0 ? -1e12 : w.alpha() * w.beta() * (w.beta() - 1) * Math.pow(q, w.beta() - 2);
    }
    return 0.0;
  }

  private static Result<double[][]> linearProgram(
      ScreeningProblem p, double qBound, double rewardBound) {
    int n = p.types();
    List<Valuation.Point> points = p.valuation().breakpoints();
    Model m = new Model(p, qBound, rewardBound);
    Valuation.Point last = points.get(points.size() - 1);
    for (int i = 0; i < n; i++) {
      // t ≤ v_{m−1} + s_m (q − q_{m−1}) for every segment; t ≤ v_last beyond the last point.
      Variable t =
          m.model
              .addVariable("t" + i)
              .lower(points.get(0).value())
              .upper(last.value())
              .weight(p.prior(i));
      for (int k = 1; k < points.size(); k++) {
        Valuation.Point a = points.get(k - 1);
        Valuation.Point b = points.get(k);
        double s = (b.value() - a.value()) / (b.quantity() - a.quantity());
        Expression e =
            m.model.addExpression("seg" + i + "_" + k).upper(a.value() - s * a.quantity());
        e.set(t, 1);
        e.set(m.q[i], -s);
      }
      m.r[i].weight(-p.prior(i));
    }
    Optimisation.Result res = m.model.maximise();
    if (!res.getState().isOptimal()) {
      return Result.invalid("the LP solver did not reach an optimum: " + res.getState());
    }
    return Result.ok(m.values(res));
  }

  private static double objective(ScreeningProblem p, double[] q, double[] r) {
    double u = 0;
    for (int i = 0; i < q.length; i++) {
      u += p.prior(i) * (p.valuation().value(q[i]) - r[i]);
    }
    return u;
  }

  /** Variables q_i, R_i with IR and every IC as linear constraints. */
  private static final class Model {
    final ExpressionsBasedModel model = new ExpressionsBasedModel();
    final Variable[] q;
    final Variable[] r;

    final double[] qUnit;
    final double[] rUnit;

    Model(ScreeningProblem p, double qBound, double rewardBound) {
      this(p, qBound, rewardBound, ones(p.types()), ones(p.types()));
    }

    /** With q_i = qUnit_i · z_i and R_i = rUnit_i · y_i: z and y are the model's variables. */
    Model(ScreeningProblem p, double qBound, double rewardBound, double[] qUnit, double[] rUnit) {
      this.qUnit = qUnit;
      this.rUnit = rUnit;
      int n = p.types();
      q = new Variable[n];
      r = new Variable[n];
      for (int i = 0; i < n; i++) {
        q[i] = model.addVariable("q" + i).lower(0).upper(qBound / qUnit[i]);
        r[i] =
            model
                .addVariable("r" + i)
                .lower(p.reservationUtility() / rUnit[i])
                .upper(rewardBound / rUnit[i]);
      }
      for (int i = 0; i < n; i++) {
        double k = p.marginalCost(i);
        Expression ir = model.addExpression("ir" + i).lower(p.reservationUtility());
        ir.set(r[i], rUnit[i]);
        ir.set(q[i], -k * qUnit[i]);
        for (int j = 0; j < n; j++) {
          if (j != i) {
            // R_i − k_i q_i ≥ R_j − k_i q_j
            Expression ic = model.addExpression("ic" + i + "_" + j).lower(0);
            ic.set(r[i], rUnit[i]);
            ic.set(q[i], -k * qUnit[i]);
            ic.set(r[j], -rUnit[j]);
            ic.set(q[j], k * qUnit[j]);
          }
        }
      }
    }

    private static double[] ones(int n) {
      double[] out = new double[n];
      Arrays.fill(out, 1.0);
      return out;
    }

    double[][] values(Optimisation.Result res) {
      int n = q.length;
      double[][] out = new double[2][n];
      for (int i = 0; i < n; i++) {
        out[0][i] = Math.max(0, res.doubleValue(model.indexOf(q[i])) * qUnit[i]);
        out[1][i] = res.doubleValue(model.indexOf(r[i])) * rUnit[i];
      }
      return out;
    }
  }
}
