package org.cnemarket.engine.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.JsonException;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Signature;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.NetSettlement;
import org.cnemarket.core.model.Participant;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Trade;

/**
 * The ledger port over the CNE chaincode, whatever runs it: each port call is one chaincode
 * transaction with the same arguments and result JSON, so the embedded and Fabric adapters only say
 * how a transaction is submitted or evaluated.
 */
public abstract class ChaincodeLedger implements Ledger {

  /** A committed transaction: its result JSON, id and block. */
  public record Submitted(String payload, String txId, long blockNumber) {}

  /**
   * Endorses, orders and commits {@code function}; a chaincode refusal is a {@link
   * LedgerRejectedException}.
   */
  protected abstract Submitted submit(String function, String... args) throws LedgerException;

  /** Evaluates a query; NOT_FOUND comes as a {@link LedgerRejectedException} with that reason. */
  protected abstract String evaluate(String function, String... args) throws LedgerException;

  /** The block of an earlier transaction, for receipts of idempotent repeats (default: unknown). */
  protected long blockOf(String txId, Submitted repeat) throws LedgerException {
    return repeat.blockNumber();
  }

  private volatile Eip712.Domain domain;

  /** The market's EIP-712 domain as the chaincode holds it (read once). */
  protected final Eip712.Domain domain() throws LedgerException {
    Eip712.Domain d = domain;
    if (d == null) {
      String json = evaluate("config:Get");
      d = parse(() -> RecordCodec.domainFromJson(json));
      domain = d;
    }
    return d;
  }

  @Override
  public void register(Registration registration) throws LedgerException {
    submit("participants:Register", RecordCodec.toJson(registration));
  }

  @Override
  public Optional<Participant> participant(String address) throws LedgerException {
    Optional<Fields> f = query("participants:Get", address.toLowerCase(Locale.ROOT));
    if (f.isEmpty()) {
      return Optional.empty();
    }
    Fields p = f.get();
    return Optional.of(
        parse(
            () ->
                new Participant(
                    p.string("address"), Role.parse(p.string("role")), p.string("name"))));
  }

  @Override
  public void deposit(String depositId, String account, long amountMicros) throws LedgerException {
    submit("escrow:Deposit", depositId, account, Long.toString(amountMicros));
  }

  @Override
  public void acceptOrder(SignedOrder order) throws LedgerException {
    submit("escrow:AcceptOrder", RecordCodec.toJson(order));
  }

  @Override
  public List<OrderAcceptance> acceptOrders(List<SignedOrder> orders) throws LedgerException {
    int perTx = maxOrdersPerTransaction();
    List<String> batches = new ArrayList<>();
    for (int from = 0; from < orders.size(); from += perTx) {
      List<Object> json = new ArrayList<>(perTx);
      for (SignedOrder o : orders.subList(from, Math.min(orders.size(), from + perTx))) {
        json.add(RecordCodec.signedOrder(o));
      }
      batches.add(Json.write(json));
    }
    List<OrderAcceptance> out = new ArrayList<>(orders.size());
    List<Submitted> committed = submitAll("escrow:AcceptOrders", batches);
    for (int t = 0; t < committed.size(); t++) {
      int size = Math.min(perTx, orders.size() - t * perTx);
      Fields f = result("escrow:AcceptOrders", committed.get(t).payload());
      List<Object> results = parse(() -> f.list("results"));
      if (results.size() != size) {
        throw new LedgerException(
            "escrow:AcceptOrders answered " + results.size() + " results for " + size + " orders");
      }
      for (Object r : results) {
        Fields rf = parse(() -> Fields.of(r, "result"));
        String status = parse(() -> rf.string("status"));
        out.add(
            switch (status) {
              case "ACCEPTED" -> OrderAcceptance.ACCEPTED;
              case "ALREADY_ACCEPTED" -> OrderAcceptance.ALREADY;
              default ->
                  OrderAcceptance.refused(
                      LedgerReason.of(parse(() -> rf.string("reason"))),
                      parse(() -> rf.string("message")));
            });
      }
    }
    return out;
  }

  /**
   * Submits {@code function} once per argument, in order, and answers their results in that order.
   * This default commits each on its own; a ledger that can commit several transactions in one
   * durable write of its own does so (the embedded ledger). A refusal is thrown; what was submitted
   * before it may be committed, and every caller's transactions are idempotent.
   */
  protected List<Submitted> submitAll(String function, List<String> args) throws LedgerException {
    List<Submitted> out = new ArrayList<>(args.size());
    for (String a : args) {
      out.add(submit(function, a));
    }
    return out;
  }

  /**
   * Orders per AcceptOrders transaction: large enough to amortise a block, small enough for any
   * orderer.
   */
  static final int MAX_ORDERS_PER_TX = 500;

  /** Orders per AcceptOrders transaction on this ledger (default {@link #MAX_ORDERS_PER_TX}). */
  protected int maxOrdersPerTransaction() {
    return MAX_ORDERS_PER_TX;
  }

  @Override
  public boolean orderAccepted(String orderId) throws LedgerException {
    return query("escrow:GetOrder", orderId.toLowerCase(Locale.ROOT)).isPresent();
  }

