package org.cnemarket.engine.config;

import java.nio.file.Path;
import org.cnemarket.engine.round.RoundParameters;

/**
 * How an engine runs.
 *
 * @param dataDir where the engine database (and the embedded ledger) live
 * @param host the address the REST API binds (loopback by default)
 * @param port the REST port, 0 for any free one
 * @param ledger "embedded", "evm" or "fabric"
 * @param chainId the EIP-712 chain id orders are signed for
 * @param operatorToken the operator's bearer token for REST (from configuration, never a default)
 * @param evmRpcUrl the JSON-RPC URL for the EVM ledger
 * @param evmContract an already deployed market contract address, or null to deploy
 * @param evmKeyHex the operator's EVM private key (hex), or null
 * @param fabricProfile the Fabric connection profile path
 * @param settleIntervalMillis how often the outbox is retried in the background
 * @param roundParameters the pricing mechanisms rounds use from the next round; null keeps the ones
 *     the data directory recorded last (the defaults for a new market)
 */
public record EngineConfig(
    Path dataDir,
    String host,
    int port,
    String ledger,
    long chainId,
    String operatorToken,
    String evmRpcUrl,
    String evmContract,
    String evmKeyHex,
    Path fabricProfile,
    long settleIntervalMillis,
    RoundParameters roundParameters) {

  public static final long DEFAULT_CHAIN_ID = 31337;

  public EngineConfig {
    new LedgerSettings(ledger, chainId, evmRpcUrl, evmContract, evmKeyHex, fabricProfile);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535");
    }
    if (operatorToken == null || operatorToken.length() < 16) {
      throw new IllegalArgumentException(
          "the operator token must be set and at least 16 characters long");
    }
  }

  /** The same engine with other mechanism parameters. */
  public EngineConfig withRoundParameters(RoundParameters parameters) {
    return new EngineConfig(
        dataDir,
        host,
        port,
        ledger,
        chainId,
        operatorToken,
        evmRpcUrl,
        evmContract,
        evmKeyHex,
        fabricProfile,
        settleIntervalMillis,
        parameters);
  }

  /** The ledger part of the configuration. */
  public LedgerSettings ledgerSettings() {
    return new LedgerSettings(ledger, chainId, evmRpcUrl, evmContract, evmKeyHex, fabricProfile);
  }

  /** An embedded-ledger engine on loopback, with the mechanism parameters its data recorded. */
  public static EngineConfig embedded(Path dataDir, int port, String operatorToken) {
    return new EngineConfig(
        dataDir,
        "127.0.0.1",
        port,
        "embedded",
        DEFAULT_CHAIN_ID,
        operatorToken,
        null,
        null,
        null,
        null,
        2000,
        null);
  }
}
