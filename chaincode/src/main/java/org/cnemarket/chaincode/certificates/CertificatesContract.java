package org.cnemarket.chaincode.certificates;

import org.cnemarket.chaincode.Args;
import org.cnemarket.chaincode.Tx;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;

/** Delivery, reputation, green certificates and carbon accounting. */
@Contract(name = "certificates", info = @Info(title = "CNE Market certificates", version = "1"))
public final class CertificatesContract implements ContractInterface {

  /**
   * Reports metered delivery of a settled trade. {@code tradeJson} is RecordCodec.trade, {@code
   * proofJson} a JSON array of 0x hex siblings. Returns
   * {"tradeId","deliveredQuantity","certifiedWh","alreadyReported"}; emits {@code
   * CertificatesIssued} {tradeId, batchId, holder, slot, deliveredQuantity, certifiedWh}.
   */
  @Transaction(name = "ReportDelivery", intent = Transaction.TYPE.SUBMIT)
  public String reportDelivery(
      Context ctx, String batchId, String tradeJson, String proofJson, String deliveredQuantity) {
    return Tx.submit(
        ctx,
        tx ->
            CertificateRules.reportDelivery(
                tx,
                Args.hash32("batchId", batchId),
                tradeJson,
                proofJson,
                Args.integer("deliveredQuantity", deliveredQuantity)));
  }

  /** {"provider","committed","delivered","successes","failures"}. */
  @Transaction(name = "Reputation", intent = Transaction.TYPE.EVALUATE)
  public String reputation(Context ctx, String address) {
    return Tx.query(ctx, tx -> CertificateRules.reputation(tx, Args.address("address", address)));
  }

  /** {"holder","slot","heldWh","retiredWh"}. */
  @Transaction(name = "Balance", intent = Transaction.TYPE.EVALUATE)
  public String balance(Context ctx, String holder, String slot) {
    return Tx.query(
        ctx,
        tx ->
            Holding.load(tx.state(), Args.address("holder", holder), Args.nonNegative("slot", slot))
                .view());
  }

  /**
   * Moves certificates on an EIP-712 {@code CertificateTransfer} signed by {@code from}. Returns
   * {"op":"transfer","holder","to","slot","amountWh","nonce","alreadyApplied"}; emits {@code
   * CertificatesTransferred}.
   */
  @Transaction(name = "Transfer", intent = Transaction.TYPE.SUBMIT)
  public String transfer(
      Context ctx,
      String from,
      String to,
      String slot,
      String amountWh,
      String nonce,
      String signature) {
    return Tx.submit(
        ctx,
        tx ->
            CertificateRules.transfer(
                tx,
                Args.address("from", from),
                Args.address("to", to),
                Args.nonNegative("slot", slot),
                Args.positive("amountWh", amountWh),
                Args.uint64("nonce", nonce),
                Args.signature(signature)));
  }

  /**
   * Retires certificates on an EIP-712 {@code CertificateRetire} signed by the holder. Returns
   * {"op":"retire","holder","slot","amountWh","nonce","alreadyApplied"}; emits {@code
   * CertificatesRetired}.
   */
  @Transaction(name = "Retire", intent = Transaction.TYPE.SUBMIT)
  public String retire(
      Context ctx, String holder, String slot, String amountWh, String nonce, String signature) {
    return Tx.submit(
        ctx,
        tx ->
            CertificateRules.retire(
                tx,
                Args.address("holder", holder),
                Args.nonNegative("slot", slot),
                Args.positive("amountWh", amountWh),
                Args.uint64("nonce", nonce),
                Args.signature(signature)));
  }

  /**
   * {"address","fromSlot","toSlot","carbonMg","energyWh","computeMilli"} of delivered trades
   * bought.
   */
  @Transaction(name = "Carbon", intent = Transaction.TYPE.EVALUATE)
  public String carbon(Context ctx, String address, String fromSlot, String toSlot) {
    return Tx.query(
        ctx,
        tx ->
            CertificateRules.carbon(
                tx,
                Args.address("address", address),
                Args.nonNegative("fromSlot", fromSlot),
                Args.nonNegative("toSlot", toSlot)));
  }
}
