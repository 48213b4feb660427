package org.cnemarket.engine.config;

import java.nio.file.Path;

/**
 * Which ledger the engine (or an audit) talks to, and how to reach it.
 *
 * @param ledger "embedded", "evm" or "fabric"
 * @param chainId the EIP-712 chain id orders are signed for
 * @param evmRpcUrl the JSON-RPC URL for the EVM ledger
 * @param evmContract an already deployed market contract address, or null
 * @param evmKeyHex the operator's EVM private key (hex), or null
 * @param fabricProfile the Fabric connection profile path
 */
public record LedgerSettings(
    String ledger,
    long chainId,
    String evmRpcUrl,
    String evmContract,
    String evmKeyHex,
    Path fabricProfile) {

  public LedgerSettings {
    if (ledger == null
        || !(ledger.equals("embedded") || ledger.equals("evm") || ledger.equals("fabric"))) {
      throw new IllegalArgumentException("ledger must be embedded, evm or fabric, not " + ledger);
    }
  }
}
