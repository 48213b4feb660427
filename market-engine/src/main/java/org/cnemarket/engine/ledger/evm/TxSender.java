package org.cnemarket.engine.ledger.evm;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.ledger.LedgerReason;
import org.cnemarket.engine.ledger.LedgerRejectedException;
import org.cnemarket.engine.ledger.LedgerUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Sends the operator's transactions: simulates each call first (so a revert becomes a {@link
 * LedgerRejectedException} with its decoded reason and no gas is spent), estimates gas, signs a raw
 * EIP-155 transaction with a locally managed nonce, and waits for the receipt to be buried under
 * the configured number of confirmations. One transaction at a time.
 */
final class TxSender {
  private static final Logger LOG = LoggerFactory.getLogger(TxSender.class);

  private final Web3j web3j;
  private final Credentials credentials;
  private final long chainId;
  private final EvmConfig config;
  private BigInteger nextNonce;

  TxSender(Web3j web3j, Credentials credentials, long chainId, EvmConfig config) {
    this.web3j = web3j;
    this.credentials = credentials;
    this.chainId = chainId;
    this.config = config;
  }

  String from() {
    return credentials.getAddress();
  }

  /** eth_call of {@code data} against {@code to} from the operator; returns the output hex. */
  synchronized String simulate(String to, String data) throws LedgerException {
    EthCall r =
        rpc(
            "eth_call",
            () ->
                web3j
                    .ethCall(
                        Transaction.createEthCallTransaction(from(), to, data),
                        DefaultBlockParameterName.LATEST)
                    .send());
    if (r.hasError()) {
      throw rejection(r.getError());
    }
    return r.getValue();
  }

