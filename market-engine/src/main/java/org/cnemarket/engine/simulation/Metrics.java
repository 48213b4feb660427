package org.cnemarket.engine.simulation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one strategy's run measured; every figure a fixed-point integer in the unit its name says.
 */
final class Metrics {
  long computeMilliUnits;
  long trainingMilliUnits;
  long inferenceMilliUnits;
  long carbonMg;
  long userPaidMicros;
  long networkCostMicros;
  long energyWh;
  long greenWh;
  long balancingWh;
  long renewableOfferedWh;
  long renewableSoldWh;
  long storageSoldWh;
  long curtailedWh;
  long deadlineMisses;
  long missedMilliUnits;
  long jobs;
  long inferenceUnservedMilliUnits;
  long providerRevenueMicros;
  long providerEnergyCostMicros;
  long providerOtherCostMicros;
  long microgridRevenueMicros;
  long gridRevenueMicros;
  long platformFeeMicros;
  long shiftedMilliUnits;
  long movedMilliUnits;
  long orders;
  long trades;
  long rounds;
  long elapsedMillis;

  long mgCo2PerUnit() {
    return computeMilliUnits == 0 ? 0 : carbonMg * 1000 / computeMilliUnits;
  }

  long costMicrosPerUnit() {
    return computeMilliUnits == 0
        ? 0
        : (userPaidMicros + networkCostMicros) * 1000 / computeMilliUnits;
  }

  long greenShareBps() {
    return energyWh == 0 ? 0 : greenWh * 10_000 / energyWh;
  }

  long providerProfitMicros() {
    return providerRevenueMicros - providerEnergyCostMicros - providerOtherCostMicros;
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mgCo2PerUnit", mgCo2PerUnit());
    m.put("costMicrosPerUnit", costMicrosPerUnit());
    m.put("greenShareBps", greenShareBps());
    m.put("curtailedWh", curtailedWh);
    m.put("renewableOfferedWh", renewableOfferedWh);
    m.put("deadlineMisses", deadlineMisses);
    m.put("missedMilliUnits", missedMilliUnits);
    m.put("jobs", jobs);
    m.put("inferenceUnservedMilliUnits", inferenceUnservedMilliUnits);
    m.put("providerProfitMicros", providerProfitMicros());
    m.put("microgridRevenueMicros", microgridRevenueMicros);
    m.put("gridRevenueMicros", gridRevenueMicros);
    m.put("platformFeeMicros", platformFeeMicros);
    m.put("computeMilliUnits", computeMilliUnits);
    m.put("trainingMilliUnits", trainingMilliUnits);
    m.put("inferenceMilliUnits", inferenceMilliUnits);
    m.put("carbonMg", carbonMg);
    m.put("userPaidMicros", userPaidMicros);
    m.put("networkCostMicros", networkCostMicros);
    m.put("energyWh", energyWh);
    m.put("greenWh", greenWh);
    m.put("balancingWh", balancingWh);
    m.put("renewableSoldWh", renewableSoldWh);
    m.put("storageSoldWh", storageSoldWh);
    m.put("shiftedMilliUnits", shiftedMilliUnits);
    m.put("movedMilliUnits", movedMilliUnits);
    m.put("orders", orders);
    m.put("trades", trades);
    m.put("rounds", rounds);
    m.put("elapsedMillis", elapsedMillis);
    return m;
  }
}
