package org.cnemarket.engine.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.JsonException;

/**
 * The port's events from the chaincode's (shared by the embedded and Fabric adapters). A Fabric
 * transaction carries one event, so a delivery report's {@code CertificatesIssued} stands for both
 * DELIVERY_REPORTED and, when green Wh were certified, CERTIFICATES_ISSUED. Cursors are {@code
 * block × 1,000,000 + 2 × index in block + part}, increasing in ledger order.
 */
public final class ChaincodeEvents {
  public static final long PER_BLOCK = 1_000_000L;

  private static final List<String> KEY_FIELDS =
      List.of("batchId", "tradeId", "account", "holder", "provider", "address", "from");

  private ChaincodeEvents() {}

  /**
   * The port events of the {@code index}-th chaincode event in {@code block}, all after {@code
   * cursor}.
   */
  public static List<LedgerEvent> of(
      long block, long index, String name, String payload, long cursor) {
    long base = block * PER_BLOCK + 2 * index;
    String canonical = canonical(payload);
    Map<String, Object> fields = fields(payload);
    List<LedgerEvent> out = new ArrayList<>();
    if (name.equals("CertificatesIssued")) {
      add(
          out,
          cursor,
          new LedgerEvent(base, "DELIVERY_REPORTED", str(fields.get("tradeId")), canonical));
      if (fields.get("certifiedWh") instanceof Long wh && wh > 0) {
        add(
            out,
            cursor,
            new LedgerEvent(base + 1, "CERTIFICATES_ISSUED", str(fields.get("holder")), canonical));
      }
      return out;
    }
    String key = "";
    for (String k : KEY_FIELDS) {
      if (fields.containsKey(k)) {
        key = str(fields.get(k));
        break;
      }
    }
    add(out, cursor, new LedgerEvent(base, type(name), key, canonical));
    return out;
  }

  /** {@code BatchSettled} to {@code BATCH_SETTLED}. */
  public static String type(String name) {
    return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  private static void add(List<LedgerEvent> out, long cursor, LedgerEvent e) {
    if (e.cursor() > cursor) {
      out.add(e);
    }
  }

  private static String str(Object o) {
    return o == null ? "" : String.valueOf(o);
  }

  private static Map<String, Object> fields(String payload) {
    try {
      return Json.parseObject(payload);
    } catch (JsonException e) {
      return Map.of();
    }
  }

  private static String canonical(String payload) {
    try {
      return Json.write(Json.parse(payload));
    } catch (JsonException e) {
      return payload;
    }
  }
}
