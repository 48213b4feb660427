package org.cnemarket.engine.simulation;

import java.util.List;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;

/**
 * Where a simulated round is cleared: the clearing alone, or the market service with its ledger.
 */
public interface SimMarket extends AutoCloseable {

  /**
   * One match, naming orders by their index in the round's order list.
   *
   * @param amountMicros what the buyer pays the seller
   * @param feeMicros what the buyer pays the platform on top
   */
  record Match(
      OrderKind.Market market,
      int buyIndex,
      int sellIndex,
      long quantity,
      long priceMicros,
      long amountMicros,
      long greenWh,
      long carbonMg,
      long feeMicros) {}

  /** Clears the slot's orders (all zones) and returns the matches. */
  List<Match> clear(long slot, List<Order> orders) throws Exception;

  /**
   * Waits until everything the cleared rounds started (settlement on a ledger) is done; part of the
   * run's time.
   */
  default void finish() throws Exception {}

  @Override
  void close() throws Exception;
}
