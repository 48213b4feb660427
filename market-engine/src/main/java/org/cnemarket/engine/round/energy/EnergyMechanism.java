package org.cnemarket.engine.round.energy;

import java.util.List;
import java.util.Map;
import org.cnemarket.engine.auction.Ask;
import org.cnemarket.engine.auction.Bid;
import org.cnemarket.engine.pricing.Result;

/**
 * How the energy market clears. A new mechanism is one class implementing this and one line in
 * {@link EnergyMechanisms}: the round, {@code serve}'s options, the simulator and {@code cne-engine
 * price} all find it there.
 */
public interface EnergyMechanism {

  /** The name parameters record and the command line takes. */
  String name();

  /** One line for the command line's help. */
  String description();

  /**
   * Whether orders trade in whole lots of {@link EnergySettings#lotWh()} (recorded with rounds).
   */
  default boolean tradesInLots() {
    return false;
  }

  /** Clears a round's bids and asks (both non-empty) into whole-Wh trades. */
  Result<EnergyClearing> clear(List<Bid> bids, List<Ask> asks, EnergySettings settings);

  /**
   * The what-if report of {@code cne-engine price NAME}: the clearing in full, with its verdict.
   */
  Result<Map<String, Object>> whatIf(List<Bid> bids, List<Ask> asks, EnergySettings settings);
}
