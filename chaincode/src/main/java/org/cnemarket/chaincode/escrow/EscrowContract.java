package org.cnemarket.chaincode.escrow;

import org.cnemarket.chaincode.Args;
import org.cnemarket.chaincode.ReasonCode;
import org.cnemarket.chaincode.Tx;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;

/** Credits: deposits, buy-order escrow, balances. */
@Contract(name = "escrow", info = @Info(title = "CNE Market escrow", version = "1"))
public final class EscrowContract implements ContractInterface {

  /**
   * Credits {@code amountMicros} (positive integer) to a registered account, once per {@code
   * depositId}. Returns {"depositId","account","amountMicros","alreadyApplied"}.
   */
  @Transaction(name = "Deposit", intent = Transaction.TYPE.SUBMIT)
  public String deposit(Context ctx, String depositId, String account, String amountMicros) {
    return Tx.submit(
        ctx,
        tx ->
            EscrowRules.deposit(
                tx,
                Args.id("depositId", depositId),
                Args.address("account", account),
                Args.positive("amountMicros", amountMicros)));
  }

  /**
   * Accepts {"order":{...},"signature"} (RecordCodec.signedOrder). Returns
   * {"orderId","lockedMicros","alreadyAccepted"}.
   */
  @Transaction(name = "AcceptOrder", intent = Transaction.TYPE.SUBMIT)
  public String acceptOrder(Context ctx, String signedOrderJson) {
    return Tx.submit(ctx, tx -> EscrowRules.acceptOrder(tx, signedOrderJson));
  }

  /**
   * Accepts a JSON array of signed orders in one transaction; answers per order (see {@link
   * EscrowRules#acceptOrders}).
   */
  @Transaction(name = "AcceptOrders", intent = Transaction.TYPE.SUBMIT)
  public String acceptOrders(Context ctx, String signedOrdersJson) {
    return Tx.submit(ctx, tx -> EscrowRules.acceptOrders(tx, signedOrdersJson));
  }

  /** {"account","availableMicros","escrowMicros"}; zeros for an unknown account. */
  @Transaction(name = "Balance", intent = Transaction.TYPE.EVALUATE)
  public String balance(Context ctx, String account) {
    return Tx.query(ctx, tx -> Account.load(tx.state(), Args.address("account", account)).view());
  }

  /** The stored order (see {@link StoredOrder#view()}) or NOT_FOUND. */
  @Transaction(name = "GetOrder", intent = Transaction.TYPE.EVALUATE)
  public String getOrder(Context ctx, String orderId) {
    return Tx.query(
        ctx,
        tx -> {
          StoredOrder o = StoredOrder.load(tx.state(), Args.hash32("orderId", orderId));
          if (o == null) {
            throw ReasonCode.NOT_FOUND.reject("no accepted order " + orderId);
          }
          return o.view();
        });
  }
}
