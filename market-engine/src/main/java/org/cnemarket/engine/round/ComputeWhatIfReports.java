package org.cnemarket.engine.round;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnemarket.engine.pricing.stackelberg.ComputeMarket;
import org.cnemarket.engine.pricing.stackelberg.Follower;
import org.cnemarket.engine.pricing.stackelberg.MarketSolution;
import org.cnemarket.engine.pricing.stackelberg.ProviderOutcome;
import org.cnemarket.engine.pricing.stackelberg.Verdict;

/** What the compute games' what-if reports share (docs/pricing.md). */
public final class ComputeWhatIfReports {

  private ComputeWhatIfReports() {}

  /** Each provider's price, demand and profit, with its users' quantities and surplus. */
  public static List<Object> providers(ComputeMarket m, MarketSolution s) {
    List<Object> out = new ArrayList<>();
    for (int k = 0; k < s.outcomes().size(); k++) {
      ProviderOutcome o = s.outcomes().get(k);
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("id", o.providerId());
      n.put("marginalCost", o.solution().marginalCost());
      n.put("price", o.solution().price());
      n.put("demandUnits", o.solution().demand());
      n.put("profit", o.solution().profit());
      n.put("buyers", o.solution().buyers());
      n.put("capacityBound", o.solution().capacityBound());
      double userSurplus = 0;
      List<Object> x = new ArrayList<>();
      for (int j = 0; j < m.users(); j++) {
        double q = s.followerQuantity(m, k, j);
        x.add(q);
        userSurplus += Follower.utility(m.weight(k, j), o.solution().price(), q);
      }
      n.put("userQuantities", x);
      n.put("userSurplus", userSurplus);
      out.add(n);
    }
    return out;
  }

  /** The equilibrium check at tolerance {@code epsilon}. */
  public static Map<String, Object> verdict(Verdict v, double epsilon) {
    Map<String, Object> n = new LinkedHashMap<>();
    n.put("verified", v.passed());
    n.put("epsilon", epsilon);
    n.put("worstFollowerDeviation", v.worstFollowerDeviation());
    n.put("worstLeaderGain", v.worstLeaderGain());
    n.put("detail", v.detail());
    return n;
  }
}
