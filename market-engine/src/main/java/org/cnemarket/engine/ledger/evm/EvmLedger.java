package org.cnemarket.engine.ledger.evm;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.cnemarket.contracts.ContractStructs;
import org.cnemarket.contracts.generated.CneCertificate;
import org.cnemarket.contracts.generated.CneCredit;
import org.cnemarket.contracts.generated.CneMarket;
import org.cnemarket.core.codec.PackedOrders;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.crypto.Signature;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Participant;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Trade;
import org.cnemarket.core.model.Units;
import org.cnemarket.engine.ledger.Balance;
import org.cnemarket.engine.ledger.BatchRecord;
import org.cnemarket.engine.ledger.CertificateBalance;
import org.cnemarket.engine.ledger.DeliveryReceipt;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.LedgerEvent;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.ledger.LedgerReason;
import org.cnemarket.engine.ledger.LedgerRejectedException;
import org.cnemarket.engine.ledger.LedgerStatus;
import org.cnemarket.engine.ledger.LedgerUnavailableException;
import org.cnemarket.engine.ledger.OrderAcceptance;
import org.cnemarket.engine.ledger.Reputation;
import org.cnemarket.engine.ledger.SettlementReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.Utils;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.DefaultBlockParameterNumber;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.StaticGasProvider;

/**
 * The ledger port on an EVM chain. Connect with {@link #connect(EvmConfig)}: it deploys a fresh
 * CneCredit / CneCertificate / CneMarket set, or attaches to the market at {@link
 * EvmConfig#marketAddress()}. Every mutating call first checks the chain's state for its natural id
 * (so resubmitting after a crash or a timeout applies nothing twice), then simulates, signs and
 * confirms one transaction. Reverts become {@link LedgerRejectedException} with the port's reason
 * code; transport failures and deadlines become {@link LedgerUnavailableException}.
 *
 * <p>Orders go on in batches ({@code acceptOrderBatch}): the packed signed orders travel as
 * calldata, the chain stores their hash and locks one net escrow per account. The chain keeps no
 * per-order state, so this adapter checks signatures and nonces itself before it sends, and answers
 * which orders are accepted from the chain's history ({@link AcceptedOrders}).
 *
 * <p>Settlement is root-only: the chain gets the batch's root, trade count and hashes, plus one net
 * credit movement per account; the trades stay with the engine and are proven against the root.
 * This adapter checks what the contract does not see (root, order signatures, per-order escrow)
 * before it submits.
 */
public final class EvmLedger implements Ledger {
  private static final Logger LOG = LoggerFactory.getLogger(EvmLedger.class);
  private static final long CURSOR_BLOCK = 1_000_000L;

  private final EvmConfig config;
  private final Web3j web3j;
  private final TxSender tx;
  private final long chainId;
  private final CneMarket market;
  private final CneCredit credit;
  private final CneCertificate certificate;
  private final Eip712.Domain domain;
  private final EventDecoder events;
  private final AcceptedOrders accepted;
  private final AcceptedOrders.Chain chain;

  /**
   * Orders per acceptOrderBatch transaction: 400 packed orders are 56 KB of calldata, well inside
   * the transaction size nodes relay (128 KB) and a block's gas.
   */
  static final int ORDERS_PER_BATCH = 400;

