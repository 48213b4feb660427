package org.cnemarket.chaincode.audit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnemarket.chaincode.ReasonCode;
import org.cnemarket.chaincode.StateKeys;
import org.cnemarket.chaincode.Tx;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.hyperledger.fabric.shim.ledger.KeyModification;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;

/** Read-only audit: the full change history of any state key (see {@link StateKeys}). */
@Contract(name = "audit", info = @Info(title = "CNE Market audit", version = "1"))
public final class AuditContract implements ContractInterface {

  /**
   * JSON array, newest first, of {"txId","timestamp"(epoch ms),"isDelete","value"(string or null)}
   * for {@code key}, e.g. {@code participant/0xabc...}, {@code batch/0x...}.
   */
  @Transaction(name = "History", intent = Transaction.TYPE.EVALUATE)
  public String history(Context ctx, String key) {
    return Tx.query(
        ctx,
        tx -> {
          if (key == null || key.isEmpty()) {
            throw ReasonCode.INVALID.reject("key is required");
          }
          List<Object> out = new ArrayList<>();
          try (QueryResultsIterator<KeyModification> it = tx.stub().getHistoryForKey(key)) {
            for (KeyModification m : it) {
              Map<String, Object> e = new LinkedHashMap<>();
              e.put("txId", m.getTxId());
              e.put("timestamp", m.getTimestamp() == null ? null : m.getTimestamp().toEpochMilli());
              e.put("isDelete", m.isDeleted());
              e.put(
                  "value", m.isDeleted() ? null : new String(m.getValue(), StandardCharsets.UTF_8));
              out.add(e);
            }
          }
          return out;
        });
  }

  /** The key templates: {"participant":"participant/<address>", ...}. */
  @Transaction(name = "Keys", intent = Transaction.TYPE.EVALUATE)
  public String keys(Context ctx) {
    return Tx.query(ctx, tx -> StateKeys.templates());
  }
}
