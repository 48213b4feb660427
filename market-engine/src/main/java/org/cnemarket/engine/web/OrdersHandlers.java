package org.cnemarket.engine.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.JsonException;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.engine.market.MarketService;
import org.cnemarket.engine.market.OrderQueries;
import org.cnemarket.engine.ops.EngineMetrics;

/** Signed orders: submitted, listed per trader, read one by one. */
final class OrdersHandlers implements Operations.Group {
  /** One order of a batch, checked alone against the contract's schema. */
  private static final BodyShape BATCH_ITEM =
      ApiGate.itemShape(ApiGate.contractJson(), "submitOrders");

  private final MarketService market;
  private final OrderQueries orders;
  private final EngineMetrics metrics;

  OrdersHandlers(MarketService market, OrderQueries orders, EngineMetrics metrics) {
    this.market = market;
    this.orders = orders;
    this.metrics = metrics;
  }

  @Override
  public void bind(Operations ops) {
    ops.on("submitOrder", this::submitOrder)
        .on("submitOrders", this::submitOrders)
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

  /**
   * A batch of the caller's orders: each parsed, checked and recorded or refused on its own; the
   * answer lists every order's outcome in the order sent.
   */
  void submitOrders(Call call) {
    String instance = call.context().request().path();
    // The orders are read on the worker: a batch is up to a thousand of them, and the event loop
    // serves every connection.
    call.answer(
        200,
        () -> {
          List<Object> items = call.body("batch").list("orders");
          // An order that does not parse is refused alone; the rest go on.
          List<SignedOrder> parsed = new ArrayList<>(items.size());
          Map<Integer, ApiProblem> unparsed = new LinkedHashMap<>();
          for (int i = 0; i < items.size(); i++) {
            try {
              String where = "orders[" + i + "]";
              String violation = BATCH_ITEM.violation(items.get(i), where);
              if (violation != null) {
                throw ApiProblem.badRequest(violation);
              }
              parsed.add(JsonBodies.signedOrder(Fields.of(items.get(i), where)));
            } catch (ApiProblem e) {
              unparsed.put(i, e);
            } catch (JsonException e) {
              unparsed.put(i, ApiProblem.badRequest(e.getMessage()));
            }
          }
          List<MarketService.Accepted> outcomes = market.submitOrders(parsed);
          List<Object> results = new ArrayList<>(items.size());
          int refused = 0;
          int next = 0;
          for (int i = 0; i < items.size(); i++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("index", (long) i);
            ApiProblem problem = unparsed.get(i);
            if (problem == null) {
              MarketService.Accepted a = outcomes.get(next++);
              if (a.orderId() != null) {
                r.put("orderId", a.orderId());
              }
              problem = a.refusal() == null ? null : ApiProblem.of(a.refusal());
            }
            if (problem == null) {
              r.put("status", OrderQueries.ACCEPTED_STATUS.name());
            } else {
              r.put("status", "REFUSED");
              r.put("problem", Problems.body(problem, instance));
              metrics.orderRejected(problem.type());
              refused++;
            }
            results.add(r);
          }
          int accepted = items.size() - refused;
          metrics.ordersAccepted(accepted);
          Map<String, Object> answer = new LinkedHashMap<>();
          answer.put("accepted", (long) accepted);
          answer.put("refused", (long) refused);
          answer.put("results", results);
          return answer;
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
