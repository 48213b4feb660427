package org.cnemarket.engine.simulation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.Units;
import org.cnemarket.engine.round.ClearingOutcome;
import org.cnemarket.engine.round.Fill;
import org.cnemarket.engine.round.OpenOrder;
import org.cnemarket.engine.round.PowerProfile;
import org.cnemarket.engine.round.RoundClearing;
import org.cnemarket.engine.round.RoundInput;
import org.cnemarket.engine.round.RoundParameters;

/** Clears rounds with the market's clearing only: no signatures, no database, no ledger. */
public final class DirectMarket implements SimMarket {
  private final RoundClearing clearing;
  private final RoundParameters parameters;
  private final Map<String, PowerProfile> profiles;
  private long round;

  public DirectMarket(
      RoundClearing clearing, RoundParameters parameters, Map<String, PowerProfile> profiles) {
    this.clearing = clearing;
    this.parameters = parameters;
    this.profiles = Map.copyOf(profiles);
  }

  @Override
  public List<Match> clear(long slot, List<Order> orders) {
    List<OpenOrder> open = new ArrayList<>(orders.size());
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < orders.size(); i++) {
      // Ids sort in submission order, like the engine's digests sort deterministically.
      String id = String.format("o%08d", i);
      open.add(new OpenOrder(id, orders.get(i), orders.get(i).quantity()));
      index.put(id, i);
    }
    ClearingOutcome out = clearing.clear(new RoundInput(++round, slot, open, profiles, parameters));
    List<Match> matches = new ArrayList<>(out.fills().size());
    for (Fill f : out.fills()) {
      matches.add(
          new Match(
              f.market(),
              index.get(f.buyOrderId()),
              index.get(f.sellOrderId()),
              f.quantity(),
              f.priceMicros(),
              Units.amountMicros(f.quantity(), f.priceMicros()),
              f.greenWh(),
              f.carbonMg(),
              f.feeMicros()));
    }
    return matches;
  }

  @Override
  public void close() {}
}
