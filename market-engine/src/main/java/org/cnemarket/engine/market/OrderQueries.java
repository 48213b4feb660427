package org.cnemarket.engine.market;

import java.util.List;
import org.cnemarket.engine.store.MarketStore;
import org.cnemarket.engine.store.OrderStatus;
import org.cnemarket.engine.store.StoredOrder;

/** Orders as the engine tracks them: fills and status. */
public final class OrderQueries {
  /** The status of an order the market has just accepted. */
  public static final OrderStatus ACCEPTED_STATUS = OrderStatus.OPEN;

  private final MarketStore store;

  public OrderQueries(MarketService market) {
    this.store = market.store();
  }

  /** A trader's orders, newest first, optionally of one kind only. */
  public List<StoredOrder> ordersOf(String trader, String kind, int offset, int limit) {
    return store.orders().of(trader, kind, offset, limit);
  }

  /** The order, or a not-found refusal. */
  public StoredOrder get(String orderId) {
    return store.orders().get(orderId).orElseThrow(() -> Refusal.notFound("no order " + orderId));
  }

  /** Who signed the order (for ownership checks), or a not-found refusal. */
  public String traderOf(String orderId) {
    return get(orderId).signed().order().trader();
  }
}
