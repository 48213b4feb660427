package org.cnemarket.engine.cli;

import java.nio.file.Path;
import org.cnemarket.engine.config.EngineConfig;
import org.cnemarket.engine.config.LedgerSettings;
import org.cnemarket.engine.round.RoundParameters;
import picocli.CommandLine.Option;

/** Which ledger a command talks to: serve, demo and the audits take the same options. */
final class LedgerOptions {
  @Option(
      names = "--ledger",
      defaultValue = "embedded",
      description = "embedded (default), evm or fabric")
  String ledger;

  @Option(
      names = "--chain-id",
      defaultValue = "31337",
      description = "EIP-712 chain id orders are signed for")
  long chainId;

  @Option(names = "--rpc", description = "EVM JSON-RPC URL (with --ledger evm)")
  String rpc;

  @Option(
      names = "--contract",
      description = "deployed EVM market contract address (default: deploy)")
  String contract;

  @Option(
      names = "--fabric-profile",
      description = "Fabric connection profile (with --ledger fabric)")
  Path fabricProfile;

  LedgerSettings settings() {
    return new LedgerSettings(
        ledger, chainId, rpc, contract, System.getenv("CNE_EVM_KEY"), fabricProfile);
  }

  EngineConfig config(
      Path data,
      String host,
      int port,
      String token,
      long settleMillis,
      RoundParameters mechanisms) {
    LedgerSettings l = settings();
    return new EngineConfig(
        data,
        host,
        port,
        l.ledger(),
        l.chainId(),
        token,
        l.evmRpcUrl(),
        l.evmContract(),
        l.evmKeyHex(),
        l.fabricProfile(),
        settleMillis,
        mechanisms);
  }
}
