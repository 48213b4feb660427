package org.cnemarket.chaincode.settlement;

import org.cnemarket.chaincode.Args;
import org.cnemarket.chaincode.ReasonCode;
import org.cnemarket.chaincode.StateKeys;
import org.cnemarket.chaincode.Tx;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;

/** Settlement batches: their headers on the ledger, their trades proven against the root. */
@Contract(name = "settlement", info = @Info(title = "CNE Market settlement", version = "1"))
public final class SettlementContract implements ContractInterface {

  /**
   * Settles a batch from its header and net movements per order (RecordCodec.netSettlement JSON).
   * Returns {"batchId","txId","alreadySettled"}; emits {@code BatchSettled} {batchId, round,
   * merkleRoot, tradeCount}.
   */
  @Transaction(name = "Settle", intent = Transaction.TYPE.SUBMIT)
  public String settle(Context ctx, String settlementJson) {
    return Tx.submit(ctx, tx -> SettlementRules.settle(tx, settlementJson));
  }

  /**
   * {"batchId","round","slot","merkleRoot","inputsHash","outputsHash","tradeCount",
   * "closedOrderIds","txId","timestamp"(epoch ms)} or NOT_FOUND.
   */
  @Transaction(name = "GetBatch", intent = Transaction.TYPE.EVALUATE)
  public String getBatch(Context ctx, String batchId) {
    return Tx.query(
        ctx,
        tx -> stored(tx.state().get(StateKeys.batch(Args.hash32("batchId", batchId))), batchId));
  }

  private static String stored(String json, String id) {
    if (json == null) {
      throw ReasonCode.NOT_FOUND.reject("nothing stored under " + id);
    }
    return json;
  }
}
