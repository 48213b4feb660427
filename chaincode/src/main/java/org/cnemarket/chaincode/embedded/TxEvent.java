package org.cnemarket.chaincode.embedded;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The chaincode event a transaction set (Fabric allows one per transaction).
 *
 * @param name event name
 * @param payload event payload (canonical JSON for CNE Market events)
 */
public record TxEvent(String name, byte[] payload) {
  public String payloadString() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TxEvent e && name.equals(e.name) && Arrays.equals(payload, e.payload);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "TxEvent[" + name + " " + payloadString() + "]";
  }
}
