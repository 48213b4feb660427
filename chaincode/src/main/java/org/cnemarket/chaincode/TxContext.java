package org.cnemarket.chaincode;

import java.time.Instant;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.eip712.Eip712;
import org.hyperledger.fabric.shim.ChaincodeStub;

/** What a rule sees of its transaction: state, the configured domain, id and timestamp. */
public final class TxContext {
  private final ChaincodeStub stub;
  private final TxState state;
  private Eip712.Domain domain;

  TxContext(ChaincodeStub stub) {
    this.stub = stub;
    this.state = new TxState(stub);
  }

  public TxState state() {
    return state;
  }

  /** For range and history queries, which read committed state directly. */
  public ChaincodeStub stub() {
    return stub;
  }

  public String txId() {
    return stub.getTxId();
  }

  /** The transaction timestamp: the only clock chaincode may use (deterministic). */
  public Instant timestamp() {
    return stub.getTxTimestamp();
  }

  /** The configured EIP-712 domain, or NOT_CONFIGURED. */
  public Eip712.Domain domain() {
    if (domain == null) {
      String json = state.get(StateKeys.CONFIG_DOMAIN);
      if (json == null) {
        throw ReasonCode.NOT_CONFIGURED.reject(
            "the market is not configured: call config:Configure first");
      }
      domain = RecordCodec.domainFromJson(json);
    }
    return domain;
  }

  public boolean configured() {
    return state.exists(StateKeys.CONFIG_DOMAIN);
  }
}
