package org.cnemarket.engine.ledger.evm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach and use an EVM ledger.
 *
 * @param rpcUrl JSON-RPC endpoint (http)
 * @param operatorPrivateKeyHex the engine's key; holds OPERATOR_ROLE on the market contract
 * @param marketAddress the deployed CneMarket to attach to; empty = deploy a fresh set
 * @param confirmations blocks a receipt must be buried under (1 = included)
 * @param rpcTimeout deadline of one JSON-RPC call
 * @param txTimeout deadline for a transaction to reach {@code confirmations}
 * @param pollInterval how often receipts and heads are polled
 * @param gasMarginBps added to the node's gas estimate, in basis points
 * @param logBlockRange most blocks asked for in one eth_getLogs call
 */
public record EvmConfig(
    String rpcUrl,
    String operatorPrivateKeyHex,
    Optional<String> marketAddress,
    int confirmations,
    Duration rpcTimeout,
    Duration txTimeout,
    Duration pollInterval,
    int gasMarginBps,
    long logBlockRange) {

  public EvmConfig {
    Objects.requireNonNull(rpcUrl, "rpcUrl");
    Objects.requireNonNull(operatorPrivateKeyHex, "operatorPrivateKeyHex");
    Objects.requireNonNull(marketAddress, "marketAddress");
    Objects.requireNonNull(rpcTimeout, "rpcTimeout");
    Objects.requireNonNull(txTimeout, "txTimeout");
    Objects.requireNonNull(pollInterval, "pollInterval");
    if (confirmations < 1) {
      throw new IllegalArgumentException("confirmations must be at least 1");
    }
    if (gasMarginBps < 0 || logBlockRange < 1) {
      throw new IllegalArgumentException("gasMarginBps must be >= 0 and logBlockRange >= 1");
    }
  }

  /** Defaults: deploy a new market, 1 confirmation, 10 s RPC and 60 s transaction deadlines. */
  public static EvmConfig of(String rpcUrl, String operatorPrivateKeyHex) {
    return new EvmConfig(
        rpcUrl,
        operatorPrivateKeyHex,
        Optional.empty(),
        1,
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        Duration.ofMillis(50),
        2_000,
        10_000);
  }

  public EvmConfig withMarketAddress(String address) {
    return new EvmConfig(
        rpcUrl,
        operatorPrivateKeyHex,
        Optional.of(address),
        confirmations,
        rpcTimeout,
        txTimeout,
        pollInterval,
        gasMarginBps,
        logBlockRange);
  }

  public EvmConfig withConfirmations(int n) {
    return new EvmConfig(
        rpcUrl,
        operatorPrivateKeyHex,
        marketAddress,
        n,
        rpcTimeout,
        txTimeout,
        pollInterval,
        gasMarginBps,
        logBlockRange);
  }

  public EvmConfig withTimeouts(Duration rpc, Duration tx) {
    return new EvmConfig(
        rpcUrl,
        operatorPrivateKeyHex,
        marketAddress,
        confirmations,
        rpc,
        tx,
        pollInterval,
        gasMarginBps,
        logBlockRange);
  }

  /**
   * Reads {@code rpc} (required), {@code operator-key} (required), {@code market}, {@code
   * confirmations}, {@code rpc-timeout-ms} and {@code tx-timeout-ms}: the options behind {@code
   * --ledger evm --rpc URL ...} and the {@code CNE_EVM_*} environment variables.
   */
  public static EvmConfig fromOptions(Map<String, String> options) {
    String rpc = options.get("rpc");
    String key = options.get("operator-key");
    if (rpc == null || rpc.isBlank()) {
      throw new IllegalArgumentException("--ledger evm needs --rpc URL");
    }
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException(
          "--ledger evm needs --operator-key HEX (the operator's private key)");
    }
    EvmConfig c = of(rpc, key);
    String market = options.get("market");
    if (market != null && !market.isBlank()) {
      c = c.withMarketAddress(market);
    }
    String conf = options.get("confirmations");
    if (conf != null) {
      c = c.withConfirmations(Integer.parseInt(conf));
    }
    String rpcMs = options.get("rpc-timeout-ms");
    String txMs = options.get("tx-timeout-ms");
    if (rpcMs != null || txMs != null) {
      c =
          c.withTimeouts(
              rpcMs == null ? c.rpcTimeout() : Duration.ofMillis(Long.parseLong(rpcMs)),
              txMs == null ? c.txTimeout() : Duration.ofMillis(Long.parseLong(txMs)));
    }
    return c;
  }

  /**
   * The same options from environment variables: {@code CNE_EVM_RPC}, {@code CNE_EVM_OPERATOR_KEY},
   * {@code CNE_EVM_MARKET}, {@code CNE_EVM_CONFIRMATIONS}, {@code CNE_EVM_RPC_TIMEOUT_MS}, {@code
   * CNE_EVM_TX_TIMEOUT_MS} (pass {@code System.getenv()}).
   */
  public static EvmConfig fromEnvironment(Map<String, String> env) {
    Map<String, String> options = new HashMap<>();
    for (String key :
        new String[] {
          "rpc", "operator-key", "market", "confirmations", "rpc-timeout-ms", "tx-timeout-ms"
        }) {
      String value = env.get("CNE_EVM_" + key.replace('-', '_').toUpperCase(Locale.ROOT));
      if (value != null) {
        options.put(key, value);
      }
    }
    return fromOptions(options);
  }

  @Override
  public String toString() {
    return "EvmConfig[rpcUrl="
        + rpcUrl
        + ", market="
        + marketAddress.orElse("(deploy)")
        + ", confirmations="
        + confirmations
        + "]";
  }

  /** Where a file-based cursor store may live next to other engine data. */
  public static Path defaultCursorFile(Path dataDir) {
    return dataDir.resolve("evm-event-cursor");
  }
}
