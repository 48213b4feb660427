package org.cnemarket.chaincode.certificates;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cnemarket.chaincode.StateKeys;
import org.cnemarket.chaincode.TxState;
import org.cnemarket.core.codec.Fields;

/** Green certificates of one holder and slot: held (usable) and retired (claimed) Wh. */
public record Holding(String holder, long slot, long heldWh, long retiredWh) {

  public static Holding load(TxState state, String holder, long slot) {
    Fields f = state.fields(StateKeys.certificates(holder, slot));
    return f == null
        ? new Holding(holder, slot, 0, 0)
        : new Holding(holder, slot, f.longValue("heldWh"), f.longValue("retiredWh"));
  }

  public void save(TxState state) {
    state.put(StateKeys.certificates(holder, slot), view());
  }

  /** {"holder","slot","heldWh","retiredWh"}. */
  public Map<String, Object> view() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("holder", holder);
    m.put("slot", slot);
    m.put("heldWh", heldWh);
    m.put("retiredWh", retiredWh);
    return m;
  }
}
