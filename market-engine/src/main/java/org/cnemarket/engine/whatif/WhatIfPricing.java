package org.cnemarket.engine.whatif;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cnemarket.engine.auction.Ask;
import org.cnemarket.engine.auction.Bid;
import org.cnemarket.engine.auction.UniformAuction;
import org.cnemarket.engine.auction.ZoneFees;
import org.cnemarket.engine.pricing.Result;
import org.cnemarket.engine.pricing.contract.Contract;
import org.cnemarket.engine.pricing.contract.CostForm;
import org.cnemarket.engine.pricing.contract.MenuChecker;
import org.cnemarket.engine.pricing.contract.NumericScreeningSolver;
import org.cnemarket.engine.pricing.contract.ScreeningChecker;
import org.cnemarket.engine.pricing.contract.ScreeningMenu;
import org.cnemarket.engine.pricing.contract.ScreeningProblem;
import org.cnemarket.engine.pricing.contract.ScreeningSolver;
import org.cnemarket.engine.pricing.contract.Valuation;
import org.cnemarket.engine.pricing.stackelberg.ComputeMarket;
import org.cnemarket.engine.pricing.stackelberg.EquilibriumVerifier;
import org.cnemarket.engine.pricing.stackelberg.Provider;
import org.cnemarket.engine.pricing.stackelberg.ThreeTierGame;
import org.cnemarket.engine.pricing.stackelberg.ThreeTierSolution;
import org.cnemarket.engine.round.ComputeMechanism;
import org.cnemarket.engine.round.ComputeMechanisms;
import org.cnemarket.engine.round.ComputeWhatIfReports;
import org.cnemarket.engine.round.energy.EnergyMechanism;
import org.cnemarket.engine.round.energy.EnergyMechanisms;
import org.cnemarket.engine.round.energy.EnergySettings;

/**
 * What-if solver behind {@code cne-engine price <mechanism> --input FILE.json}. Mechanisms: every
 * energy mechanism of {@link EnergyMechanisms} and every compute mechanism of {@link
 * ComputeMechanisms} with a what-if (each writes its own report; an energy mechanism's name comes
 * first), then the solvers {@code stackelberg3} and {@code contract}, which are no mechanism. Input
 * and output formats are documented in docs/pricing.md. Deterministic: same input, same output.
 */
public final class WhatIfPricing {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Points per quantity axis of the contract menu's deviation search reported in its verdict. */
  private static final int GRID_POINTS = 200;

  private WhatIfPricing() {}

  /** Every energy mechanism of the market, then its compute ones, then the other solvers. */
  public static List<String> names() {
    List<String> all = new ArrayList<>(EnergyMechanisms.names());
    ComputeMechanisms.whatIfNames().stream().filter(n -> !all.contains(n)).forEach(all::add);
    all.addAll(List.of("stackelberg3", "contract"));
    return List.copyOf(all);
  }

