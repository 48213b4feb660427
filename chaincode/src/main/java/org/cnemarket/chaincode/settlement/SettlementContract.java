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

/** Settlement batches, their trades and the per-participant trade index. */
@Contract(name = "settlement", info = @Info(title = "CNE Market settlement", version = "1"))
public final class SettlementContract implements ContractInterface {

  /**
   * Settles a batch (RecordCodec.batch JSON). Returns {"batchId","txId","alreadySettled"}; emits
   * {@code BatchSettled} {batchId, round, merkleRoot, tradeCount}.
   */
  @Transaction(name = "Settle", intent = Transaction.TYPE.SUBMIT)
  public String settle(Context ctx, String batchJson) {
    return Tx.submit(ctx, tx -> SettlementRules.settle(tx, batchJson));
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

  /** The trade (RecordCodec.trade plus "batchId" and "index") or NOT_FOUND. */
  @Transaction(name = "GetTrade", intent = Transaction.TYPE.EVALUATE)
  public String getTrade(Context ctx, String tradeId) {
    return Tx.query(
        ctx,
        tx -> stored(tx.state().get(StateKeys.trade(Args.hash32("tradeId", tradeId))), tradeId));
  }

  /** JSON array of the trades where {@code address} bought or sold, slots in [fromSlot, toSlot]. */
  @Transaction(name = "TradesByParticipant", intent = Transaction.TYPE.EVALUATE)
  public String tradesByParticipant(Context ctx, String address, String fromSlot, String toSlot) {
    return Tx.query(
        ctx,
        tx ->
            SettlementRules.tradesByParticipant(
                tx,
                Args.address("address", address),
                Args.nonNegative("fromSlot", fromSlot),
                Args.nonNegative("toSlot", toSlot)));
  }

  private static String stored(String json, String id) {
    if (json == null) {
      throw ReasonCode.NOT_FOUND.reject("nothing stored under " + id);
    }
    return json;
  }
}
