package org.cnemarket.engine.ledger.fabric;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.JsonException;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Hex;
import org.cnemarket.core.crypto.Signature;
import org.cnemarket.core.model.Participant;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SettlementBatch;
import org.cnemarket.core.model.SignedOrder;
import org.cnemarket.core.model.Trade;
import org.cnemarket.engine.ledger.Balance;
import org.cnemarket.engine.ledger.BatchRecord;
import org.cnemarket.engine.ledger.CertificateBalance;
import org.cnemarket.engine.ledger.DeliveryReceipt;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.ChaincodeEvents;
import org.cnemarket.engine.ledger.LedgerEvent;
import org.cnemarket.engine.ledger.LedgerException;
import org.cnemarket.engine.ledger.LedgerRejectedException;
import org.cnemarket.engine.ledger.LedgerStatus;
import org.cnemarket.engine.ledger.LedgerUnavailableException;
import org.cnemarket.engine.ledger.Reputation;
import org.cnemarket.engine.ledger.SettlementReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Ledger} port over a Fabric 2.5 network through the Fabric Gateway. Every mutating
 * call is one chaincode transaction: endorsed (by the peers the chaincode's endorsement policy
 * requires; the gateway peer finds them), ordered, and waited for until committed; a commit
 * invalidated by an MVCC or phantom read conflict is endorsed and submitted again per the
 * {@link RetryPolicy}. Queries are evaluated on the gateway peer. Each gateway call has the
 * deadline set in {@link FabricConfig.Deadlines}.
 *
 * <p>Events: the chaincode emits one event per transaction ({@code BatchSettled},
 * {@code CertificatesIssued}, ...). {@link #events(long, int)} reads them from the chaincode event
 * stream; cursors are {@code block * 1_000_000 + index of the event within the block}. Pair it
 * with {@link FabricEventFeed} and a {@link FileEventCheckpointer} to resume after a restart.
 */
public final class FabricLedger implements Ledger {
  private static final Logger LOG = LoggerFactory.getLogger(FabricLedger.class);

  /** Cursor stride: an event's cursor is {@code block * EVENTS_PER_BLOCK + index}. */
  public static final long EVENTS_PER_BLOCK = 1_000_000L;

  /** Waits between retries; replaced in tests. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final TransactionSubmitter submitter;
  private final RetryPolicy retry;
  private final String channel;
  private final Sleeper sleeper;
  private final DoubleSupplier random;
  private Optional<Path> checkpoint = Optional.empty();

  FabricLedger(
      TransactionSubmitter submitter,
      RetryPolicy retry,
      String channel,
      Sleeper sleeper,
      DoubleSupplier random) {
    this.submitter = submitter;
    this.retry = retry;
    this.channel = channel;
    this.sleeper = sleeper;
    this.random = random;
  }

  /** Connects to the gateway peer named in {@code config}. */
  public static FabricLedger connect(FabricConfig config) throws LedgerException {
    FabricLedger ledger =
        new FabricLedger(
            GatewaySubmitter.connect(config),
            config.retry(),
            config.channel(),
            d -> Thread.sleep(d.toMillis()),
            () -> ThreadLocalRandom.current().nextDouble());
    ledger.checkpoint = config.checkpointPath();
    return ledger;
  }

  /**
   * An event feed over this ledger that resumes from the profile's {@code checkpoint} file, if
   * the profile names one.
   */
  public Optional<FabricEventFeed> eventFeed() {
    return checkpoint.map(p -> new FabricEventFeed(this, new FileEventCheckpointer(p)));
  }

  /** Reads the JSON connection profile at {@code profile} and connects. */
  public static FabricLedger fromProfile(Path profile) throws LedgerException {
    return connect(FabricConfig.load(profile));
  }

  @Override
  public String backend() {
    return "fabric";
  }

  @Override
  public LedgerStatus status() throws LedgerException {
    return new LedgerStatus("fabric", submitter.height(), channel);
  }

  @Override
  public void register(Registration r) throws LedgerException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("account", r.account());
    m.put("role", r.role().name());
    m.put("name", r.name());
    m.put("nonce", r.nonce());
    m.put("signature", r.signature().toHex());
    submit("participants:Register", Json.write(m));
  }

  @Override
  public Optional<Participant> participant(String address) throws LedgerException {
    Optional<Fields> f = query("participants:Get", address.toLowerCase(Locale.ROOT));
    if (f.isEmpty()) {
      return Optional.empty();
    }
    Fields p = f.get();
    return Optional.of(
        parse(() -> new Participant(p.string("address"), Role.parse(p.string("role")), p.string("name"))));
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
  public SettlementReceipt settle(SettlementBatch batch) throws LedgerException {
    TransactionSubmitter.Committed c = submit("settlement:Settle", RecordCodec.toJson(batch));
    Fields f = result("settlement:Settle", c.result());
    return parse(
        () ->
            new SettlementReceipt(
                f.string("batchId"),
                f.string("txId", c.txId()),
                c.blockNumber(),
                f.has("alreadySettled") && f.bool("alreadySettled")));
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
    Fields f = result("escrow:Balance", submitter.evaluate("escrow:Balance", account));
    return parse(
        () -> new Balance(f.string("account"), f.longValue("availableMicros"), f.longValue("escrowMicros")));
  }

  @Override
  public DeliveryReceipt reportDelivery(
      String batchId, Trade trade, List<byte[]> proof, long deliveredQuantity) throws LedgerException {
    List<String> proofHex = new ArrayList<>();
    for (byte[] p : proof) {
      proofHex.add(Hex.encode(p));
    }
    TransactionSubmitter.Committed c =
        submit(
            "certificates:ReportDelivery",
            batchId,
            RecordCodec.toJson(trade),
            Json.write(proofHex),
            Long.toString(deliveredQuantity));
    Fields f = result("certificates:ReportDelivery", c.result());
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
    Fields f = result("certificates:Reputation", submitter.evaluate("certificates:Reputation", provider));
    return parse(
        () ->
            new Reputation(
                f.string("provider"),
                f.longValue("committed"),
                f.longValue("delivered"),
                f.longValue("successes"),
                f.longValue("failures")));
  }

  @Override
  public CertificateBalance certificates(String holder, long slot) throws LedgerException {
    Fields f =
        result(
            "certificates:Balance",
            submitter.evaluate("certificates:Balance", holder, Long.toString(slot)));
    return parse(
        () ->
            new CertificateBalance(
                f.string("holder"), f.longValue("slot"), f.longValue("heldWh"), f.longValue("retiredWh")));
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
        Long.toString(nonce),
        signature.toHex());
  }

  @Override
  public void retireCertificates(
      String holder, long slot, long amountWh, long nonce, Signature signature) throws LedgerException {
    submit(
        "certificates:Retire",
        holder,
        Long.toString(slot),
        Long.toString(amountWh),
        Long.toString(nonce),
        signature.toHex());
  }

  @Override
  public List<LedgerEvent> events(long cursor, int max) throws LedgerException {
    if (max <= 0) {
      return List.of();
    }
    long startBlock = cursor < 0 ? 0 : cursor / EVENTS_PER_BLOCK;
    if (startBlock >= submitter.height()) {
      return List.of();
    }
    // Re-read the cursor's block from its start so that indexes within it are exact.
    long skip = cursor < 0 ? 0 : (cursor % EVENTS_PER_BLOCK) / 2 + 1;
    int want = (int) Math.min(Integer.MAX_VALUE, max + skip);
    List<TransactionSubmitter.ChainEvent> raw = submitter.events(startBlock, Optional.empty(), want);
    return toLedgerEvents(raw, cursor, max);
  }

  /** Numbers raw chaincode events by block and index, keeps those after {@code cursor}. */
  static List<LedgerEvent> toLedgerEvents(
      List<TransactionSubmitter.ChainEvent> raw, long cursor, int max) {
    List<LedgerEvent> out = new ArrayList<>();
    long block = -1;
    long index = 0;
    for (TransactionSubmitter.ChainEvent e : raw) {
      if (e.blockNumber() != block) {
        block = e.blockNumber();
        index = 0;
      } else {
        index++;
      }
      for (LedgerEvent le : ChaincodeEvents.of(block, index, e.name(), e.payload(), cursor)) {
        out.add(le);
        if (out.size() == max) {
          return out;
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    submitter.close();
  }

  /** Submits with retry of MVCC / phantom read conflicts; returns the valid commit. */
  TransactionSubmitter.Committed submit(String transaction, String... args) throws LedgerException {
    for (int attempt = 1; ; attempt++) {
      TransactionSubmitter.Committed c = submitter.submit(transaction, args);
      if (c.valid()) {
        return c;
      }
      if (retry.shouldRetry(c.code(), attempt)) {
        Duration wait = retry.jitteredBackoff(attempt, random.getAsDouble());
        LOG.info(
            "{} tx {} invalidated with {} (attempt {}/{}); retrying in {} ms",
            transaction,
            c.txId(),
            c.code(),
            attempt,
            retry.maxAttempts(),
            wait.toMillis());
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new LedgerUnavailableException(transaction + ": interrupted while backing off", e);
        }
        continue;
      }
      if (retry.retryable(c.code())) {
        throw new LedgerUnavailableException(
            transaction + ": still " + c.code() + " after " + attempt + " attempts (last tx " + c.txId() + ")",
            null);
      }
      throw new LedgerRejectedException(
          "INVALID", transaction + ": transaction " + c.txId() + " was invalidated at commit: " + c.code());
    }
  }

  /** Evaluates a lookup; NOT_FOUND or an empty result is an empty Optional. */
  private Optional<Fields> query(String transaction, String... args) throws LedgerException {
    String json;
    try {
      json = submitter.evaluate(transaction, args);
    } catch (LedgerRejectedException e) {
      if ("NOT_FOUND".equals(e.reason())) {
        return Optional.empty();
      }
      throw e;
    }
    if (json == null || json.isBlank() || json.equals("null")) {
      return Optional.empty();
    }
    return Optional.of(result(transaction, json));
  }

  private static Fields result(String transaction, String json) throws LedgerException {
    try {
      return Fields.of(Json.parse(json), transaction);
    } catch (JsonException e) {
      throw new LedgerException(transaction + " returned malformed JSON: " + e.getMessage(), e);
    }
  }

  @FunctionalInterface
  private interface Parse<T> {
    T get();
  }

  private static <T> T parse(Parse<T> p) throws LedgerException {
    try {
      return p.get();
    } catch (IllegalArgumentException e) {
      throw new LedgerException("unexpected chaincode result: " + e.getMessage(), e);
    }
  }
}
