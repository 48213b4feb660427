package org.cnemarket.engine.web;

import java.util.Map;
import org.cnemarket.engine.market.MarketService;
import org.cnemarket.engine.market.OrderQueries;

/** Signed orders: submitted, listed per trader, read one by one. */
final class OrdersHandlers implements Operations.Group {
  private final MarketService market;
  private final OrderQueries orders;

  OrdersHandlers(MarketService market, OrderQueries orders) {
    this.market = market;
    this.orders = orders;
  }

  @Override
  public void bind(Operations ops) {
    ops.on("submitOrder", this::submitOrder)
        .on("listOrders", this::listOrders)
        .on("getOrder", this::getOrder);
  }

  void submitOrder(Call call) {
    var so = JsonBodies.signedOrder(call.body("signedOrder"));
    call.answer(
        201,
        () -> {
          String id = market.submitOrder(so);
          return Map.of("orderId", id, "status", OrderQueries.ACCEPTED_STATUS.name());
        });
  }

  void listOrders(Call call) {
    if (call.query("trader") == null) {
      throw ApiProblem.badRequest("query parameter trader is required");
    }
    String trader = Params.address(call.query("trader"));
    String kind = Params.orderKind(call.query("kind"));
    Params.Page page = Params.page(call);
    call.answer(
        200,
        () ->
            Views.items(
                orders.ordersOf(trader, kind, page.offset(), page.limit()).stream()
                    .map(Views::order)
                    .toList()));
  }

  void getOrder(Call call) {
    String id = Params.hash(call.path("id"));
    call.answer(200, () -> Views.order(orders.get(id)));
  }
}
