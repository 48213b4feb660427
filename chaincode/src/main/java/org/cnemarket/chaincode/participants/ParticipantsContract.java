package org.cnemarket.chaincode.participants;

import org.cnemarket.chaincode.Args;
import org.cnemarket.chaincode.ReasonCode;
import org.cnemarket.chaincode.Tx;
import org.cnemarket.core.model.Participant;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;

/** Participants: secp256k1 accounts with one role each. */
@Contract(name = "participants", info = @Info(title = "CNE Market participants", version = "1"))
public final class ParticipantsContract implements ContractInterface {

  /**
   * Registers from {"account","role","name","nonce","signature"} (RecordCodec.registration).
   * Returns {"address","role","name","alreadyRegistered"}.
   */
  @Transaction(name = "Register", intent = Transaction.TYPE.SUBMIT)
  public String register(Context ctx, String registrationJson) {
    return Tx.submit(ctx, tx -> ParticipantRules.register(tx, registrationJson));
  }

  /** {"address","role","name"} or NOT_FOUND. */
  @Transaction(name = "Get", intent = Transaction.TYPE.EVALUATE)
  public String get(Context ctx, String address) {
    return Tx.query(
        ctx,
        tx -> {
          Participant p = ParticipantRules.find(tx, Args.address("address", address));
          if (p == null) {
            throw ReasonCode.NOT_FOUND.reject(address + " is not registered");
          }
          return ParticipantRules.view(p);
        });
  }
}
