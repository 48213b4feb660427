package org.cnemarket.engine.ledger.evm;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.cnemarket.contracts.generated.CneMarket;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.engine.ledger.LedgerEvent;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Type;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.tx.Contract;

/**
 * Decodes the market contract's logs into the port's {@link LedgerEvent}s with canonical JSON
 * payloads.
 */
final class EventDecoder {
  private interface Decoder {
    LedgerEvent decode(long cursor, List<Type<?>> indexed, List<Type<?>> data, String txHash);
  }

  private record Entry(Event event, Decoder decoder) {}

  private final Map<String, Entry> byTopic = new HashMap<>();
  private final Map<String, String> topicByName = new HashMap<>();

  private final AcceptedOrders accepted;

  /** {@code accepted} names the orders of each accepted batch (refresh it before decoding). */
  EventDecoder(AcceptedOrders accepted) {
    this.accepted = accepted;
    add(
        CneMarket.PARTICIPANTREGISTERED_EVENT,
        (c, i, d, tx) -> {
          String account = str(i.get(0));
          return new LedgerEvent(
              c,
              "PARTICIPANT_REGISTERED",
              account,
              Json.write(
                  EvmLedger.payload(
                      "account",
                      account,
                      "role",
                      num(d.get(0)),
                      "name",
                      d.get(1).getValue(),
                      "nonce",
                      num(d.get(2)),
                      "txId",
                      tx)));
        });
    add(
        CneMarket.DEPOSITED_EVENT,
        (c, i, d, tx) -> {
          String id = hex(i.get(0));
          return new LedgerEvent(
              c,
              "DEPOSITED",
              id,
              Json.write(
                  EvmLedger.payload(
                      "depositId",
                      id,
                      "account",
                      str(i.get(1)),
                      "amountMicros",
                      num(d.get(0)),
                      "txId",
                      tx)));
        });
    add(
        CneMarket.ORDERSACCEPTED_EVENT,
        (c, i, d, tx) -> {
          String batchId = hex(i.get(0));
          List<String> ids = accepted.batchOrderIds(batchId);
          if (ids.size() == 1) {
            // a batch of one reads as the single-order event of the other ledgers
            AcceptedOrders.Accepted a = accepted.order(ids.get(0)).orElseThrow();
            return new LedgerEvent(
                c,
                "ORDER_ACCEPTED",
                a.orderId(),
                Json.write(
                    EvmLedger.payload(
                        "orderId",
                        a.orderId(),
                        "trader",
                        a.trader(),
                        "kind",
                        (long) a.kind().code(),
                        "lockedMicros",
                        num(d.get(3)),
                        "batchId",
                        batchId,
                        "txId",
                        tx)));
          }
          return new LedgerEvent(
              c,
              "ORDERS_ACCEPTED",
              batchId,
              Json.write(
                  EvmLedger.payload(
                      "batchId",
                      batchId,
                      "dataHash",
                      hex(d.get(0)),
                      "orderCount",
                      num(d.get(1)),
                      "accounts",
                      num(d.get(2)),
                      "lockedMicros",
                      num(d.get(3)),
                      "orderIds",
                      ids,
                      "txId",
                      tx)));
        });
    add(
        CneMarket.ORDERBATCHFAULTED_EVENT,
        (c, i, d, tx) -> {
          String batchId = hex(i.get(0));
          return new LedgerEvent(
              c,
              "ORDER_BATCH_FAULTED",
              batchId,
              Json.write(
                  EvmLedger.payload(
                      "batchId",
                      batchId,
                      "orderId",
                      hex(i.get(1)),
                      "trader",
                      str(i.get(2)),
                      "challenger",
                      str(d.get(0)),
                      "txId",
                      tx)));
        });
    add(
        CneMarket.BATCHSETTLED_EVENT,
        (c, i, d, tx) -> {
          String id = hex(i.get(0));
          return new LedgerEvent(
              c,
              "BATCH_SETTLED",
              id,
              Json.write(
                  EvmLedger.payload(
                      "batchId",
                      id,
                      "round",
                      num(d.get(0)),
                      "slot",
                      num(d.get(1)),
                      "merkleRoot",
                      hex(d.get(2)),
                      "inputsHash",
                      hex(d.get(3)),
                      "outputsHash",
                      hex(d.get(4)),
                      "dataHash",
                      hex(d.get(5)),
                      "tradeCount",
                      num(d.get(6)),
                      "txId",
                      tx)));
        });
    add(
        CneMarket.DELIVERYREPORTED_EVENT,
        (c, i, d, tx) -> {
          String tradeId = hex(i.get(1));
          return new LedgerEvent(
              c,
              "DELIVERY_REPORTED",
              tradeId,
              Json.write(
                  EvmLedger.payload(
                      "batchId",
                      hex(i.get(0)),
                      "tradeId",
                      tradeId,
                      "seller",
                      str(i.get(2)),
                      "deliveredQuantity",
                      num(d.get(0)),
                      "certifiedWh",
                      num(d.get(1)),
                      "txId",
                      tx)));
        });
    add(
        CneMarket.CERTIFICATESISSUED_EVENT,
        (c, i, d, tx) -> {
          String holder = str(i.get(0));
          return new LedgerEvent(
              c,
              "CERTIFICATES_ISSUED",
              holder,
              Json.write(
                  EvmLedger.payload(
                      "holder",
                      holder,
                      "slot",
                      num(i.get(1)),
                      "amountWh",
                      num(d.get(0)),
                      "tradeId",
                      hex(d.get(1)),
                      "txId",
                      tx)));
        });
    add(
        CneMarket.CERTIFICATESTRANSFERRED_EVENT,
        (c, i, d, tx) -> {
          String from = str(i.get(0));
          return new LedgerEvent(
              c,
              "CERTIFICATES_TRANSFERRED",
              from,
              Json.write(
                  EvmLedger.payload(
                      "from",
                      from,
                      "to",
                      str(i.get(1)),
                      "slot",
                      num(d.get(0)),
                      "amountWh",
                      num(d.get(1)),
                      "nonce",
                      num(d.get(2)),
                      "txId",
                      tx)));
        });
    add(
        CneMarket.CERTIFICATESRETIRED_EVENT,
        (c, i, d, tx) -> {
          String holder = str(i.get(0));
          return new LedgerEvent(
              c,
              "CERTIFICATES_RETIRED",
              holder,
              Json.write(
                  EvmLedger.payload(
                      "holder",
                      holder,
                      "slot",
                      num(d.get(0)),
                      "amountWh",
                      num(d.get(1)),
                      "nonce",
                      num(d.get(2)),
                      "txId",
                      tx)));
        });
  }

