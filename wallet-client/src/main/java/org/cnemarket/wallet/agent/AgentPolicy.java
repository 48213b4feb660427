package org.cnemarket.wallet.agent;

import java.util.List;
import java.util.Map;
import org.cnemarket.agents.agent.MicrogridAgent;
import org.cnemarket.agents.agent.Nonces;
import org.cnemarket.agents.agent.ProviderAgent;
import org.cnemarket.core.model.EnergySource;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Trade;

/**
 * What a live agent bids in a round: the same agents the simulator runs, fed with what a live
 * participant knows (its configuration, the last cleared prices and its own last fills).
 */
public sealed interface AgentPolicy permits AgentPolicy.Provider, AgentPolicy.Microgrid {

  /** The orders for {@code slot}, given the forecast energy price (micro-credits per kWh). */
  List<Order> orders(long slot, long forecastEnergyPriceMicros, Nonces nonces);

  /**
   * After the round of {@code slot} closed: this participant's trades in it, and the orders it sent
   * for the slot by order id.
   */
  void settled(long slot, List<Trade> mine, Map<String, Order> sentById);

  /** The strategy's name, for the output. */
  String strategy();

  /**
   * A compute provider. It buys energy for its forecast load: {@code baseLoadUnits} of its own
   * committed work plus what it sold in the last round (a persistence forecast of its sales, at
   * most its capacity), times its Wh per unit; and offers its capacity beyond the base load.
   */
  final class Provider implements AgentPolicy {
    private final ProviderAgent agent;
    private final long capacityUnits;
    private final long baseLoadUnits;
    private long lastSoldUnits;

    public Provider(ProviderAgent agent, long capacityUnits, long baseLoadUnits) {
      if (capacityUnits <= 0 || baseLoadUnits < 0 || baseLoadUnits > capacityUnits) {
        throw new IllegalArgumentException(
            "capacity must be positive and the base load between 0 and the capacity");
      }
      this.agent = agent;
      this.capacityUnits = capacityUnits;
      this.baseLoadUnits = baseLoadUnits;
    }

    @Override
    public List<Order> orders(long slot, long forecastEnergyPriceMicros, Nonces nonces) {
      long free = capacityUnits - baseLoadUnits;
      long committed = baseLoadUnits + Math.min(lastSoldUnits, free);
      return agent.orders(
          new ProviderAgent.Outlook(slot, committed, free, forecastEnergyPriceMicros), nonces);
    }

    @Override
    public void settled(long slot, List<Trade> mine, Map<String, Order> sentById) {
      long soldMilli = 0;
      for (Trade t : mine) {
        if (t.market() == OrderKind.Market.COMPUTE
            && t.seller().equalsIgnoreCase(agent.address())) {
          soldMilli += t.quantity();
        }
      }
      // Whole units: a fraction sold still needs the energy of a unit.
      lastSoldUnits = (soldMilli + 999) / 1000;
    }

    @Override
    public String strategy() {
      return agent.strategy().name();
    }
  }

  /**
   * A microgrid operator: offers its forecast output of the slot (a daily profile by UTC hour) at
   * marginal cost, and with a battery stores what did not sell and offers it in later rounds.
   */
  final class Microgrid implements AgentPolicy {
    private final MicrogridAgent agent;
    private final long[] outputWhByUtcHour;
    private final long marginalCostMicros;
    private final long carbonMgPerKwh;
    private long offeredOutputWh;

    public Microgrid(
        MicrogridAgent agent,
        long[] outputWhByUtcHour,
        long marginalCostMicros,
        long carbonMgPerKwh) {
      if (outputWhByUtcHour.length != 24) {
        throw new IllegalArgumentException("the output profile needs 24 hourly values (UTC)");
      }
      for (long wh : outputWhByUtcHour) {
        if (wh < 0) {
          throw new IllegalArgumentException("output must not be negative");
        }
      }
      if (marginalCostMicros <= 0 || carbonMgPerKwh < 0) {
        throw new IllegalArgumentException(
            "marginal cost must be positive and carbon not negative");
      }
      this.agent = agent;
      this.outputWhByUtcHour = outputWhByUtcHour.clone();
      this.marginalCostMicros = marginalCostMicros;
      this.carbonMgPerKwh = carbonMgPerKwh;
    }

    @Override
    public List<Order> orders(long slot, long forecastEnergyPriceMicros, Nonces nonces) {
      offeredOutputWh = outputWhByUtcHour[(int) Math.floorMod(slot, 24L)];
      return agent.offers(
          slot,
          offeredOutputWh,
          marginalCostMicros,
          carbonMgPerKwh,
          forecastEnergyPriceMicros,
          nonces);
    }

    @Override
    public void settled(long slot, List<Trade> mine, Map<String, Order> sentById) {
      long outputSold = 0;
      long storageSold = 0;
      for (Trade t : mine) {
        Order sold = sentById.get(t.sellOrderId());
        if (sold == null || t.market() != OrderKind.Market.ENERGY) {
          continue;
        }
        // The trade does not carry the source: the order it filled tells output from storage.
        if (sold.source() == EnergySource.STORAGE) {
          storageSold += t.quantity();
        } else {
          outputSold += t.quantity();
        }
      }
      agent.settle(offeredOutputWh, outputSold, storageSold, carbonMgPerKwh);
    }

    @Override
    public String strategy() {
      return agent.battery() == null ? "marginal" : "marginal+storage";
    }

    /** The source this microgrid offers. */
    public EnergySource source() {
      return agent.source();
    }
  }
}