  /**
   * Sends the batch's header and net movements per order, not its trades: the chaincode checks the
   * movements on its state, and the trades are proven against the root. What only the trades can
   * show (the root, each trade against its signed orders) is checked here first, in {@link
   * NetSettlement#of}.
   */
  @Override
  public SettlementReceipt settle(SettlementBatch batch) throws LedgerException {
    NetSettlement net;
    try {
      net = NetSettlement.of(batch, domain());
    } catch (NetSettlement.Refused e) {
      throw new LedgerRejectedException(LedgerReason.of(e.reason()), e.getMessage());
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new LedgerRejectedException(LedgerReason.INVALID, String.valueOf(e.getMessage()));
    }
    Submitted c = submit("settlement:Settle", RecordCodec.toJson(net));
    Fields f = result("settlement:Settle", c.payload());
    String txId = parse(() -> f.string("txId", c.txId()));
    boolean already = parse(() -> f.has("alreadySettled") && f.bool("alreadySettled"));
    long block = already ? blockOf(txId, c) : c.blockNumber();
    return new SettlementReceipt(parse(() -> f.string("batchId")), txId, block, already);
  }

  @Override
  public Optional<BatchRecord> batch(String batchId) throws LedgerException {
    Optional<Fields> f = query("settlement:GetBatch", batchId);
    if (f.isEmpty()) {
      return Optional.empty();
    }
    Fields b = f.get();
    return Optional.of(
        parse(
            () ->
                new BatchRecord(
                    b.string("batchId"),
                    b.longValue("round"),
                    b.longValue("slot"),
                    b.string("merkleRoot"),
                    b.string("inputsHash"),
                    b.string("outputsHash"),
                    b.longValue("tradeCount"),
                    b.string("txId"))));
  }

  @Override
  public Balance balance(String account) throws LedgerException {
    Optional<Fields> f = query("escrow:Balance", account);
    if (f.isEmpty()) {
      return new Balance(account, 0, 0);
    }
    Fields b = f.get();
    return parse(
        () ->
            new Balance(
                b.string("account"), b.longValue("availableMicros"), b.longValue("escrowMicros")));
  }

  @Override
  public DeliveryReceipt reportDelivery(
      String batchId, Trade trade, List<byte[]> proof, long deliveredQuantity)
      throws LedgerException {
    List<String> proofHex = new ArrayList<>();
    for (byte[] p : proof) {
      proofHex.add(Hex.encode(p));
    }
    Submitted c =
        submit(
            "certificates:ReportDelivery",
            batchId,
            RecordCodec.toJson(trade),
            Json.write(proofHex),
            Long.toString(deliveredQuantity));
    Fields f = result("certificates:ReportDelivery", c.payload());
    return parse(
        () ->
            new DeliveryReceipt(
                f.string("tradeId"),
                f.longValue("deliveredQuantity"),
                f.longValue("certifiedWh"),
                f.has("alreadyReported") && f.bool("alreadyReported")));
  }

  @Override
  public Reputation reputation(String provider) throws LedgerException {
    Optional<Fields> f = query("certificates:Reputation", provider);
    if (f.isEmpty()) {
      return new Reputation(provider, 0, 0, 0, 0);
    }
    Fields r = f.get();
    return parse(
        () ->
            new Reputation(
                r.string("provider"),
                r.longValue("committed"),
                r.longValue("delivered"),
                r.longValue("successes"),
                r.longValue("failures")));
  }

  @Override
  public CertificateBalance certificates(String holder, long slot) throws LedgerException {
    Optional<Fields> f = query("certificates:Balance", holder, Long.toString(slot));
    if (f.isEmpty()) {
      return new CertificateBalance(holder, slot, 0, 0);
    }
    Fields c = f.get();
    return parse(
        () ->
            new CertificateBalance(
                c.string("holder"),
                c.longValue("slot"),
                c.longValue("heldWh"),
                c.longValue("retiredWh")));
  }

  @Override
  public void transferCertificates(
      String from, String to, long slot, long amountWh, long nonce, Signature signature)
      throws LedgerException {
    submit(
        "certificates:Transfer",
        from,
        to,
        Long.toString(slot),
        Long.toString(amountWh),
        Long.toUnsignedString(nonce),
        signature.toHex());
  }

  @Override
  public void retireCertificates(
      String holder, long slot, long amountWh, long nonce, Signature signature)
      throws LedgerException {
    submit(
        "certificates:Retire",
        holder,
        Long.toString(slot),
        Long.toString(amountWh),
        Long.toUnsignedString(nonce),
        signature.toHex());
  }

  /** Evaluates a lookup; NOT_FOUND or an empty result is an empty Optional. */
  protected final Optional<Fields> query(String function, String... args) throws LedgerException {
    String json;
    try {
      json = evaluate(function, args);
    } catch (LedgerRejectedException e) {
      if (e.reason() == LedgerReason.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
    if (json == null || json.isBlank() || json.equals("null")) {
      return Optional.empty();
    }
    return Optional.of(result(function, json));
  }

  protected static Fields result(String function, String json) throws LedgerException {
    try {
      return Fields.of(Json.parse(json), function);
    } catch (JsonException e) {
      throw new LedgerException(function + " returned malformed JSON: " + e.getMessage(), e);
    }
  }

  /** A result field read that may fail on an unexpected shape. */
  @FunctionalInterface
  protected interface Parse<T> {
    T get();
  }

  protected static <T> T parse(Parse<T> p) throws LedgerException {
    try {
      return p.get();
    } catch (IllegalArgumentException e) {
      throw new LedgerException("unexpected chaincode result: " + e.getMessage(), e);
    }
  }
}
