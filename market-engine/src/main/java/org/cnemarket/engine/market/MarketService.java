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
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Keccak;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.Order;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Participant;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Trade;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.ledger.LedgerRejectedException;
import java.util.TreeMap;
import org.cnemarket.engine.round.ClearingOutcome;
import org.cnemarket.engine.round.OpenOrder;
import org.cnemarket.engine.round.PowerProfile;
import org.cnemarket.engine.round.RoundClearing;
import org.cnemarket.engine.round.RoundInput;
import org.cnemarket.engine.round.RoundParameters;
import org.cnemarket.engine.round.Trades;
import org.cnemarket.engine.store.MarketStore;
import org.cnemarket.engine.store.MarketStore.OrderUpdate;
import org.cnemarket.engine.store.MarketStore.RoundRecord;
import org.cnemarket.engine.store.MarketStore.StoredOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The market's use cases: register, deposit, accept signed orders, close a round. Every request
 * is checked in full before anything changes; the ledger is asked before the engine database
 * records, and every ledger call is idempotent, so a retry after a failure is always safe.
 * Mutations are serialised: the engine is the single writer of its database.
 */
public final class MarketService {
  private static final Logger LOG = LoggerFactory.getLogger(MarketService.class);

  private final MarketStore store;
  private final Ledger ledger;
  private final Eip712.Domain domain;
  private final RoundClearing clearing;
  private final RoundParameters parameters;
  private final Clock clock;