  private void add(Event e, Decoder d) {
    String topic = EventEncoder.encode(e);
    byTopic.put(topic, new Entry(e, d));
    topicByName.put(e.getName(), topic);
  }

  String topicOf(String eventName) {
    return topicByName.get(eventName);
  }

  Optional<LedgerEvent> decode(Log log, long cursor) {
    if (log.getTopics().isEmpty()) {
      return Optional.empty();
    }
    Entry e = byTopic.get(log.getTopics().get(0));
    if (e == null) {
      return Optional.empty(); // role bookkeeping and other logs are not port events
    }
    var values = Contract.staticExtractEventParameters(e.event(), log);
    List<Type<?>> indexed = new ArrayList<>();
    values.getIndexedValues().forEach(indexed::add);
    List<Type<?>> data = new ArrayList<>();
    values.getNonIndexedValues().forEach(data::add);
    return Optional.of(e.decoder().decode(cursor, indexed, data, log.getTransactionHash()));
  }

  private static String str(Type<?> t) {
    return ((String) t.getValue()).toLowerCase(Locale.ROOT);
  }

  private static String hex(Type<?> t) {
    return Hex.encode((byte[]) t.getValue());
  }

  private static Long num(Type<?> t) {
    return ((BigInteger) t.getValue()).longValueExact();
  }
}
