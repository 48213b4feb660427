package org.cnemarket.chaincode;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.hyperledger.fabric.shim.ChaincodeStub;

/**
 * The state as one transaction sees it: committed values overlaid with this transaction's staged
 * writes. Rules read and stage freely; nothing reaches the stub until {@link #flush()}, which
 * {@link Tx} calls only after the rules returned, so a rejected transaction writes nothing. It also
 * gives rules read-your-writes (a seller paid by two trades of one batch), which the Fabric stub
 * itself does not.
 */
public final class TxState {
  private final ChaincodeStub stub;
  private final Map<String, String> committed = new HashMap<>();
  private final TreeMap<String, String> staged = new TreeMap<>();
  private String eventName;
  private Map<String, Object> eventPayload;

  TxState(ChaincodeStub stub) {
    this.stub = stub;
  }

  /** The value of {@code key} as this transaction sees it, or null. */
  public String get(String key) {
    if (staged.containsKey(key)) {
      return staged.get(key);
    }
    return committed.computeIfAbsent(
        key,
        k -> {
          byte[] v = stub.getState(k);
          return v == null || v.length == 0 ? null : new String(v, StandardCharsets.UTF_8);
        });
  }

  /** The JSON object at {@code key}, or null when absent. */
  public Fields fields(String key) {
    String v = get(key);
    return v == null ? null : Fields.of(Json.parse(v), key);
  }

  public boolean exists(String key) {
    return get(key) != null;
  }

  public void put(String key, Map<String, Object> value) {
    staged.put(key, Json.write(value));
  }

  public void putString(String key, String value) {
    staged.put(key, value);
  }

  /** Sets the transaction's one event (a later call replaces an earlier one). */
  public void event(String name, Map<String, Object> payload) {
    this.eventName = name;
    this.eventPayload = payload;
  }

  /** Writes every staged value (in key order) and the event to the stub. */
  void flush() {
    staged.forEach((k, v) -> stub.putState(k, v.getBytes(StandardCharsets.UTF_8)));
    if (eventName != null) {
      stub.setEvent(eventName, Json.write(eventPayload).getBytes(StandardCharsets.UTF_8));
    }
  }
}