  public MarketService(MarketStore store, Ledger ledger, Eip712.Domain domain, RoundClearing clearing,
      RoundParameters parameters, Clock clock) {
    this.store = store;
    this.ledger = ledger;
    this.domain = domain;
    this.clearing = clearing;
    this.parameters = parameters;
    this.clock = clock;
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

  /** Registers a participant from its signed registration; the same registration again is a no-op. */
  public synchronized Participant register(Registration reg) {
    if (reg.role() == Role.OPERATOR) {
      throw ApiProblem.forbidden("the OPERATOR role is not open to registration");
    }
    // Auditors read every participant's balances and orders: only addresses the operator admitted.
    if (reg.role() == Role.AUDITOR && !store.auditorAdmitted(reg.account())) {
      throw ApiProblem.forbidden(reg.account() + " is not admitted as an auditor; the operator admits auditors"
          + " (POST /v1/auditors) before they register");
    }
    if (reg.name() == null || reg.name().isBlank() || reg.name().length() > 200) {
      throw ApiProblem.badRequest("name must be 1 to 200 characters");
    }
    if (!reg.verify(domain)) {
      throw ApiProblem.badSignature("the registration is not signed by " + reg.account());
    }
    Participant p = new Participant(reg.account(), reg.role(), reg.name());
    Optional<Participant> existing = store.participant(reg.account());
    if (existing.isPresent()) {
      if (existing.get().role() != reg.role()) {
        throw ApiProblem.conflict("already-registered",
            reg.account() + " is already registered as " + existing.get().role());
      }
      return existing.get();
    }
    callLedger(() -> {
      ledger.register(reg);
      return null;
    });
    store.insertParticipant(p, clock.millis());
    return p;
  }

  /** Admits an address to register as an auditor (operator only, checked by the caller). */
  public synchronized boolean admitAuditor(String address) {
    if (address == null || !address.matches("0x[0-9a-f]{40}")) {
      throw ApiProblem.badRequest("address must be a 0x address");
    }
    Optional<Participant> existing = store.participant(address);
    if (existing.isPresent() && existing.get().role() != Role.AUDITOR) {
      throw ApiProblem.conflict("already-registered", address + " is already registered as " + existing.get().role());
    }
    return store.admitAuditor(address, clock.millis());
  }

  public Optional<Participant> participant(String address) {
    return store.participant(address);
  }

  /** Credits an account (operator only, checked by the caller); idempotent on the deposit id. */
  public synchronized void deposit(String depositId, String account, long amountMicros) {
    if (depositId == null || !depositId.matches("[A-Za-z0-9._:-]{1,100}")) {
      throw ApiProblem.badRequest("depositId must be 1 to 100 letters, digits or . _ : -");
    }
    if (amountMicros <= 0) {
      throw ApiProblem.badRequest("amountMicros must be positive");
    }
    requireParticipant(account);
    // Checked before the ledger, which would refuse it only as a generic rejection (422).
    if (store.depositConflicts(depositId, account, amountMicros)) {
      throw ApiProblem.conflict("deposit-conflict", "deposit id " + depositId + " was used for another deposit");
    }
    callLedger(() -> {
      ledger.deposit(depositId, account, amountMicros);
      return null;
    });
    try {
      store.insertDeposit(depositId, account, amountMicros, clock.millis());
    } catch (IllegalStateException e) {
      throw ApiProblem.conflict("deposit-conflict", e.getMessage());
    }
  }

  /** Credits on the ledger against deposits recorded by the engine. */
  public record Conservation(long depositsMicros, long availableMicros, long escrowMicros, long participants) {
    public boolean conserved() {
      return depositsMicros == availableMicros + escrowMicros;
    }
  }

  /** Sums every participant's ledger balance and escrow and compares with all deposits. */
  public Conservation conservation() {
    long available = 0;
    long escrow = 0;
    long count = 0;
    int offset = 0;
    while (true) {
      List<Participant> page = store.participants(null, offset, 500);
      for (Participant p : page) {
        var b = callLedger(() -> ledger.balance(p.address()));
        available = Math.addExact(available, b.availableMicros());
        escrow = Math.addExact(escrow, b.escrowMicros());
        count++;
      }
      if (page.size() < 500) {
        break;
      }
      offset += page.size();
    }
    // Fees from McAfee rounds sit in the platform's account.
    var platform = callLedger(() -> ledger.balance(org.cnemarket.core.model.Units.PLATFORM_ACCOUNT));
    available = Math.addExact(available, platform.availableMicros());
    return new Conservation(store.totalDepositsMicros(), available, escrow, count);
  }

  // ---- orders ----

  /** Accepts a signed order: validated, signature, role, nonce and slot checked, escrow locked. */
  public synchronized String submitOrder(SignedOrder so) {
    Order o = so.order();
    try {
      o.validate();
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest(e.getMessage());
    }
    if (!so.verify(domain)) {
      throw ApiProblem.badSignature("the order is not signed by its trader " + o.trader());
    }
    Participant p = requireParticipant(o.trader());
    if (p.role() != o.kind().requiredRole()) {
      throw ApiProblem.forbidden(
          "a " + o.kind() + " must come from a " + o.kind().requiredRole() + ", not a " + p.role());
    }
    String orderId = so.id(domain);
    if (store.nonceUsed(o.trader(), o.nonce())) {
      throw ApiProblem.conflict("nonce-used", "nonce " + o.nonce() + " of " + o.trader() + " was used already");
    }
    Optional<Long> closed = store.lastClosedSlot();
    if (closed.isPresent() && o.lastSlot() <= closed.get()) {
      throw ApiProblem.unprocessable("slot-closed", "Slot closed",
          "slot " + o.lastSlot() + " is closed; the next open slot is " + (closed.get() + 1));
    }
    callLedger(() -> {
      ledger.acceptOrder(so);
      return null;
    });
    store.insertOrder(orderId, so, clock.millis());
    return orderId;
  }

  private Participant requireParticipant(String address) {
    if (address == null || !address.matches("0x[0-9a-f]{40}")) {
      throw ApiProblem.badRequest("not a lower-case 0x address: " + address);
    }
    return store.participant(address).orElseThrow(() -> ApiProblem.unknownParticipant(address));
  }

  // ---- rounds ----

  /** What closing a round produced. */
  public record RoundResult(RoundRecord record, List<Trade> trades, SettlementBatch batch) {}

  /**
   * Clears the open orders of {@code slot} and commits the round with its settlement batch in
   * the outbox, atomically. Settlement happens afterwards, from the outbox.
   */
  /** How far ahead of the clock (or of the next open slot) a round may close: one year of hours. */
  public static final long MAX_SLOTS_AHEAD = 24L * 366;
  private static final long MILLIS_PER_SLOT = 3_600_000L;

  public synchronized RoundResult closeRound(long slot) {
    Optional<Long> last = store.lastClosedSlot();
    if (slot < 0 || (last.isPresent() && slot <= last.get())) {
      throw ApiProblem.conflict("slot-closed", "slot " + slot + " is closed already; rounds close slots in order");
    }
    // Closing a far-future slot would close every slot before it: the window is bounded by the
    // next open slot and the clock, so no operator input can stop the market or overflow a slot.
    long nextOpen = last.map(l -> l + 1).orElse(0L);
    long limit = Math.max(nextOpen, clock.millis() / MILLIS_PER_SLOT) + MAX_SLOTS_AHEAD;
    if (slot > limit) {
      throw ApiProblem.unprocessable("slot-out-of-window", "Slot out of window",
          "slot " + slot + " is more than " + MAX_SLOTS_AHEAD + " slots ahead; rounds close slots up to " + limit);
    }
    long round = store.lastRound() + 1;
    List<StoredOrder> open = store.openOrdersFor(slot);
    List<StoredOrder> stale = store.staleOpenOrders(slot);
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
    ClearingOutcome outcome = clearing.clear(roundInput);
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
    for (StoredOrder so : byId.values().stream().sorted((a, b) -> a.orderId().compareTo(b.orderId())).toList()) {
      long newFilled = so.filled() + filled.getOrDefault(so.orderId(), 0L);
      if (newFilled > so.signed().order().quantity()) {
        throw new IllegalStateException("clearing overfilled order " + so.orderId());
      }
      boolean full = newFilled == so.signed().order().quantity();
      boolean expired = so.signed().order().lastSlot() <= slot;
      String status = full ? MarketStore.FILLED : expired ? MarketStore.CLOSED : MarketStore.OPEN;
      if (newFilled != so.filled() || !status.equals(so.status())) {
        updates.add(new OrderUpdate(so.orderId(), newFilled, status));
      }
      if (!status.equals(MarketStore.OPEN) && so.signed().order().kind().side() == OrderKind.Side.BUY) {
        closedBuyOrders.add(so.orderId());
        referenced.add(so.orderId());
      }
    }

    List<SignedOrder> batchOrders = referenced.stream().map(id -> byId.get(id).signed()).toList();
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("results", outcome.results());
    outputs.put("tradeIds", trades.stream().map(Trade::tradeId).toList());
    String inputsJson = roundInput.toJson();
    String outputsJson = Json.write(outputs);
    String inputsHash = Hex.encode(Keccak.hash(inputsJson));
    String outputsHash = Hex.encode(Keccak.hash(outputsJson));

    // Platform fees (McAfee's spread), one per buy order, in order of first appearance.
    Map<String, Long> feeByOrder = new java.util.LinkedHashMap<>();
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
    String batchId = SettlementBatch.batchId(domain, round);
    SettlementBatch probe = new SettlementBatch(batchId, round, slot, Hex.encode(new byte[32]), inputsHash,
        outputsHash, trades, batchOrders, closedBuyOrders, fees);
    SettlementBatch batch = new SettlementBatch(batchId, round, slot, probe.computedRoot(), inputsHash, outputsHash,
        trades, batchOrders, closedBuyOrders, fees);

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
    summary.put("results", outcome.results());
    summary.put("mechanism", outcome.mechanism());
    RoundRecord rec = new RoundRecord(round, slot, batchId, trades.size(), Json.write(summary), inputsJson,
        outputsJson, inputsHash, outputsHash, clock.millis());
    store.commitRound(rec, trades, updates, RecordCodec.toJson(batch), clock.millis());
    LOG.info("round {} slot {} cleared: {} trades, batch {}", round, slot, trades.size(), batchId);
    return new RoundResult(rec, trades, batch);
  }

  // ---- delivery ----

  /**
   * Reports metered delivery of a settled trade to the ledger with the trade's Merkle proof;
   * updates the seller's reputation and certifies delivered green Wh to the buyer.
   */
  public synchronized org.cnemarket.engine.ledger.DeliveryReceipt reportDelivery(String tradeId, long delivered) {
    Trade t = store.trade(tradeId).orElseThrow(() -> ApiProblem.notFound("no trade " + tradeId));
    if (delivered < 0 || delivered > t.quantity()) {
      throw ApiProblem.badRequest("deliveredQuantity must be between 0 and the traded " + t.quantity());
    }
    RoundRecord rec = store.round(t.round()).orElseThrow();
    var entry = store.outboxEntry(rec.batchId()).orElseThrow();
    if (!MarketStore.SETTLED.equals(entry.status())) {
      throw ApiProblem.conflict("not-settled", "trade " + tradeId + " is not settled on the ledger yet");
    }
    List<Trade> all = store.tradesOfRound(t.round());
    int index = 0;
    while (!all.get(index).tradeId().equals(tradeId)) {
      index++;
    }
    var tree = org.cnemarket.core.merkle.MerkleTree.of(all.stream().map(Trade::leaf).toList());
    List<byte[]> proof = tree.proof(index);
    return callLedger(() -> ledger.reportDelivery(rec.batchId(), t, proof, delivered));
  }

  // ---- power profiles ----

  /** Declares a provider's power model (operator only, checked by the caller). */
  public synchronized void setPowerProfile(String provider, PowerProfile profile) {
    Participant p = store.participant(provider).orElseThrow(() -> ApiProblem.notFound("no participant " + provider));
    if (p.role() != Role.PROVIDER) {
      throw ApiProblem.badRequest("a power model belongs to a provider; " + provider + " is a " + p.role());
    }
    store.putSetting("profile:" + provider, Json.write(profile.toJson()));
  }

  public Optional<PowerProfile> powerProfile(String provider) {
    return store.setting("profile:" + provider)
        .map(j -> PowerProfile.fromJson(org.cnemarket.core.codec.Fields.of(Json.parse(j), "profile")));
  }

  @FunctionalInterface
  interface LedgerCall<T> {
    T call() throws LedgerException;
  }

  /** Maps the ledger's refusals to problems the client can act on. */
  static <T> T callLedger(LedgerCall<T> call) {
    try {
      return call.call();
    } catch (LedgerRejectedException e) {
      throw switch (e.reason()) {
        case "OVERDRAFT" -> ApiProblem.unprocessable("insufficient-funds", "Insufficient funds", e.getMessage());
        case "SIGNATURE" -> ApiProblem.badSignature(e.getMessage());
        case "NONCE" -> ApiProblem.conflict("nonce-used", e.getMessage());
        case "ROLE" -> ApiProblem.forbidden(e.getMessage());
        case "UNKNOWN_PARTICIPANT" -> ApiProblem.unprocessable("unknown-participant", "Unknown participant", e.getMessage());
        case "NOT_FOUND" -> ApiProblem.notFound(e.getMessage());
        default -> ApiProblem.unprocessable("ledger-rejected", "Rejected by the ledger", e.reason() + ": " + e.getMessage());
      };
    } catch (LedgerException e) {
      throw ApiProblem.ledgerUnavailable(e.getMessage());
    }
  }
}
