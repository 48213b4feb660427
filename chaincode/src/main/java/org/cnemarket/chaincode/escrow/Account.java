package org.cnemarket.chaincode.escrow;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cnemarket.chaincode.ReasonCode;
import org.cnemarket.chaincode.StateKeys;
import org.cnemarket.chaincode.TxState;
import org.cnemarket.core.codec.Fields;

/**
 * Credits of one account: spendable and locked in buy-order escrow, in micro-credits. Every change
 * goes through {@link Math#addExact} so an overflow rejects instead of wrapping.
 */
public record Account(String account, long availableMicros, long escrowMicros) {

  public static Account load(TxState state, String account) {
    Fields f = state.fields(StateKeys.account(account));
    return f == null
        ? new Account(account, 0, 0)
        : new Account(account, f.longValue("availableMicros"), f.longValue("escrowMicros"));
  }

  public void save(TxState state) {
    state.put(StateKeys.account(account), view());
  }

  public Account credit(long micros) {
    return new Account(account, Math.addExact(availableMicros, micros), escrowMicros);
  }

  /** Moves {@code micros} from available to escrow, or OVERDRAFT. */
  public Account lock(long micros) {
    if (micros > availableMicros) {
      throw ReasonCode.OVERDRAFT.reject(
          account + " has " + availableMicros + " micro-credits available, needs " + micros);
    }
    return new Account(account, availableMicros - micros, Math.addExact(escrowMicros, micros));
  }

  /** Pays {@code micros} out of escrow (to someone else). */
  public Account spendEscrow(long micros) {
    if (micros > escrowMicros) {
      throw ReasonCode.OVERDRAFT.reject(
          account + " has only " + escrowMicros + " micro-credits in escrow");
    }
    return new Account(account, availableMicros, escrowMicros - micros);
  }

  /** Returns {@code micros} from escrow to available. */
  public Account release(long micros) {
    return spendEscrow(micros).credit(micros);
  }

  /** {"account","availableMicros","escrowMicros"}. */
  public Map<String, Object> view() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("account", account);
    m.put("availableMicros", availableMicros);
    m.put("escrowMicros", escrowMicros);
    return m;
  }
}