  private EvmLedger(EvmConfig config, Web3j web3j, TxSender tx, long chainId, String marketAddress)
      throws LedgerException {
    this.config = config;
    this.web3j = web3j;
    this.tx = tx;
    this.chainId = chainId;
    ReadonlyTransactionManager ro = new ReadonlyTransactionManager(web3j, tx.from());
    StaticGasProvider gas = new StaticGasProvider(BigInteger.ZERO, BigInteger.ZERO);
    this.market = CneMarket.load(marketAddress, web3j, ro, gas);
    this.credit = CneCredit.load(view(market.credit()), web3j, ro, gas);
    this.certificate = CneCertificate.load(view(market.certificate()), web3j, ro, gas);
    this.domain = Eip712.Domain.cne(chainId, marketAddress.toLowerCase(Locale.ROOT));
    this.accepted =
        new AcceptedOrders(
            domain,
            Hex.encode(Arrays.copyOf(Keccak.hash("acceptOrderBatch(bytes32,bytes)"), 4)),
            config.logBlockRange());
    this.events = new EventDecoder(accepted);
    this.chain =
        new AcceptedOrders.Chain() {
          @Override
          public long head() throws LedgerException {
            return TxSender.rpc("eth_blockNumber", () -> web3j.ethBlockNumber().send())
                .getBlockNumber()
                .longValueExact();
          }

          @Override
          public List<Log> batchLogs(long fromBlock, long toBlock) throws LedgerException {
            return logs(fromBlock, toBlock, events.topicOf("OrdersAccepted"), null);
          }

          @Override
          public String input(String txHash) throws LedgerException {
            return TxSender.rpc(
                    "eth_getTransactionByHash", () -> web3j.ethGetTransactionByHash(txHash).send())
                .getTransaction()
                .orElseThrow(
                    () ->
                        new LedgerUnavailableException(
                            "transaction " + txHash + " of an order batch is not served", null))
                .getInput();
          }
        };
  }