  /**
   * Waits until no transaction of the operator is pending: a crash or a timeout may have left one
   * in the node's pool, and what it does must be on the chain before anyone decides from the
   * chain's state what to send next.
   */
  synchronized void awaitNoPending() throws LedgerException {
    long deadline = System.nanoTime() + config.txTimeout().toNanos();
    while (true) {
      BigInteger latest = count(DefaultBlockParameterName.LATEST);
      BigInteger pending = count(DefaultBlockParameterName.PENDING);
      if (pending.compareTo(latest) <= 0) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new LedgerUnavailableException(
            (pending.subtract(latest))
                + " operator transaction(s) still pending after "
                + config.txTimeout(),
            null);
      }
      sleep(config.pollInterval());
    }
  }

  private BigInteger count(DefaultBlockParameterName at) throws LedgerException {
    return rpc("eth_getTransactionCount", () -> web3j.ethGetTransactionCount(from(), at).send())
        .getTransactionCount();
  }

  /** Simulates, sends and confirms a call; returns the receipt of a successful transaction. */
  synchronized TransactionReceipt send(String to, String data) throws LedgerException {
    try {
      return sendOnce(to, data);
    } catch (LedgerUnavailableException e) {
      forgetNonce();
      throw e;
    }
  }

  /**
   * After a failure the outcome of our last transactions is unknown (the node may have restarted
   * and dropped them, or come back from an older state): the next nonce is read from the chain.
   */
  private void forgetNonce() {
    nextNonce = null;
  }

  private TransactionReceipt sendOnce(String to, String data) throws LedgerException {
    if (to != null) {
      simulate(to, data);
    }
    BigInteger gasLimit = estimate(to, data);
    BigInteger gasPrice = rpc("eth_gasPrice", () -> web3j.ethGasPrice().send()).getGasPrice();
    for (int attempt = 0; ; attempt++) {
      BigInteger nonce = nonce();
      RawTransaction raw =
          to == null
              ? RawTransaction.createContractTransaction(
                  nonce, gasPrice, gasLimit, BigInteger.ZERO, data)
              : RawTransaction.createTransaction(
                  nonce, gasPrice, gasLimit, to, BigInteger.ZERO, data);
      String signed =
          Numeric.toHexString(TransactionEncoder.signMessage(raw, chainId, credentials));
      EthSendTransaction sent =
          rpc("eth_sendRawTransaction", () -> web3j.ethSendRawTransaction(signed).send());
      if (sent.hasError()) {
        String msg = sent.getError().getMessage().toLowerCase(Locale.ROOT);
        if ((msg.contains("nonce") || msg.contains("already known")) && attempt < 3) {
          // another writer used our nonce, or a crash left one pending: resynchronise and retry
          LOG.warn("nonce {} refused ({}); resynchronising", nonce, msg);
          nextNonce = null;
          continue;
        }
        if (sent.getError().getData() != null) {
          throw rejection(sent.getError());
        }
        throw new LedgerUnavailableException(
            "node refused transaction: " + sent.getError().getMessage(), null);
      }
      nextNonce = nonce.add(BigInteger.ONE);
      return confirm(sent.getTransactionHash(), to, data);
    }
  }

  /**
   * Sends many calls to {@code to} back to back with consecutive nonces, then confirms them all:
   * one round trip of confirmation waiting for the lot instead of one per call. Answers per call,
   * in order: null when it succeeded, the refusal when its simulation failed or it reverted. A
   * transport failure or a refused nonce throws: what was mined stays mined, and the caller's retry
   * skips it (every call sent here must be idempotent on the contract).
   */
  synchronized List<LedgerRejectedException> sendAll(String to, List<String> calls)
      throws LedgerException {
    try {
      return sendAllOnce(to, calls);
    } catch (LedgerUnavailableException e) {
      forgetNonce();
      throw e;
    }
  }

  private List<LedgerRejectedException> sendAllOnce(String to, List<String> calls)
      throws LedgerException {
    List<LedgerRejectedException> out = new ArrayList<>(Collections.nCopies(calls.size(), null));
    BigInteger gasPrice = rpc("eth_gasPrice", () -> web3j.ethGasPrice().send()).getGasPrice();
    String[] hashes = new String[calls.size()];
    for (int i = 0; i < calls.size(); i++) {
      String data = calls.get(i);
      BigInteger gasLimit;
      try {
        simulate(to, data);
        gasLimit = estimate(to, data);
      } catch (LedgerRejectedException e) {
        out.set(i, e);
        continue;
      }
      BigInteger nonce = nonce();
      RawTransaction raw =
          RawTransaction.createTransaction(nonce, gasPrice, gasLimit, to, BigInteger.ZERO, data);
      String signed =
          Numeric.toHexString(TransactionEncoder.signMessage(raw, chainId, credentials));
      EthSendTransaction sent =
          rpc("eth_sendRawTransaction", () -> web3j.ethSendRawTransaction(signed).send());
      if (sent.hasError()) {
        nextNonce = null;
        throw new LedgerUnavailableException(
            "node refused transaction: " + sent.getError().getMessage(), null);
      }
      nextNonce = nonce.add(BigInteger.ONE);
      hashes[i] = sent.getTransactionHash();
    }
    for (int i = 0; i < calls.size(); i++) {
      if (hashes[i] != null) {
        try {
          confirm(hashes[i], to, calls.get(i));
        } catch (LedgerRejectedException e) {
          out.set(i, e);
        }
      }
    }
    return out;
  }

  private BigInteger estimate(String to, String data) throws LedgerException {
    Transaction tx =
        Transaction.createFunctionCallTransaction(
            from(), null, null, null, to, BigInteger.ZERO, data);
    EthEstimateGas est = rpc("eth_estimateGas", () -> web3j.ethEstimateGas(tx).send());
    if (est.hasError()) {
      throw rejection(est.getError());
    }
    BigInteger g = est.getAmountUsed();
    return g.add(
            g.multiply(BigInteger.valueOf(config.gasMarginBps()))
                .divide(BigInteger.valueOf(10_000)))
        .add(BigInteger.valueOf(10_000));
  }

  private BigInteger nonce() throws LedgerException {
    if (nextNonce == null) {
      nextNonce =
          rpc(
                  "eth_getTransactionCount",
                  () ->
                      web3j
                          .ethGetTransactionCount(from(), DefaultBlockParameterName.PENDING)
                          .send())
              .getTransactionCount();
    }
    return nextNonce;
  }

  private TransactionReceipt confirm(String txHash, String to, String data) throws LedgerException {
    long deadline = System.nanoTime() + config.txTimeout().toNanos();
    TransactionReceipt receipt = null;
    while (true) {
      if (receipt == null) {
        Optional<TransactionReceipt> r =
            rpc("eth_getTransactionReceipt", () -> web3j.ethGetTransactionReceipt(txHash).send())
                .getTransactionReceipt();
        receipt = r.orElse(null);
      }
      if (receipt != null) {
        long head =
            rpc("eth_blockNumber", () -> web3j.ethBlockNumber().send())
                .getBlockNumber()
                .longValueExact();
        long depth = head - receipt.getBlockNumber().longValueExact() + 1;
        if (depth >= config.confirmations()) {
          break;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new LedgerUnavailableException(
            "transaction "
                + txHash
                + " not confirmed within "
                + config.txTimeout()
                + (receipt == null
                    ? " (no receipt)"
                    : " (" + config.confirmations() + " confirmations)"),
            null);
      }
      sleep(config.pollInterval());
    }
    if (!receipt.isStatusOK()) {
      // re-run the call to learn the reason (state may have changed since the simulation)
      if (to != null) {
        simulate(to, data);
      }
      throw new LedgerRejectedException(
          LedgerReason.INVALID, "transaction " + txHash + " reverted");
    }
    return receipt;
  }

  static LedgerRejectedException rejection(Response.Error error) {
    return RevertDecoder.decode(error.getData(), error.getMessage());
  }

  interface RpcCall<T> {
    T call() throws IOException;
  }

  /** Runs one JSON-RPC call; transport failures become {@link LedgerUnavailableException}. */
  static <T> T rpc(String what, RpcCall<T> call) throws LedgerUnavailableException {
    try {
      return call.call();
    } catch (IOException | RuntimeException e) {
      throw new LedgerUnavailableException(what + " failed: " + e.getMessage(), e);
    }
  }

  private static void sleep(Duration d) throws LedgerUnavailableException {
    try {
      Thread.sleep(Math.max(1, d.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerUnavailableException("interrupted while waiting for confirmation", e);
    }
  }
}
