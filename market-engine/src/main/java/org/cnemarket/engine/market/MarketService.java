package org.cnemarket.engine.market;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.merkle.MerkleTiles;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Participant;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Trade;
import org.cnemarket.core.model.Units;
import org.cnemarket.engine.audit.AccountAudit;
import org.cnemarket.engine.ledger.DeliveryReceipt;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.ledger.LedgerRejectedException;
import org.cnemarket.engine.round.ClearingOutcome;
import org.cnemarket.engine.round.ComputeMechanisms;
import org.cnemarket.engine.round.OpenOrder;
import org.cnemarket.engine.round.PowerProfile;
import org.cnemarket.engine.round.RoundClearing;
import org.cnemarket.engine.round.RoundInput;
import org.cnemarket.engine.round.RoundParameters;
import org.cnemarket.engine.round.Trades;
import org.cnemarket.engine.round.energy.EnergyMechanisms;
import org.cnemarket.engine.settlement.LedgerFeed;
import org.cnemarket.engine.store.BatchStatus;
import org.cnemarket.engine.store.MarketStore;
import org.cnemarket.engine.store.MechanismChanges;
import org.cnemarket.engine.store.OrderStatus;
import org.cnemarket.engine.store.Orders.IntakeOrder;
import org.cnemarket.engine.store.Orders.IntakeRefusal;
import org.cnemarket.engine.store.Orders.OrderUpdate;
import org.cnemarket.engine.store.RoundRecord;
import org.cnemarket.engine.store.RoundTrees;
import org.cnemarket.engine.store.StoredOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The market's use cases: register, deposit, accept signed orders, close a round. Every request is
 * checked in full before anything changes; the ledger is asked before the engine database records,
 * and every ledger call is idempotent, so a retry after a failure is always safe. Mutations are
 * serialised: the engine is the single writer of its database.
 */