  /** {@link #names()} for a command line's completion candidates. */
  public static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return names().iterator();
    }
  }

  static String choices() {
    return String.join(", ", names());
  }

  public static String solve(String mechanism, String inputJson) throws WhatIfException {
    if (mechanism == null) {
      throw new WhatIfException("mechanism is required: one of " + choices());
    }
    JsonNode in;
    try {
      in = MAPPER.readTree(inputJson == null ? "" : inputJson);
    } catch (JsonProcessingException e) {
      throw new WhatIfException("input is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (in == null || !in.isObject()) {
      throw new WhatIfException("input must be a JSON object");
    }
    ObjectNode out = MAPPER.createObjectNode();
    out.put("mechanism", mechanism);
    switch (mechanism) {
      case "stackelberg3" -> stackelberg3(in, out);
      case "contract" -> contract(in, out);
      default -> {
        Optional<EnergyMechanism> energy = EnergyMechanisms.find(mechanism);
        if (energy.isPresent()) {
          energy(energy.get(), in, out);
        } else {
          ComputeMechanism.WhatIf compute =
              ComputeMechanisms.whatIf(mechanism)
                  .orElseThrow(
                      () ->
                          new WhatIfException(
                              "unknown mechanism '"
                                  + mechanism
                                  + "': expected one of "
                                  + choices()));
          compute(compute, in, out);
        }
      }
    }
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new WhatIfException("could not write the result: " + e.getOriginalMessage(), e);
    }
  }

  // ---------------------------------------------------------------- energy auctions

  private static List<Bid> bids(JsonNode in) throws WhatIfException {
    List<Bid> out = new ArrayList<>();
    JsonNode a = Json.array(in, "bids", "input");
    for (int i = 0; i < a.size(); i++) {
      JsonNode b = a.get(i);
      String w = "bids[" + i + "]";
      long green = Json.integer(b, "minGreenBps", w, 0);
      long zone = Json.integer(b, "zone", w, 0);
      out.add(
          new Bid(
              Json.text(b, "id", w),
              Json.integer(b, "quantityWh", w),
              Json.integer(b, "priceMicros", w),
              toInt(green, "minGreenBps", w),
              toInt(zone, "zone", w)));
    }
    return out;
  }

  private static List<Ask> asks(JsonNode in) throws WhatIfException {
    List<Ask> out = new ArrayList<>();
    JsonNode a = Json.array(in, "asks", "input");
    for (int i = 0; i < a.size(); i++) {
      JsonNode s = a.get(i);
      String w = "asks[" + i + "]";
      out.add(
          new Ask(
              Json.text(s, "id", w),
              Json.integer(s, "quantityWh", w),
              Json.integer(s, "priceMicros", w),
              Json.bool(s, "green", w, false),
              Json.integer(s, "carbonMgPerKwh", w, 0),
              toInt(Json.integer(s, "zone", w, 0), "zone", w)));
    }
    return out;
  }

  private static int toInt(long v, String name, String where) throws WhatIfException {
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new WhatIfException("field '" + name + "' in " + where + " is out of range");
    }
    return (int) v;
  }

  /** An energy mechanism's what-if: the book, then what the mechanism takes from the input. */
  private static void energy(EnergyMechanism m, JsonNode in, ObjectNode out)
      throws WhatIfException {
    List<Bid> bids = bids(in);
    List<Ask> asks = asks(in);
    double k = Json.number(in, "k", "input", UniformAuction.DEFAULT_K);
    long lotWh = Json.integer(in, "lotWh", "input", 0);
    ZoneFees fees = ZoneFees.none();
    if (in.has("zoneFees")) {
      JsonNode z = in.get("zoneFees");
      Map<String, Long> pairs = new HashMap<>();
      if (z.has("pairs")) {
        var it = z.get("pairs").properties().iterator();
        while (it.hasNext()) {
          var e = it.next();
          if (!e.getValue().isIntegralNumber()) {
            throw new WhatIfException("zoneFees.pairs." + e.getKey() + " must be an integer");
          }
          pairs.put(e.getKey(), e.getValue().asLong());
        }
      }
      fees = new ZoneFees(Json.integer(z, "defaultMicrosPerKwh", "zoneFees", 0), pairs);
    }
    Map<String, Object> report = Json.ok(m.whatIf(bids, asks, new EnergySettings(k, lotWh, fees)));
    out.setAll((ObjectNode) MAPPER.valueToTree(report));
  }

  // ---------------------------------------------------------------- compute games

  private static ComputeMarket computeMarket(JsonNode in) throws WhatIfException {
    JsonNode users = Json.array(in, "users", "input");
    double[] w = new double[users.size()];
    int[] seg = new int[users.size()];
    for (int j = 0; j < w.length; j++) {
      String where = "users[" + j + "]";
      w[j] = Json.number(users.get(j), "weight", where);
      seg[j] = toInt(Json.integer(users.get(j), "segment", where, 0), "segment", where);
    }
    JsonNode ps = Json.array(in, "providers", "input");
    List<Provider> providers = new ArrayList<>();
    for (int k = 0; k < ps.size(); k++) {
      JsonNode p = ps.get(k);
      String where = "providers[" + k + "]";
      List<Double> q = new ArrayList<>();
      if (p.has("segmentDiscount")) {
        for (double d : Json.numbers(p, "segmentDiscount", where)) {
          q.add(d);
        }
      } else {
        q.add(1.0);
      }
      providers.add(
          new Provider(
              Json.text(p, "id", where),
              Json.number(p, "kwhPerUnit", where),
              Json.number(p, "energyPricePerKwh", where, 0),
              Json.number(p, "otherCostPerUnit", where, 0),
              Json.number(p, "capacityUnits", where, Double.POSITIVE_INFINITY),
              q));
    }
    return Json.ok(ComputeMarket.of(w, seg, providers));
  }

  /** A compute mechanism's what-if on the users and providers of the input. */
  private static void compute(ComputeMechanism.WhatIf whatIf, JsonNode in, ObjectNode out)
      throws WhatIfException {
    ComputeMarket m = computeMarket(in);
    double eps = Json.number(in, "epsilon", "input", EquilibriumVerifier.DEFAULT_EPSILON);
    Map<String, Object> report = Json.ok(whatIf.report(m, eps));
    out.setAll((ObjectNode) MAPPER.valueToTree(report));
  }

  private static void stackelberg3(JsonNode in, ObjectNode out) throws WhatIfException {
    ComputeMarket m = computeMarket(in);
    double eps = Json.number(in, "epsilon", "input", EquilibriumVerifier.DEFAULT_EPSILON);
    double ce = Json.number(in, "sellerCostPerKwh", "input");
    double supply = Json.number(in, "supplyKwh", "input", Double.POSITIVE_INFINITY);
    ThreeTierSolution s = Json.ok(ThreeTierGame.solve(m, ce, supply));
    ObjectNode seller = out.putObject("energySeller");
    seller.put("energyPricePerKwh", s.energyPrice());
    seller.put("energySoldKwh", s.energySoldKwh());
    seller.put("profit", s.sellerProfit());
    seller.put("supplyBound", s.supplyBound());
    out.set("providers", MAPPER.valueToTree(ComputeWhatIfReports.providers(m, s.providers())));
    out.set(
        "verdict",
        MAPPER.valueToTree(
            ComputeWhatIfReports.verdict(
                EquilibriumVerifier.verifyThreeTier(m, ce, supply, s, eps), eps)));
  }

  // ---------------------------------------------------------------- contracts

  /**
   * Today's input ({@code thetas, priors, unitCost, alpha}) solves today's model; optional {@code
   * valuation}, {@code costForm}, {@code reservationUtility} and {@code method} select the general
   * screening model (docs/pricing.md).
   */
  private static void contract(JsonNode in, ObjectNode out) throws WhatIfException {
    Valuation valuation = valuation(in);
    String formLabel =
        in.has("costForm") ? Json.text(in, "costForm", "input") : CostForm.EFFICIENCY_TYPE.label();
    CostForm form = CostForm.byLabel(formLabel);
    if (form == null) {
      throw new WhatIfException(
          "unknown costForm '" + formLabel + "': expected cost or efficiency");
    }
    String method = in.has("method") ? Json.text(in, "method", "input") : "closed-form";
    if (!method.equals("closed-form") && !method.equals("numeric")) {
      throw new WhatIfException("unknown method '" + method + "': expected closed-form or numeric");
    }
    ScreeningProblem p =
        Json.ok(
            ScreeningProblem.of(
                Json.numbers(in, "thetas", "input"),
                Json.numbers(in, "priors", "input"),
                valuation,
                form,
                Json.number(in, "unitCost", "input", 1.0),
                Json.number(in, "reservationUtility", "input", 0.0)));
    ScreeningMenu menu;
    if (method.equals("numeric")) {
      Result<ScreeningMenu> numeric = NumericScreeningSolver.secondBest(p);
      if (!numeric.isOk()) {
        // The input is fine; the numeric path could not certify an optimum.
        throw new WhatIfException("numeric solver: " + numeric.reason());
      }
      menu = numeric.orElseThrow();
    } else {
      menu = Json.ok(ScreeningSolver.secondBest(p));
    }
    ScreeningMenu firstBest = Json.ok(ScreeningSolver.firstBest(p));
    out.put("valuation", valuation.describe());
    out.put("costForm", form.label());
    out.put("reservationUtility", p.reservationUtility());
    out.put("method", method);
    ArrayNode ca = out.putArray("contracts");
    for (int i = 0; i < p.types(); i++) {
      Contract c = menu.contracts().get(i);
      ObjectNode n = ca.addObject();
      n.put("type", i);
      n.put("theta", p.theta(i));
      n.put("marginalCost", p.marginalCost(i));
      n.put("quantity", c.quantity());
      n.put("reward", c.reward());
      if (!menu.virtualCosts().isEmpty()) {
        n.put("virtualCost", menu.virtualCosts().get(i));
      }
      n.put("providerUtility", menu.providerUtility(i, i));
    }
    ArrayNode bunches = out.putArray("bunches");
    for (List<Integer> b : menu.bunches()) {
      if (b.size() > 1) {
        ArrayNode group = bunches.addArray();
        b.forEach(group::add);
      }
    }
    out.put("platformUtility", menu.platformUtility());
    if (menu.method() == ScreeningMenu.Method.NUMERIC) {
      // Every supported form has a closed form: show how far the numeric optimum is from it.
      double closed = Json.ok(ScreeningSolver.secondBest(p)).platformUtility();
      out.put("closedFormPlatformUtility", closed);
      out.put("gapToClosedForm", closed - menu.platformUtility());
    }
    ObjectNode fb = out.putObject("firstBest");
    ArrayNode fa = fb.putArray("contracts");
    for (Contract c : firstBest.contracts()) {
      ObjectNode n = fa.addObject();
      n.put("quantity", c.quantity());
      n.put("reward", c.reward());
    }
    fb.put("platformUtility", firstBest.platformUtility());
    out.put("completeInformationUtility", firstBest.platformUtility());
    MenuChecker.MenuCheck check = ScreeningChecker.check(menu);
    ObjectNode v = out.putObject("verdict");
    v.put("valid", check.valid());
    v.put("worstIrShortfall", check.worstIrShortfall());
    v.put("worstIcGain", check.worstIcGain());
    ScreeningChecker.Deviation d = ScreeningChecker.gridDeviation(menu, GRID_POINTS);
    double scale = Math.max(1.0, Math.abs(menu.platformUtility()));
    v.put("gridDeviationUtility", d.platformUtility());
    v.put("noGridDeviationImproves", d.platformUtility() <= menu.platformUtility() + 1e-8 * scale);
    ArrayNode viol = v.putArray("violations");
    check.violations().forEach(viol::add);
  }

  private static Valuation valuation(JsonNode in) throws WhatIfException {
    if (!in.has("valuation")) {
      return Json.ok(Valuation.log(Json.number(in, "alpha", "input")));
    }
    if (in.has("alpha")) {
      throw new WhatIfException("give either 'alpha' (today's α·ln(1+q)) or 'valuation', not both");
    }
    JsonNode v = Json.field(in, "valuation", "input");
    if (!v.isObject()) {
      throw new WhatIfException("field 'valuation' in input must be an object");
    }
    String form = Json.text(v, "form", "valuation");
    return switch (form) {
      case "log" -> Json.ok(Valuation.log(Json.number(v, "alpha", "valuation")));
      case "power" ->
          Json.ok(
              Valuation.power(
                  Json.number(v, "alpha", "valuation"), Json.number(v, "beta", "valuation")));
      case "piecewise-linear" -> {
        JsonNode pts = Json.array(v, "points", "valuation");
        double[] q = new double[pts.size()];
        double[] value = new double[pts.size()];
        for (int m = 0; m < pts.size(); m++) {
          JsonNode pt = pts.get(m);
          if (!pt.isArray() || pt.size() != 2 || !pt.get(0).isNumber() || !pt.get(1).isNumber()) {
            throw new WhatIfException(
                "valuation.points[" + m + "] must be a pair of numbers [q, value]");
          }
          q[m] = pt.get(0).asDouble();
          value[m] = pt.get(1).asDouble();
        }
        yield Json.ok(Valuation.piecewiseLinear(q, value));
      }
      default ->
          throw new WhatIfException(
              "unknown valuation form '" + form + "': expected log, power or piecewise-linear");
    };
  }
}