  /** Connects to the node, then deploys a new contract set or attaches to a deployed market. */
  public static EvmLedger connect(EvmConfig config) throws LedgerException {
    OkHttpClient http =
        new OkHttpClient.Builder()
            .callTimeout(config.rpcTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .connectTimeout(config.rpcTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .readTimeout(config.rpcTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .build();
    Web3j web3j = Web3j.build(new HttpService(config.rpcUrl(), http));
    try {
      long chainId =
          TxSender.rpc("eth_chainId", () -> web3j.ethChainId().send())
              .getChainId()
              .longValueExact();
      Credentials operator = Credentials.create(config.operatorPrivateKeyHex());
      TxSender tx = new TxSender(web3j, operator, chainId, config);
      String marketAddress =
          config.marketAddress().isPresent()
              ? attach(web3j, config.marketAddress().get())
              : deploy(tx);
      EvmLedger ledger = new EvmLedger(config, web3j, tx, chainId, marketAddress);
      LOG.info("EVM ledger on chain {} at market {}", chainId, marketAddress);
      return ledger;
    } catch (LedgerException | RuntimeException e) {
      web3j.shutdown();
      throw e;
    }
  }

  private static String attach(Web3j web3j, String address) throws LedgerException {
    String code =
        TxSender.rpc(
                "eth_getCode",
                () -> web3j.ethGetCode(address, DefaultBlockParameterName.LATEST).send())
            .getCode();
    if (code == null || code.equals("0x")) {
      throw new LedgerRejectedException(
          LedgerReason.NOT_FOUND, "no contract at market address " + address);
    }
    return address;
  }

  private static String deploy(TxSender tx) throws LedgerException {
    String admin = tx.from();
    String creditAddr =
        tx.send(
                null,
                CneCredit.BINARY + FunctionEncoder.encodeConstructor(List.of(new Address(admin))))
            .getContractAddress();
    String certAddr =
        tx.send(
                null,
                CneCertificate.BINARY
                    + FunctionEncoder.encodeConstructor(List.of(new Address(admin))))
            .getContractAddress();
    String marketAddr =
        tx.send(
                null,
                CneMarket.BINARY
                    + FunctionEncoder.encodeConstructor(
                        List.of(
                            new Address(admin), new Address(creditAddr), new Address(certAddr))))
            .getContractAddress();
    byte[] marketRole = Keccak.hash("MARKET_ROLE");
    tx.send(creditAddr, encodeGrant(marketRole, marketAddr));
    tx.send(certAddr, encodeGrant(marketRole, marketAddr));
    LOG.info(
        "deployed CneCredit {}, CneCertificate {}, CneMarket {}", creditAddr, certAddr, marketAddr);
    return marketAddr;
  }

  private static String encodeGrant(byte[] role, String account) {
    return FunctionEncoder.encode(
        new Function("grantRole", List.of(new Bytes32(role), new Address(account)), List.of()));
  }

  // ------------------------------------------------------------------ identity

  /** The market contract's address (lower-case). */
  public String marketAddress() {
    return domain.verifyingContract();
  }

  public String creditAddress() {
    return credit.getContractAddress();
  }

  public String certificateAddress() {
    return certificate.getContractAddress();
  }

  public long chainId() {
    return chainId;
  }

  /**
   * The EIP-712 domain participants sign under: "CNE Market", "1", this chain, the market contract.
   */
  public Eip712.Domain domain() {
    return domain;
  }

  /** The operator's address (holds OPERATOR_ROLE). */
  public String operatorAddress() {
    return tx.from().toLowerCase(Locale.ROOT);
  }

  public EvmConfig config() {
    return config;
  }

  @Override
  public String backend() {
    return "evm";
  }

  @Override
  public LedgerStatus status() throws LedgerException {
    long height =
        TxSender.rpc("eth_blockNumber", () -> web3j.ethBlockNumber().send())
            .getBlockNumber()
            .longValueExact();
    return new LedgerStatus("evm", height, "chainId=" + chainId + " market=" + marketAddress());
  }

  // ------------------------------------------------------------------ participants and credits

  @Override
  public void register(Registration r) throws LedgerException {
    Optional<Participant> existing = participant(r.account());
    if (existing.isPresent()
        && existing.get().role() == r.role()
        && existing.get().name().equals(r.name())) {
      return;
    }
    send(
        market.getContractAddress(),
        market.register(
            r.account(),
            BigInteger.valueOf(r.role().code()),
            r.name(),
            ContractStructs.uint64(r.nonce()),
            r.signature().toBytes()));
  }

  @Override
  public Optional<Participant> participant(String address) throws LedgerException {
    requireAddress(address);
    var p = view(market.participantOf(address));
    int role = p.component1().intValueExact();
    if (role == 0) {
      return Optional.empty();
    }
    return Optional.of(
        new Participant(address.toLowerCase(Locale.ROOT), Role.ofCode(role), p.component2()));
  }

  @Override
  public void deposit(String depositId, String account, long amountMicros) throws LedgerException {
    requireAddress(account);
    if (amountMicros <= 0) {
      throw new LedgerRejectedException(LedgerReason.INVALID, "deposit amount must be positive");
    }
    send(
        market.getContractAddress(),
        market.deposit(id32(depositId), account, BigInteger.valueOf(amountMicros)));
  }

  @Override
  public Balance balance(String account) throws LedgerException {
    requireAddress(account);
    long available = view(credit.balanceOf(account)).longValueExact();
    long escrow = view(credit.escrowOf(account)).longValueExact();
    return new Balance(account.toLowerCase(Locale.ROOT), available, escrow);
  }

  // ------------------------------------------------------------------ orders

  /** Accepts one order: a batch of one (see {@link #acceptOrders}). */
  @Override
  public void acceptOrder(SignedOrder order) throws LedgerException {
    OrderAcceptance a = acceptOrders(List.of(order)).get(0);
    if (!a.onLedger()) {
      throw new LedgerRejectedException(a.reason(), a.message());
    }
  }

  /**
   * Accepts orders in batches of up to {@link #ORDERS_PER_BATCH}, one {@code acceptOrderBatch}
   * transaction each. The contract checks each trader's role against the kinds it places and locks
   * one net escrow per account; it does not check signatures or nonces, so this adapter does that
   * first and sends only orders that pass (the others are refused one by one, as the port
   * requires). Orders the chain holds already are answered ALREADY_ACCEPTED and not sent again.
   */
  @Override
  public List<OrderAcceptance> acceptOrders(List<SignedOrder> orders) throws LedgerException {
    // What a crash left in the node's pool lands first, so the index below sees it.
    tx.awaitNoPending();
    accepted.refresh(chain);
    List<OrderAcceptance> out =
        new ArrayList<>(Collections.nCopies(orders.size(), (OrderAcceptance) null));
    Map<String, Optional<Role>> roles = new HashMap<>();
    Map<String, long[]> available = new HashMap<>();
    Map<String, String> nonces = new HashMap<>();
    Map<String, Integer> firstById = new HashMap<>();
    List<Integer> toSend = new ArrayList<>();
    List<String> ids = new ArrayList<>(orders.size());
    for (int i = 0; i < orders.size(); i++) {
      SignedOrder so = orders.get(i);
      ids.add(null);
      try {
        so.order().validate();
      } catch (IllegalArgumentException e) {
        out.set(i, OrderAcceptance.refused(LedgerReason.INVALID, "order: " + e.getMessage()));
        continue;
      }
      String id = so.id(domain);
      ids.set(i, id);
      if (accepted.order(id).isPresent() || firstById.containsKey(id)) {
        out.set(i, OrderAcceptance.ALREADY);
        continue;
      }
      OrderAcceptance refusal = precheck(so, id, roles, available, nonces);
      if (refusal != null) {
        out.set(i, refusal);
        continue;
      }
      firstById.put(id, i);
      toSend.add(i);
    }
    // Grouped by trader before they are cut into batches, so an account gets one escrow lock for
    // the lot rather than one in every batch.
    toSend.sort(Comparator.comparing(k -> orders.get(k).order().trader()));
    for (int from = 0; from < toSend.size(); from += ORDERS_PER_BATCH) {
      List<Integer> chunk = toSend.subList(from, Math.min(toSend.size(), from + ORDERS_PER_BATCH));
      List<SignedOrder> batch = new ArrayList<>(chunk.size());
      chunk.forEach(k -> batch.add(orders.get(k)));
      try {
        sendBatch(batch);
        chunk.forEach(k -> out.set(k, OrderAcceptance.ACCEPTED));
      } catch (LedgerRejectedException e) {
        // The checks above passed, so the chain changed meanwhile: answer each order on its own.
        LOG.warn(
            "order batch of {} refused ({}); accepting one by one", batch.size(), e.getMessage());
        for (int k : chunk) {
          try {
            sendBatch(List.of(orders.get(k)));
            out.set(k, OrderAcceptance.ACCEPTED);
          } catch (LedgerRejectedException one) {
            out.set(k, OrderAcceptance.refused(one.reason(), one.getMessage()));
          }
        }
      }
    }
    return out;
  }

  /**
   * The per-order checks the contract leaves to the operator (signature, nonce) and the ones it
   * makes per account (role, credits), so one bad order does not refuse its whole batch. Null when
   * the order may be sent; {@code available} and {@code nonces} then count it.
   */
  private OrderAcceptance precheck(
      SignedOrder so,
      String id,
      Map<String, Optional<Role>> roles,
      Map<String, long[]> available,
      Map<String, String> nonces)
      throws LedgerException {
    Order o = so.order();
    if (!so.verify(domain)) {
      return OrderAcceptance.refused(
          LedgerReason.SIGNATURE, "order is not signed by its trader " + o.trader());
    }
    Optional<Role> role = roles.get(o.trader());
    if (role == null) {
      role = participant(o.trader()).map(Participant::role);
      roles.put(o.trader(), role);
    }
    if (role.isEmpty()) {
      return OrderAcceptance.refused(
          LedgerReason.UNKNOWN_PARTICIPANT, "unknown participant " + o.trader());
    }
    if (role.get() != o.kind().requiredRole()) {
      return OrderAcceptance.refused(
          LedgerReason.ROLE, o.trader() + " is " + role.get() + " and may not place " + o.kind());
    }
    String key = AcceptedOrders.traderNonce(so);
    Optional<String> holder = accepted.nonceHolder(so);
    if ((holder.isPresent() && !holder.get().equals(id))
        || (nonces.containsKey(key) && !nonces.get(key).equals(id))) {
      return OrderAcceptance.refused(
          LedgerReason.NONCE,
          "nonce " + Long.toUnsignedString(o.nonce()) + " of " + o.trader() + " is used");
    }
    if (o.kind().side() == OrderKind.Side.BUY) {
      long cost = Units.maxCostMicros(o.quantity(), o.priceMicros());
      long[] left = available.get(o.trader());
      if (left == null) {
        left = new long[] {view(credit.balanceOf(o.trader())).longValueExact()};
        available.put(o.trader(), left);
      }
      if (left[0] < cost) {
        return OrderAcceptance.refused(
            LedgerReason.OVERDRAFT,
            o.trader() + " needs " + cost + " micro-credits, has " + left[0]);
      }
      left[0] -= cost;
    }
    nonces.put(key, id);
    return null;
  }

  /** Sends one acceptOrderBatch (grouped by trader as the contract requires) and indexes it. */
  private void sendBatch(List<SignedOrder> orders) throws LedgerException {
    List<SignedOrder> sorted = PackedOrders.sortedByTrader(orders);
    byte[] packed = PackedOrders.pack(sorted);
    byte[] batchId = AcceptedOrders.batchId(packed);
    TransactionReceipt r =
        send(market.getContractAddress(), market.acceptOrderBatch(batchId, packed));
    accepted.add(Hex.encode(batchId), sorted, r.getTransactionHash());
  }

  /** True when an order batch the market accepted holds the order with this id. */
  @Override
  public boolean orderAccepted(String orderId) throws LedgerException {
    accepted.refresh(chain);
    return accepted.order(Hex.encode(Hex.decode(orderId, 32))).isPresent();
  }

  /** The accepted order batch holding this order, if any (0x-hex batch id). */
  public Optional<String> orderBatch(String orderId) throws LedgerException {
    accepted.refresh(chain);
    return accepted
        .order(Hex.encode(Hex.decode(orderId, 32)))
        .map(AcceptedOrders.Accepted::batchId);
  }

  /**
   * Checks an accepted order's signature in the contract itself, as any auditor can: simulates
   * {@code challengeOrder} on its batch's data (read back from the chain). True when the contract
   * finds the order signed by its trader (the challenge would fail), false when the challenge would
   * mark the batch as faulted.
   */
  public boolean orderSignatureHoldsOnChain(String orderId) throws LedgerException {
    accepted.refresh(chain);
    AcceptedOrders.Accepted a =
        accepted
            .order(Hex.encode(Hex.decode(orderId, 32)))
            .orElseThrow(
                () -> new LedgerRejectedException(LedgerReason.NOT_FOUND, "order " + orderId));
    String txHash =
        accepted
            .batchTx(a.batchId())
            .orElseThrow(
                () -> new LedgerRejectedException(LedgerReason.NOT_FOUND, "batch " + a.batchId()));
    byte[] data = accepted.batchData(chain.input(txHash));
    String call =
        market
            .challengeOrder(
                Hex.decode(a.batchId(), 32),
                data,
                BigInteger.valueOf(accepted.batchOrderIds(a.batchId()).indexOf(a.orderId())))
            .encodeFunctionCall();
    try {
      tx.simulate(market.getContractAddress(), call);
      return false;
    } catch (LedgerRejectedException e) {
      if (e.getMessage().contains("signed by its trader")) {
        return true;
      }
      throw e;
    }
  }

  // ------------------------------------------------------------------ settlement

  @Override
  public SettlementReceipt settle(SettlementBatch batch) throws LedgerException {
    return settle(batch, RecordCodec.toJson(batch));
  }

  @Override
  public SettlementReceipt settle(SettlementBatch batch, String batchJson) throws LedgerException {
    byte[] batchId = hash32(batch.batchId(), "batchId");
    byte[] root = hash32(batch.merkleRoot(), "merkleRoot");
    if (!batch.computedRoot().equalsIgnoreCase(batch.merkleRoot())) {
      throw new LedgerRejectedException(
          LedgerReason.ROOT_MISMATCH,
          "batch "
              + batch.batchId()
              + " root "
              + batch.merkleRoot()
              + " is not its trades' root "
              + batch.computedRoot());
    }
    byte[] dataHash = Keccak.hash(batchJson.getBytes(StandardCharsets.UTF_8));
    CneMarket.Batch stored = view(market.batchOf(batchId));
    if (stored.blockNumber.signum() != 0) {
      if (Arrays.equals(stored.merkleRoot, root) && Arrays.equals(stored.dataHash, dataHash)) {
        return new SettlementReceipt(
            batch.batchId(),
            settlementTx(batchId, stored.blockNumber.longValueExact()),
            stored.blockNumber.longValueExact(),
            true);
      }
      throw new LedgerRejectedException(
          LedgerReason.BATCH_CONFLICT,
          "batch id " + batch.batchId() + " is settled with other content");
    }
    List<CneMarket.Movement> moves = SettlementPlanner.plan(batch, domain, this::lockedMicros);
    CneMarket.BatchHeader header =
        new CneMarket.BatchHeader(
            batchId,
            BigInteger.valueOf(batch.round()),
            BigInteger.valueOf(batch.slot()),
            BigInteger.valueOf(batch.tradeCount()),
            root,
            hash32(batch.inputsHash(), "inputsHash"),
            hash32(batch.outputsHash(), "outputsHash"),
            dataHash);
    TransactionReceipt r = send(market.getContractAddress(), market.settleBatch(header, moves));
    boolean settledNow =
        r.getLogs().stream()
            .anyMatch(
                l ->
                    !l.getTopics().isEmpty()
                        && l.getTopics().get(0).equals(events.topicOf("BatchSettled")));
    if (!settledNow) {
      // someone settled the same batch between our check and our transaction
      CneMarket.Batch again = view(market.batchOf(batchId));
      long block = again.blockNumber.longValueExact();
      return new SettlementReceipt(batch.batchId(), settlementTx(batchId, block), block, true);
    }
    return new SettlementReceipt(
        batch.batchId(), r.getTransactionHash(), r.getBlockNumber().longValueExact(), false);
  }

  /** Gas used by the settlement transaction of a batch (for benchmarks), from its receipt. */
  public long gasUsed(String txHash) throws LedgerException {
    return TxSender.rpc(
            "eth_getTransactionReceipt", () -> web3j.ethGetTransactionReceipt(txHash).send())
        .getTransactionReceipt()
        .orElseThrow(
            () -> new LedgerRejectedException(LedgerReason.NOT_FOUND, "no receipt for " + txHash))
        .getGasUsed()
        .longValueExact();
  }

  /** What the order locked when its batch was accepted, or -1 when no accepted batch holds it. */
  private long lockedMicros(String orderId) throws LedgerException {
    accepted.refresh(chain);
    return accepted
        .order(orderId.toLowerCase(Locale.ROOT))
        .map(AcceptedOrders.Accepted::lockedMicros)
        .orElse(-1L);
  }

  private String settlementTx(byte[] batchId, long block) throws LedgerException {
    List<Log> logs = logs(block, block, events.topicOf("BatchSettled"), Hex.encode(batchId));
    return logs.isEmpty() ? "" : logs.get(0).getTransactionHash();
  }

  @Override
  public Optional<BatchRecord> batch(String batchId) throws LedgerException {
    byte[] id = hash32(batchId, "batchId");
    CneMarket.Batch b = view(market.batchOf(id));
    if (b.blockNumber.signum() == 0) {
      return Optional.empty();
    }
    long block = b.blockNumber.longValueExact();
    return Optional.of(
        new BatchRecord(
            Hex.encode(id),
            b.round.longValueExact(),
            b.slot.longValueExact(),
            Hex.encode(b.merkleRoot),
            Hex.encode(b.inputsHash),
            Hex.encode(b.outputsHash),
            b.tradeCount.longValueExact(),
            settlementTx(id, block)));
  }

  /** Checks a trade's Merkle proof against the root stored on-chain, in the contract itself. */
  public boolean verifyTrade(String batchId, Trade trade, List<byte[]> proof)
      throws LedgerException {
    return view(
        market.verifyTrade(hash32(batchId, "batchId"), proof, ContractStructs.trade(trade)));
  }

  // ------------------------------------------------------------------ delivery and certificates

  @Override
  public DeliveryReceipt reportDelivery(
      String batchId, Trade trade, List<byte[]> proof, long deliveredQuantity)
      throws LedgerException {
    if (deliveredQuantity < 0) {
      throw new LedgerRejectedException(
          LedgerReason.INVALID, "delivered quantity must not be negative");
    }
    RemoteFunctionCall<TransactionReceipt> call =
        market.reportDelivery(
            hash32(batchId, "batchId"),
            ContractStructs.trade(trade),
            proof,
            BigInteger.valueOf(deliveredQuantity));
    String out = tx.simulate(market.getContractAddress(), call.encodeFunctionCall());
    List<TypeReference<?>> outputs =
        List.of(new TypeReference<Uint64>() {}, new TypeReference<Bool>() {});
    var res = FunctionReturnDecoder.decode(out, Utils.convert(outputs));
    if ((Boolean) res.get(1).getValue()) {
      CneMarket.Delivery d = view(market.deliveryOf(Hex.decode(trade.tradeId(), 32)));
      return new DeliveryReceipt(
          trade.tradeId(),
          d.deliveredQuantity.longValueExact(),
          d.certifiedWh.longValueExact(),
          true);
    }
    send(market.getContractAddress(), call);
    CneMarket.Delivery d = view(market.deliveryOf(Hex.decode(trade.tradeId(), 32)));
    return new DeliveryReceipt(
        trade.tradeId(),
        d.deliveredQuantity.longValueExact(),
        d.certifiedWh.longValueExact(),
        false);
  }

  @Override
  public Reputation reputation(String provider) throws LedgerException {
    requireAddress(provider);
    CneMarket.Reputation r = view(market.reputationOf(provider));
    return new Reputation(
        provider.toLowerCase(Locale.ROOT),
        r.committed.longValueExact(),
        r.delivered.longValueExact(),
        r.successes.longValueExact(),
        r.failures.longValueExact());
  }

  @Override
  public CertificateBalance certificates(String holder, long slot) throws LedgerException {
    requireAddress(holder);
    BigInteger s = BigInteger.valueOf(slot);
    return new CertificateBalance(
        holder.toLowerCase(Locale.ROOT),
        slot,
        view(certificate.balanceOf(holder, s)).longValueExact(),
        view(certificate.retiredOf(holder, s)).longValueExact());
  }

  @Override
  public void transferCertificates(
      String from, String to, long slot, long amountWh, long nonce, Signature signature)
      throws LedgerException {
    requireAddress(from);
    requireAddress(to);
    requireNonNegative(slot, amountWh);
    send(
        market.getContractAddress(),
        market.transferCertificates(
            from,
            to,
            BigInteger.valueOf(slot),
            BigInteger.valueOf(amountWh),
            ContractStructs.uint64(nonce),
            signature.toBytes()));
  }

  @Override
  public void retireCertificates(
      String holder, long slot, long amountWh, long nonce, Signature signature)
      throws LedgerException {
    requireAddress(holder);
    requireNonNegative(slot, amountWh);
    send(
        market.getContractAddress(),
        market.retireCertificates(
            holder,
            BigInteger.valueOf(slot),
            BigInteger.valueOf(amountWh),
            ContractStructs.uint64(nonce),
            signature.toBytes()));
  }

  // ------------------------------------------------------------------ events

  @Override
  public List<LedgerEvent> events(long cursor, int max) throws LedgerException {
    if (max <= 0) {
      return List.of();
    }
    long head = confirmedHead();
    accepted.refresh(chain);
    long from = cursor < 0 ? 0 : cursor / CURSOR_BLOCK;
    List<LedgerEvent> out = new ArrayList<>();
    while (from <= head && out.size() < max) {
      long to = Math.min(head, from + config.logBlockRange() - 1);
      for (Log l : logs(from, to, null, null)) {
        Optional<LedgerEvent> e =
            events.decode(
                l,
                l.getBlockNumber().longValueExact() * CURSOR_BLOCK
                    + l.getLogIndex().longValueExact());
        if (e.isPresent() && e.get().cursor() > cursor) {
          out.add(e.get());
          if (out.size() == max) {
            break;
          }
        }
      }
      from = to + 1;
    }
    return out;
  }

  private long confirmedHead() throws LedgerException {
    long head =
        TxSender.rpc("eth_blockNumber", () -> web3j.ethBlockNumber().send())
            .getBlockNumber()
            .longValueExact();
    return head - (config.confirmations() - 1);
  }

  private List<Log> logs(long fromBlock, long toBlock, String topic0, String topic1)
      throws LedgerException {
    EthFilter f =
        new EthFilter(
            new DefaultBlockParameterNumber(fromBlock),
            new DefaultBlockParameterNumber(toBlock),
            market.getContractAddress());
    if (topic0 != null) {
      f.addSingleTopic(topic0);
      if (topic1 != null) {
        f.addSingleTopic(topic1);
      }
    }
    EthLog r = TxSender.rpc("eth_getLogs", () -> web3j.ethGetLogs(f).send());
    if (r.hasError()) {
      throw new LedgerUnavailableException(
          "eth_getLogs failed: " + r.getError().getMessage(), null);
    }
    List<Log> out = new ArrayList<>();
    for (EthLog.LogResult<?> lr : r.getLogs()) {
      if (lr.get() instanceof Log l) {
        out.add(l);
      }
    }
    return out;
  }

  @Override
  public void close() {
    web3j.shutdown();
  }

  // ------------------------------------------------------------------ helpers

  private TransactionReceipt send(String to, RemoteFunctionCall<TransactionReceipt> call)
      throws LedgerException {
    return tx.send(to, call.encodeFunctionCall());
  }

  private static <T> T view(RemoteFunctionCall<T> call) throws LedgerException {
    try {
      return call.send();
    } catch (Exception e) {
      throw new LedgerUnavailableException("contract read failed: " + e.getMessage(), e);
    }
  }

  /** A 32-byte id: 0x-hex of 32 bytes as is, any other string by its keccak256. */
  static byte[] id32(String id) throws LedgerRejectedException {
    if (id == null || id.isEmpty()) {
      throw new LedgerRejectedException(LedgerReason.INVALID, "id is empty");
    }
    return Hex.isHex(id, 32) ? Hex.decode(id, 32) : Keccak.hash(id);
  }

  private static byte[] hash32(String hex, String what) throws LedgerRejectedException {
    if (hex == null || !Hex.isHex(hex, 32)) {
      throw new LedgerRejectedException(LedgerReason.INVALID, what + " must be 32 bytes of 0x-hex");
    }
    return Hex.decode(hex, 32);
  }

  private static void requireAddress(String address) throws LedgerRejectedException {
    if (address == null || !Hex.isHex(address, 20)) {
      throw new LedgerRejectedException(LedgerReason.INVALID, "not an address: " + address);
    }
  }

  private static void requireNonNegative(long... values) throws LedgerRejectedException {
    for (long v : values) {
      if (v < 0) {
        throw new LedgerRejectedException(LedgerReason.INVALID, "negative value " + v);
      }
    }
  }

  /** Builds a canonical JSON event payload with sorted keys (values: String, Long, Boolean). */
  static Map<String, Object> payload(Object... kv) {
    Map<String, Object> m = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
