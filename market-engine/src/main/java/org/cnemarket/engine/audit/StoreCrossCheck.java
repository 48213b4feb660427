package org.cnemarket.engine.audit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.JsonException;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.LedgerEvent;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.store.Holdings;
import org.cnemarket.engine.store.MarketStore;

/**
 * Compares the two stores record by record: every order, deposit, settled batch and meter reading
 * the engine says is on the ledger must be there, and everything the ledger accepted (read from its
 * event stream, from genesis) must be known to the engine. Records the engine holds that are still
 * on their way to the ledger are counted, not failed: the engine takes them onto the ledger as soon
 * as it runs.
 */
public final class StoreCrossCheck {
  /** The outcome; {@code problems} names each record found in one store only (at most 20). */
  public record Report(
      boolean verified,
      long ledgerEvents,
      long ordersPendingLedger,
      long depositsPendingLedger,
      List<String> problems) {}

  private static final int MAX_PROBLEMS = 20;

  private StoreCrossCheck() {}

  public static Report check(MarketStore store, Ledger ledger) throws LedgerException {
    Holdings engine = store.holdings();
    Set<String> ledgerOrders = new HashSet<>();
    Set<String> ledgerDeposits = new HashSet<>();
    Set<String> ledgerBatches = new HashSet<>();
    Set<String> ledgerDeliveries = new HashSet<>();
    long depositEvents = 0;
    long events = 0;
    long cursor = -1;
    while (true) {
      List<LedgerEvent> page = ledger.events(cursor, 1000);
      if (page.isEmpty()) {
        break;
      }
      for (LedgerEvent e : page) {
        events++;
        Map<String, Object> p = payload(e.payloadJson());
        switch (e.type()) {
          case "ORDER_ACCEPTED" ->
              ledgerOrders.add(String.valueOf(p.getOrDefault("orderId", e.key())));
          case "ORDERS_ACCEPTED" -> {
            if (p.get("orderIds") instanceof List<?> ids) {
              ids.forEach(id -> ledgerOrders.add(String.valueOf(id)));
            }
          }
          case "DEPOSITED" -> {
            depositEvents++;
            ledgerDeposits.add(String.valueOf(p.getOrDefault("depositId", e.key())));
          }
          case "BATCH_SETTLED" ->
              ledgerBatches.add(String.valueOf(p.getOrDefault("batchId", e.key())));
          case "DELIVERY_REPORTED" ->
              ledgerDeliveries.add(String.valueOf(p.getOrDefault("tradeId", e.key())));
          default -> {}
        }
      }
      cursor = page.get(page.size() - 1).cursor();
    }
    List<String> problems = new ArrayList<>();
    missing(
        problems,
        "order",
        engine.ordersOnLedger(),
        ledgerOrders,
        "the engine holds it as on the ledger, the ledger does not");
    missing(
        problems,
        "order",
        ledgerOrders,
        engine.orders(),
        "accepted on the ledger, unknown to the engine");
    missing(
        problems,
        "batch",
        engine.settledBatches(),
        ledgerBatches,
        "settled in the engine, not on the ledger");
    missing(
        problems,
        "batch",
        ledgerBatches,
        engine.batches(),
        "settled on the ledger, unknown to the engine");
    missing(
        problems,
        "meter reading of trade",
        engine.meterReadings(),
        ledgerDeliveries,
        "recorded by the engine, not reported on the ledger");
    missing(
        problems,
        "delivery of trade",
        ledgerDeliveries,
        engine.trades(),
        "reported on the ledger, unknown to the engine");
    if (ledger.backend().equals("evm")) {
      // The contract keys deposits by a hash of the id: compare their number.
      if (depositEvents != engine.deposits().size()) {
        problems.add(
            "deposits: the engine holds "
                + engine.deposits().size()
                + " on the ledger, the ledger "
                + depositEvents);
      }
    } else {
      missing(
          problems,
          "deposit",
          engine.deposits(),
          ledgerDeposits,
          "the engine holds it as on the ledger, the ledger does not");
      missing(
          problems,
          "deposit",
          ledgerDeposits,
          engine.deposits(),
          "on the ledger, unknown to the engine");
    }
    return new Report(
        problems.isEmpty(),
        events,
        engine.ordersPending(),
        engine.depositsPending(),
        List.copyOf(problems.subList(0, Math.min(MAX_PROBLEMS, problems.size()))));
  }

  private static void missing(
      List<String> problems, String what, Set<String> in, Set<String> other, String why) {
    in.stream()
        .filter(id -> !other.contains(id))
        .sorted()
        .limit(MAX_PROBLEMS)
        .forEach(id -> problems.add(what + " " + id + ": " + why));
  }

  private static Map<String, Object> payload(String json) {
    try {
      return Json.parseObject(json);
    } catch (JsonException e) {
      return Map.of();
    }
  }
}