public final class MarketService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MarketService.class);

  private final MarketStore store;
  private final Ledger ledger;
  private final Eip712.Domain domain;
  private final RoundClearing clearing;

  /** What the next round clears with; changed under the round lock, recorded before it applies. */
  private volatile RoundParameters parameters;

  private final Clock clock;
  private final LedgerFeed feed;
  // Order submissions under way (checking signatures or waiting for their group commit).
  private final AtomicInteger submitting = new AtomicInteger();
  private final OrderIntake intake;

  /** Held by the intake while it records a group and by a round while it closes. */
  private final Object roundLock = new Object();

  private final Map<String, Participant> participants = new ConcurrentHashMap<>();

  /**
   * With {@code parameters} null the market clears with the parameters its database recorded last
   * (the defaults for a new market); given ones replace them from the next round, recorded as a
   * change.
   */
  public MarketService(
      MarketStore store,
      Ledger ledger,
      Eip712.Domain domain,
      RoundClearing clearing,
      RoundParameters parameters,
      Clock clock) {
    this.store = store;
    this.ledger = ledger;
    this.domain = domain;
    this.clearing = clearing;
    this.clock = clock;
    this.parameters = startParameters(parameters);
    this.feed = new LedgerFeed(store, ledger);
    this.intake = new OrderIntake(store, roundLock, clock, feed::wake);
    // The feed waits while orders are being checked or recorded, so bursts get the cores.
    feed.deferWhile(() -> submitting.get() > 0 || intake.busy());
  }

  /** Takes what the engine recorded (registrations, deposits, orders) onto the ledger. */
  public LedgerFeed feed() {
    return feed;
  }

  /** Stops the order intake (orders already waiting are recorded). */
  @Override
  public void close() {
    intake.close();
  }

  public RoundParameters parameters() {
    return parameters;
  }

  public Eip712.Domain domain() {
    return domain;
  }

  public MarketStore store() {
    return store;
  }

  public Ledger ledger() {
    return ledger;
  }

  // ---- participants and deposits ----

  /**
   * Registers a participant from its signed registration; the same registration again is a no-op.
   */
  public synchronized Participant register(Registration reg) {
    if (reg.role() == Role.OPERATOR) {
      throw Refusal.forbidden("the OPERATOR role is not open to registration");
    }
    // Auditors read every participant's balances and orders: only addresses the operator admitted.
    if (reg.role() == Role.AUDITOR && !store.participants().auditorAdmitted(reg.account())) {
      throw Refusal.forbidden(
          reg.account()
              + " is not admitted as an auditor; the operator admits auditors"
              + " (POST /v1/auditors) before they register");
    }
    if (reg.name() == null || reg.name().isBlank() || reg.name().length() > 200) {
      throw Refusal.badRequest("name must be 1 to 200 characters");
    }
    if (!reg.verify(domain)) {
      throw Refusal.badSignature("the registration is not signed by " + reg.account());
    }
    Participant p = new Participant(reg.account(), reg.role(), reg.name());
    Optional<Participant> existing = store.participants().get(reg.account());
    if (existing.isPresent()) {
      if (existing.get().role() != reg.role()) {
        throw new Refusal(
            Refusal.Reason.ALREADY_REGISTERED,
            reg.account() + " is already registered as " + existing.get().role());
      }
      return existing.get();
    }
    // Recorded first, then taken onto the ledger: a crash in between is finished on start-up.
    store.participants().insert(p, RecordCodec.toJson(reg), clock.millis());
    try {
      ledger.register(reg);
      store.participants().markOnLedger(reg.account());
    } catch (LedgerRejectedException e) {
      store.participants().removeRefused(reg.account());
      throw LedgerProblems.of(e);
    } catch (LedgerException e) {
      throw Refusal.ledgerUnavailable(
          "the registration is recorded and goes onto the ledger when it is"
              + " reachable: "
              + e.getMessage());
    }
    return p;
  }

  /** Admits an address to register as an auditor (operator only, checked by the caller). */
  public synchronized boolean admitAuditor(String address) {
    if (address == null || !address.matches("0x[0-9a-f]{40}")) {
      throw Refusal.badRequest("address must be a 0x address");
    }
    Optional<Participant> existing = store.participants().get(address);
    if (existing.isPresent() && existing.get().role() != Role.AUDITOR) {
      throw new Refusal(
          Refusal.Reason.ALREADY_REGISTERED,
          address + " is already registered as " + existing.get().role());
    }
    return store.participants().admitAuditor(address, clock.millis());
  }

  public Optional<Participant> participant(String address) {
    return store.participants().get(address);
  }

  /** Credits an account (operator only, checked by the caller); idempotent on the deposit id. */
  public synchronized void deposit(String depositId, String account, long amountMicros) {
    if (depositId == null || !depositId.matches("[A-Za-z0-9._:-]{1,100}")) {
      throw Refusal.badRequest("depositId must be 1 to 100 letters, digits or . _ : -");
    }
    if (amountMicros <= 0) {
      throw Refusal.badRequest("amountMicros must be positive");
    }
    requireParticipant(account);
    try {
      store.deposits().insert(depositId, account, amountMicros, clock.millis());
    } catch (IllegalStateException e) {
      throw new Refusal(Refusal.Reason.DEPOSIT_CONFLICT, e.getMessage());
    }
    try {
      ledger.deposit(depositId, account, amountMicros);
      store.deposits().markOnLedger(depositId);
    } catch (LedgerRejectedException e) {
      store.deposits().refuse(depositId);
      throw LedgerProblems.of(e);
    } catch (LedgerException e) {
      throw Refusal.ledgerUnavailable(
          "the deposit is recorded and goes onto the ledger when it is"
              + " reachable: "
              + e.getMessage());
    }
  }

  /**
   * Conservation per account and in sum ({@link AccountAudit}), after taking every pending record
   * onto the ledger. Accounts that differ are checked again after another flush (an order may have
   * been recorded between the flush and the read), up to three times.
   */
  public AccountAudit.Conservation conservation() {
    for (int attempt = 0; ; attempt++) {
      LedgerProblems.call(feed::flush);
      AccountAudit.Conservation c = LedgerProblems.call(() -> AccountAudit.check(store, ledger));
      if (c.conserved() || attempt == 2) {
        return c;
      }
    }
  }

  // ---- orders ----

  /**
   * Accepts a signed order: validated, its signature recovered once, role checked here (in parallel
   * with other callers), then nonce, slot and funds checked and the order recorded with its escrow
   * by the group-committed intake. Returns once the order is on disk; the ledger feed takes it onto
   * the ledger in a batch right after (and always before its round settles).
   */
  public String submitOrder(SignedOrder so) {
    submitting.incrementAndGet();
    try {
      IntakeOrder order = checkOrder(so);
      IntakeRefusal refusal = intake.record(order);
      if (refusal == null) {
        return order.orderId();
      }
      throw refusal(refusal, order);
    } finally {
      submitting.decrementAndGet();
    }
  }

  /**
   * Accepts many signed orders at once, as {@link #submitOrder} accepts each: their signatures are
   * checked together (on every core when no other submission is running), then all are recorded in
   * as few group commits as the intake allows, in the given order. Returns, per order, its id or
   * its refusal.
   */
  public List<Accepted> submitOrders(List<SignedOrder> orders) {
    submitting.incrementAndGet();
    try {
      return checkAndRecord(orders, submitting.get() == 1);
    } finally {
      submitting.decrementAndGet();
    }
  }

  /**
   * Checks fields, digests and signatures (every signature in one batch check) on every core when
   * {@code alone}; otherwise on this thread alone, since the other submissions keep the cores busy
   * and a fork-join split per request would only add threads waiting on each other.
   */
  private List<Accepted> checkAndRecord(List<SignedOrder> orders, boolean alone) {
    Stream<SignedOrder> each = alone ? orders.parallelStream() : orders.stream();
    List<Object> digests =
        each.map(
                so -> {
                  try {
                    return (Object) validatedDigest(so);
                  } catch (Refusal r) {
                    return r;
                  }
                })
            .toList();
    List<SignedOrder> toVerify = new ArrayList<>(orders.size());
    List<byte[]> toVerifyDigests = new ArrayList<>(orders.size());
    for (int i = 0; i < orders.size(); i++) {
      if (digests.get(i) instanceof byte[] d) {
        toVerify.add(orders.get(i));
        toVerifyDigests.add(d);
      }
    }
    boolean[] signedByTrader = SignedOrder.verifyAll(toVerify, toVerifyDigests, alone);
    List<Object> checked = new ArrayList<>(orders.size());
    int verified = 0;
    for (int i = 0; i < orders.size(); i++) {
      Object d = digests.get(i);
      if (d instanceof Refusal) {
        checked.add(d);
        continue;
      }
      try {
        if (!signedByTrader[verified++]) {
          throw Refusal.badSignature(
              "the order is not signed by its trader " + orders.get(i).order().trader());
        }
        checked.add(admitted(orders.get(i), (byte[]) d));
      } catch (Refusal r) {
        checked.add(r);
      }
    }
    List<IntakeOrder> toRecord = new ArrayList<>(checked.size());
    for (Object c : checked) {
      if (c instanceof IntakeOrder io) {
        toRecord.add(io);
      }
    }
    List<IntakeRefusal> answers = intake.recordAll(toRecord);
    List<Accepted> out = new ArrayList<>(checked.size());
    int next = 0;
    for (Object c : checked) {
      if (c instanceof IntakeOrder io) {
        IntakeRefusal refusal = answers.get(next++);
        out.add(
            refusal == null
                ? new Accepted(io.orderId(), null)
                : new Accepted(io.orderId(), refusal(refusal, io)));
      } else {
        out.add(new Accepted(null, (Refusal) c));
      }
    }
    return out;
  }

  /** One order's outcome in {@link #submitOrders}: its id, and its refusal when refused. */
  public record Accepted(String orderId, Refusal refusal) {}

  /** The stateless checks of an order (fields, signature, role), done on the caller's thread. */
  private IntakeOrder checkOrder(SignedOrder so) {
    byte[] digest = validatedDigest(so);
    if (!Secp256k1.verify(digest, so.signature(), so.order().trader())) {
      throw Refusal.badSignature("the order is not signed by its trader " + so.order().trader());
    }
    return admitted(so, digest);
  }

  /** The order's EIP-712 digest, once its fields are valid. */
  private byte[] validatedDigest(SignedOrder so) {
    try {
      so.order().validate();
    } catch (IllegalArgumentException e) {
      throw Refusal.badRequest(e.getMessage());
    }
    return Eip712.orderDigest(domain, so.order());
  }

  /** An order signed by its trader, once the trader's role allows it. */
  private IntakeOrder admitted(SignedOrder so, byte[] digest) {
    Order o = so.order();
    Participant p = requireParticipant(o.trader());
    if (p.role() != o.kind().requiredRole()) {
      throw Refusal.forbidden(
          "a " + o.kind() + " must come from a " + o.kind().requiredRole() + ", not a " + p.role());
    }
    boolean buy = o.kind().side() == OrderKind.Side.BUY;
    long lock = buy ? Units.maxCostMicros(o.quantity(), o.priceMicros()) : 0;
    return new IntakeOrder(Hex.encode(digest), so, lock, buy);
  }

  private Refusal refusal(IntakeRefusal refusal, IntakeOrder order) {
    Order o = order.signed().order();
    return switch (refusal) {
      case NONCE_USED ->
          new Refusal(
              Refusal.Reason.NONCE_USED,
              "nonce " + o.nonce() + " of " + o.trader() + " was used already");
      case SLOT_CLOSED ->
          new Refusal(
              Refusal.Reason.SLOT_CLOSED,
              "slot "
                  + o.lastSlot()
                  + " is closed; the next open slot is "
                  + store.rounds().lastClosedSlot().map(c -> c + 1).orElse(0L));
      case INSUFFICIENT_FUNDS ->
          new Refusal(
              Refusal.Reason.INSUFFICIENT_FUNDS,
              o.trader()
                  + " has less than the "
                  + order.lockMicros()
                  + " micro-credits this order locks in escrow available");
    };
  }

  private Participant requireParticipant(String address) {
    if (address == null || !address.matches("0x[0-9a-f]{40}")) {
      throw Refusal.badRequest("not a lower-case 0x address: " + address);
    }
    Participant known = participants.get(address);
    if (known != null) {
      return known;
    }
    Participant p =
        store.participants().get(address).orElseThrow(() -> Refusal.unknownParticipant(address));
    participants.put(address, p);
    return p;
  }

  // ---- rounds ----

  /** What closing a round produced. */
  public record RoundResult(RoundRecord record, List<Trade> trades, SettlementBatch batch) {}

  /**
   * Clears the open orders of {@code slot} and commits the round with its settlement batch in the
   * outbox, atomically. Settlement happens afterwards, from the outbox.
   */
  /** How far ahead of the clock (or of the next open slot) a round may close: one year of hours. */
  public static final long MAX_SLOTS_AHEAD = 24L * 366;

  private static final long MILLIS_PER_SLOT = 3_600_000L;

  public synchronized RoundResult closeRound(long slot) {
    synchronized (roundLock) {
      return closeRoundLocked(slot);
    }
  }

  private RoundResult closeRoundLocked(long slot) {
    Optional<Long> last = store.rounds().lastClosedSlot();
    if (slot < 0 || (last.isPresent() && slot <= last.get())) {
      throw new Refusal(
          Refusal.Reason.ROUND_CLOSED,
          "slot " + slot + " is closed already; rounds close slots in order");
    }
    // Closing a far-future slot would close every slot before it: the window is bounded by the
    // next open slot and the clock, so no operator input can stop the market or overflow a slot.
    long nextOpen = last.map(l -> l + 1).orElse(0L);
    long limit = Math.max(nextOpen, clock.millis() / MILLIS_PER_SLOT) + MAX_SLOTS_AHEAD;
    if (slot > limit) {
      throw new Refusal(
          Refusal.Reason.SLOT_OUT_OF_WINDOW,
          "slot "
              + slot
              + " is more than "
              + MAX_SLOTS_AHEAD
              + " slots ahead; rounds close slots up to "
              + limit);
    }
    long startNanos = System.nanoTime();
    long round = store.rounds().last() + 1;
    List<StoredOrder> open = store.orders().openFor(slot);
    List<StoredOrder> stale = store.orders().staleOpen(slot);
    List<OpenOrder> input = new ArrayList<>();
    Map<String, StoredOrder> byId = new HashMap<>();
    Map<String, Order> orders = new HashMap<>();
    for (StoredOrder so : open) {
      input.add(new OpenOrder(so.orderId(), so.signed().order(), so.remaining()));
      byId.put(so.orderId(), so);
      orders.put(so.orderId(), so.signed().order());
    }
    for (StoredOrder so : stale) {
      byId.put(so.orderId(), so);
    }
    Map<String, PowerProfile> profiles = new TreeMap<>();
    for (OpenOrder o : input) {
      if (o.order().kind() == OrderKind.COMPUTE_OFFER) {
        powerProfile(o.order().trader()).ifPresent(pp -> profiles.put(o.order().trader(), pp));
      }
    }
    RoundInput roundInput = new RoundInput(round, slot, input, profiles, parameters);
    long readNanos = System.nanoTime();
    ClearingOutcome outcome = clearing.clear(roundInput);
    long clearedNanos = System.nanoTime();
    List<Trade> trades = Trades.fromFills(round, slot, outcome.fills(), orders);

    Map<String, Long> filled = new HashMap<>();
    Set<String> referenced = new LinkedHashSet<>();
    long energyWh = 0;
    long greenWh = 0;
    long computeMilli = 0;
    long carbonMg = 0;
    long valueMicros = 0;
    for (Trade t : trades) {
      referenced.add(t.buyOrderId());
      referenced.add(t.sellOrderId());
      filled.merge(t.buyOrderId(), t.quantity(), Long::sum);
      filled.merge(t.sellOrderId(), t.quantity(), Long::sum);
      if (t.market() == OrderKind.Market.ENERGY) {
        energyWh += t.quantity();
        greenWh += t.greenWh();
      } else {
        computeMilli += t.quantity();
      }
      carbonMg += t.carbonMg();
      valueMicros += t.amountMicros();
    }

    List<OrderUpdate> updates = new ArrayList<>();
    List<String> closedBuyOrders = new ArrayList<>();
    for (StoredOrder so :
        byId.values().stream().sorted((a, b) -> a.orderId().compareTo(b.orderId())).toList()) {
      long newFilled = so.filled() + filled.getOrDefault(so.orderId(), 0L);
      if (newFilled > so.signed().order().quantity()) {
        throw new IllegalStateException("clearing overfilled order " + so.orderId());
      }
      boolean full = newFilled == so.signed().order().quantity();
      boolean expired = so.signed().order().lastSlot() <= slot;
      OrderStatus status =
          full ? OrderStatus.FILLED : expired ? OrderStatus.CLOSED : OrderStatus.OPEN;
      if (newFilled != so.filled() || status != so.status()) {
        updates.add(new OrderUpdate(so.orderId(), so.seq(), newFilled, status));
      }
      if (status != OrderStatus.OPEN && so.signed().order().kind().side() == OrderKind.Side.BUY) {
        closedBuyOrders.add(so.orderId());
        referenced.add(so.orderId());
      }
    }

    List<SignedOrder> batchOrders = referenced.stream().map(id -> byId.get(id).signed()).toList();
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("results", outcome.results());
    outputs.put("tradeIds", trades.stream().map(Trade::tradeId).toList());
    // The round's recorded input (tens of MB at 10^5 orders) is written and hashed on another core
    // meanwhile.
    CompletableFuture<String> inputsJsonLater = CompletableFuture.supplyAsync(roundInput::toJson);
    String outputsJson = Json.write(outputs);
    String outputsHash = Hex.encode(Keccak.hash(outputsJson));

    // Platform fees (McAfee's spread), one per buy order, in order of first appearance.
    Map<String, Long> feeByOrder = new LinkedHashMap<>();
    for (var f : outcome.fills()) {
      if (f.feeMicros() > 0) {
        feeByOrder.merge(f.buyOrderId(), f.feeMicros(), Math::addExact);
      }
    }
    List<SettlementBatch.Fee> fees = new ArrayList<>();
    long feesMicros = 0;
    for (Map.Entry<String, Long> e : feeByOrder.entrySet()) {
      fees.add(new SettlementBatch.Fee(e.getKey(), orders.get(e.getKey()).trader(), e.getValue()));
      feesMicros += e.getValue();
    }
    // The round's Merkle tree, built once: its root goes into the batch, its nodes to the store.
    MerkleTiles tree = MerkleTiles.of(trades.parallelStream().map(Trade::leaf).toList());
    String inputsJson = join(inputsJsonLater);
    String inputsHash = Hex.encode(Keccak.hash(inputsJson));
    SettlementBatch batch =
        SettlementBatch.build(
            domain,
            round,
            slot,
            tree,
            inputsHash,
            outputsHash,
            trades,
            batchOrders,
            closedBuyOrders,
            fees);
    String batchId = batch.batchId();

    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("round", round);
    summary.put("slot", slot);
    summary.put("orders", (long) input.size());
    summary.put("trades", (long) trades.size());
    summary.put("energyWh", energyWh);
    summary.put("greenWh", greenWh);
    summary.put("computeMilliUnits", computeMilli);
    summary.put("carbonMg", carbonMg);
    summary.put("valueMicros", valueMicros);
    summary.put("platformFeesMicros", feesMicros);
    // What the public figures of a round show, known here and costly to gather later (a lookup of
    // every energy trade's offer, the batch read back for its root).
    summary.put(
        "energyBySourceWh", Trade.energyBySourceWh(trades, id -> orders.get(id).source().name()));
    summary.put("merkleRoot", batch.merkleRoot());
    summary.put("results", outcome.results());
    summary.put("mechanism", outcome.mechanism());
    RoundRecord rec =
        new RoundRecord(
            round,
            slot,
            batchId,
            trades.size(),
            Json.write(summary),
            inputsJson,
            outputsJson,
            inputsHash,
            outputsHash,
            clock.millis());
    // The batch's JSON is written on another core while the round's trades and fills are.
    CompletableFuture<String> batchJson =
        CompletableFuture.supplyAsync(() -> RecordCodec.toJson(batch));
    long builtNanos = System.nanoTime();
    store.rounds().commit(rec, trades, tree, updates, () -> join(batchJson), clock.millis());
    long committedNanos = System.nanoTime();
    // The phases' times tell an operator where a slow close goes.
    LOG.info(
        "round {} slot {} cleared: {} orders, {} trades, batch {}; read {} ms, clear {} ms, batch {}"
            + " ms, commit {} ms",
        round,
        slot,
        input.size(),
        trades.size(),
        batchId,
        (readNanos - startNanos) / 1_000_000,
        (clearedNanos - readNanos) / 1_000_000,
        (builtNanos - clearedNanos) / 1_000_000,
        (committedNanos - builtNanos) / 1_000_000);
    return new RoundResult(rec, trades, batch);
  }

  /** The value of work done on another core; its failure as the exception it threw. */
  private static <T> T join(CompletableFuture<T> work) {
    try {
      return work.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  // ---- delivery ----

  /**
   * Reports metered delivery of a settled trade to the ledger with the trade's Merkle proof;
   * updates the seller's reputation and certifies delivered green Wh to the buyer.
   */
  public synchronized DeliveryReceipt reportDelivery(String tradeId, long delivered) {
    Trade t =
        store.trades().get(tradeId).orElseThrow(() -> Refusal.notFound("no trade " + tradeId));
    if (delivered < 0 || delivered > t.quantity()) {
      throw Refusal.badRequest(
          "deliveredQuantity must be between 0 and the traded " + t.quantity());
    }
    TradeProof p = tradeProof(tradeId);
    if (!p.settled()) {
      throw new Refusal(
          Refusal.Reason.NOT_SETTLED, "trade " + tradeId + " is not settled on the ledger yet");
    }
    return LedgerProblems.call(() -> ledger.reportDelivery(p.batchId(), t, p.proof(), delivered));
  }

  /**
   * A trade with its Merkle proof against its batch's root, and whether the batch is on the ledger.
   */
  public record TradeProof(
      Trade trade,
      String batchId,
      long index,
      List<byte[]> proof,
      byte[] merkleRoot,
      boolean settled) {}

  /**
   * The proof of a trade, read from its round's stored tree: a few small rows by primary key,
   * whatever the round's size (a round closed before trees were stored has its tree stored once, on
   * the first proof asked of it).
   */
  public TradeProof tradeProof(String tradeId) {
    RoundTrees.StoredProof p =
        store.trees().proof(tradeId).orElseThrow(() -> Refusal.notFound("no trade " + tradeId));
    return new TradeProof(
        p.trade(), p.batchId(), p.index(), p.proof(), p.root(), p.status() == BatchStatus.SETTLED);
  }

  // ---- mechanism parameters ----

  /** The largest McAfee lot the API sets: 1 GWh. */
  public static final long MAX_LOT_WH = 1_000_000_000L;

  /** Who set the parameters when the engine's start options did. */
  public static final String SET_AT_START = "engine start options";

  /** Who set the parameters of a new market started without mechanism options. */
  public static final String SET_BY_DEFAULT = "market defaults";

  /**
   * A change of the mechanism parameters: what applies, from which round, and whether it changed
   * anything (the same parameters again record nothing).
   */
  public record ParameterChange(
      RoundParameters parameters,
      long fromRound,
      boolean changed,
      String setBy,
      long setAtMillis) {}

  private RoundParameters startParameters(RoundParameters configured) {
    Optional<MechanismChanges.MechanismChange> last = store.mechanisms().current();
    RoundParameters stored = last.map(c -> readParameters(c.parametersJson())).orElse(null);
    RoundParameters wanted = configured != null ? configured : stored;
    String setBy = SET_AT_START;
    if (wanted == null) {
      wanted = RoundParameters.DEFAULT;
      setBy = SET_BY_DEFAULT;
    }
    if (!wanted.equals(stored)) {
      store
          .mechanisms()
          .record(store.rounds().last() + 1, storedJson(wanted), setBy, clock.millis());
      if (stored != null) {
        LOG.info("mechanism parameters from the start options replace {}", storedJson(stored));
      }
    }
    return wanted;
  }

  /** The stored form: every field, the lot too (a round's own record omits it unless McAfee). */
  static String storedJson(RoundParameters p) {
    Map<String, Object> m = new LinkedHashMap<>(p.toJson());
    m.put("lotWh", p.lotWh());
    return Json.write(m);
  }

  static RoundParameters readParameters(String json) {
    return RoundParameters.fromJson(Fields.of(Json.parse(json), "parameters"));
  }

  /**
   * Sets the mechanism parameters (operator only, checked by the caller). They apply from the next
   * round that closes; a round already closed keeps the parameters its inputs recorded, so {@code
   * audit reprice} recomputes it as it cleared. Recorded on disk before the answer.
   */
  public synchronized ParameterChange setParameters(
      String energyMechanism, long kPermille, String computeMechanism, long lotWh, String setBy) {
    if (!EnergyMechanisms.names().contains(energyMechanism)) {
      throw Refusal.badRequest(
          "energy must be one of "
              + String.join(", ", EnergyMechanisms.names())
              + ", not "
              + energyMechanism);
    }
    if (!ComputeMechanisms.names().contains(computeMechanism)) {
      throw Refusal.badRequest(
          "compute must be one of "
              + String.join(", ", ComputeMechanisms.names())
              + ", not "
              + computeMechanism);
    }
    if (kPermille < 0 || kPermille > 1000) {
      throw Refusal.badRequest("kPermille must be between 0 and 1000");
    }
    if (lotWh < 1 || lotWh > MAX_LOT_WH) {
      throw Refusal.badRequest("lotWh must be between 1 and " + MAX_LOT_WH);
    }
    RoundParameters p = new RoundParameters(energyMechanism, kPermille, computeMechanism, lotWh);
    synchronized (roundLock) {
      long next = store.rounds().last() + 1;
      if (p.equals(parameters)) {
        MechanismChanges.MechanismChange last = store.mechanisms().current().orElseThrow();
        return new ParameterChange(p, last.fromRound(), false, last.setBy(), last.setAtMillis());
      }
      MechanismChanges.MechanismChange c =
          store.mechanisms().record(next, storedJson(p), setBy, clock.millis());
      parameters = p;
      LOG.info("mechanism parameters {} from round {} (set by {})", storedJson(p), next, setBy);
      return new ParameterChange(p, next, true, setBy, c.setAtMillis());
    }
  }

  /** The recorded changes of the mechanism parameters, newest first. */
  public List<ParameterChange> parameterChanges(int offset, int limit) {
    return store.mechanisms().changes(offset, limit).stream()
        .map(
            c ->
                new ParameterChange(
                    readParameters(c.parametersJson()),
                    c.fromRound(),
                    true,
                    c.setBy(),
                    c.setAtMillis()))
        .toList();
  }

  // ---- power profiles ----

  /** Declares a provider's power model (operator only, checked by the caller). */
  public synchronized void setPowerProfile(String provider, PowerProfile profile) {
    Participant p =
        store
            .participants()
            .get(provider)
            .orElseThrow(() -> Refusal.notFound("no participant " + provider));
    if (p.role() != Role.PROVIDER) {
      throw Refusal.badRequest(
          "a power model belongs to a provider; " + provider + " is a " + p.role());
    }
    store.powerModels().put(provider, profile);
  }

  public Optional<PowerProfile> powerProfile(String provider) {
    return store.powerModels().get(provider);
  }
}
