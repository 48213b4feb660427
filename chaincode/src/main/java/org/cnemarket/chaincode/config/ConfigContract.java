package org.cnemarket.chaincode.config;

import org.cnemarket.chaincode.ReasonCode;
import org.cnemarket.chaincode.StateKeys;
import org.cnemarket.chaincode.Tx;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.eip712.Eip712;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;

/** The market's EIP-712 domain, set once; every signature is verified under it. */
@Contract(name = "config", info = @Info(title = "CNE Market configuration", version = "1"))
public final class ConfigContract implements ContractInterface {

  /**
   * Stores the domain {"name","version","chainId","verifyingContract"}; the same domain again is a
   * no-op, a different one INVALID (changing it would orphan every signed record). Returns the
   * stored domain JSON.
   */
  @Transaction(name = "Configure", intent = Transaction.TYPE.SUBMIT)
  public String configure(Context ctx, String domainJson) {
    return Tx.submitUnconfigured(
        ctx,
        tx -> {
          Eip712.Domain domain = RecordCodec.domainFromJson(domainJson);
          if (domain.name().isEmpty() || domain.version().isEmpty() || domain.chainId() <= 0) {
            throw ReasonCode.INVALID.reject(
                "domain needs a name, a version and a positive chainId");
          }
          String canonical = RecordCodec.toJson(domain);
          String stored = tx.state().get(StateKeys.CONFIG_DOMAIN);
          if (stored == null) {
            tx.state().putString(StateKeys.CONFIG_DOMAIN, canonical);
          } else if (!stored.equals(canonical)) {
            throw ReasonCode.INVALID.reject("the market is already configured with another domain");
          }
          return canonical;
        });
  }

  /** The domain JSON, or NOT_CONFIGURED. */
  @Transaction(name = "Get", intent = Transaction.TYPE.EVALUATE)
  public String get(Context ctx) {
    return Tx.query(ctx, tx -> RecordCodec.toJson(tx.domain()));
  }
}
