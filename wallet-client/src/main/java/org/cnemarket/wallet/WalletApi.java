package org.cnemarket.wallet;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.cnemarket.core.client.MarketClient;
import org.cnemarket.core.client.MarketClientException;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.JsonException;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Secp256k1;
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
import org.cnemarket.wallet.order.Nonces;
import org.cnemarket.wallet.order.OrderTerms;
import org.cnemarket.wallet.proof.ProofCheck;
import org.cnemarket.wallet.proof.ProofVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A participant's handle on the market. It signs with the participant's key (EIP-712, for the
 * domain the engine announces) and talks to the engine through {@link MarketClient}, so every call
 * has a deadline. Without a key it is read-only: queries and proof checks still work, which is all
 * an auditor needs.
 *
 * <p>Refusals and unreachable engines surface as {@link MarketClientException} (status 0 when the
 * engine was not reached); a reply of the wrong shape as {@link JsonException}.
 */
public final class WalletApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WalletApi.class);

  private final MarketClient client;
  private final Secp256k1.KeyPair key;
  private final String engineUrl;
  private final Duration timeout;
  private volatile Eip712.Domain domain;
  private volatile String bearer;

  private WalletApi(
      MarketClient client, Secp256k1.KeyPair key, String engineUrl, Duration timeout) {
    this.client = client;
    this.key = key;
    this.engineUrl = engineUrl;
    this.timeout = timeout;
  }

  /**
   * A wallet for the engine at {@code engineUrl} (e.g. {@code http://127.0.0.1:8080}).
   *
   * @param timeout the deadline of each call
   * @param key the participant's key, or null for a read-only wallet
   */
  public static WalletApi connect(String engineUrl, Duration timeout, Secp256k1.KeyPair key) {
    return new WalletApi(MarketClient.connect(engineUrl, timeout), key, engineUrl, timeout);
  }

  /** Signed-in tokens are short-lived: sign in again well before one expires. */
  private static final long SIGN_IN_EVERY_MILLIS = 5 * 60_000L;

  private long signedInAtMillis;

  /**
   * The REST client, signed in with the wallet's key (the engine serves signed-in participants).
   */
  private MarketClient client() throws MarketClientException {
    long now = System.currentTimeMillis();
    if (key != null && now - signedInAtMillis > SIGN_IN_EVERY_MILLIS) {
      bearer = client.login(key);
      signedInAtMillis = now;
    }
    return client;
  }

  // ---- notifications ----

  /**
   * Follows the engine's event stream: round results, and (with a key) this participant's fills,
   * settlements and low-balance warnings. Returns true when {@code handler} returned false, false
   * when {@code deadlineNanos} (System.nanoTime) passed first.
   *
   * @param reconnectDelay the wait before reconnecting after a dropped stream
   * @param onSubscribed called each time the stream is (re)established
   */
  public boolean follow(
      long deadlineNanos,
      Duration reconnectDelay,
      EventStream.OnSubscribed onSubscribed,
      Predicate<Notification> handler)
      throws MarketClientException, InterruptedException {
    return new EventStream(engineUrl, timeout, reconnectDelay)
        .follow(
            () -> {
              client();
              return bearer;
            },
            deadlineNanos,
            onSubscribed,
            handler);
  }

  /** The wallet's address, when it has a key. */
  public Optional<String> address() {
    return key == null ? Optional.empty() : Optional.of(key.address());
  }

  // ---- market ----

  /** The market's current state; refreshes the cached signing domain. */
  public MarketInfo market() throws MarketClientException {
    Fields f = client.get("/v1/market");
    return parse(
        () -> {
          Eip712.Domain d = RecordCodec.domain(f.object("domain"));
          this.domain = d;
          Fields ledger = f.object("ledger");
          return new MarketInfo(
              d,
              f.longValue("lastRound", 0),
              f.has("lastClosedSlot")
                  ? Optional.of(f.longValue("lastClosedSlot"))
                  : Optional.empty(),
              ledger.string("backend", ""),
              ledger.longValue("height", 0),
              ledger.string("network", ""),
              f.has("parameters") ? f.object("parameters").string("compute", "") : "");
        });
  }

  /** The signing domain the engine announces (fetched once, then cached). */
  public Eip712.Domain domain() throws MarketClientException {
    Eip712.Domain d = domain;
    return d != null ? d : market().domain();
  }

  // ---- participants ----

  /** Registers this wallet's key with {@code role} and a fresh nonce. */
  public Participant register(Role role, String name) throws MarketClientException {
    return register(role, name, Nonces.next());
  }

  /**
   * Signs and posts a registration; registering again with the same role is a no-op on the engine.
   */
  public Participant register(Role role, String name, long nonce) throws MarketClientException {
    Registration reg = Registration.sign(domain(), requireKey(), role, name, nonce);
    Fields f = client.post("/v1/participants", RecordCodec.registration(reg));
    LOG.debug("registered {} as {}", reg.account(), role);
    return participant(f);
  }

  // ---- incentive contracts ----

  /**
   * The incentive menu of {@code epoch} (null: the epoch of the next open slot), as the engine
   * sends it.
   */
  public Map<String, Object> contractMenu(Long epoch) throws MarketClientException {
    Fields f = client().get("/v1/contracts/menu" + (epoch == null ? "" : "?epoch=" + epoch));
    return Json.parseObject(Json.write(raw(f)));
  }

  /** This provider's type from its delivery record, as the engine reads it from the ledger. */
  public long contractType() throws MarketClientException {
    return client()
        .get("/v1/participants/" + requireKey().address() + "/reputation")
        .longValue("type");
  }

  /**
   * Takes contract {@code index} of {@code epoch}'s menu with a signed EIP-712 ContractChoice; the
   * engine accepts only the contract designed for this provider's type.
   */
  public Map<String, Object> takeContract(long epoch, long index, long nonce)
      throws MarketClientException {
    byte[] digest =
        Eip712.contractChoiceDigest(domain(), requireKey().address(), epoch, index, nonce);
    Fields f =
        client()
            .post(
                "/v1/contracts",
                Map.of(
                    "provider",
                    requireKey().address(),
                    "epoch",
                    epoch,
                    "index",
                    index,
                    "nonce",
                    nonce,
                    "signature",
                    requireKey().sign(digest).toHex()));
    return Json.parseObject(Json.write(raw(f)));
  }

  private static Object raw(Fields f) {
    return f.rawMap();
  }

  /** The participant registered at {@code address}, or empty. */
  public Optional<Participant> participant(String address) throws MarketClientException {
    try {
      return Optional.of(participant(client().get("/v1/participants/" + addr(address))));
    } catch (MarketClientException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The ledger balance of {@code address}. */
  public Balance balance(String address) throws MarketClientException {
    Fields f = client().get("/v1/participants/" + addr(address) + "/balance");
    return parse(
        () ->
            new Balance(
                f.string("account"), f.longValue("availableMicros"), f.longValue("escrowMicros")));
  }

  /** This wallet's ledger balance. */
  public Balance balance() throws MarketClientException {
    return balance(requireKey().address());
  }

  // ---- orders ----

  /** Signs {@code terms} as an order of {@code kind} by this wallet and submits it. */
  public OrderReceipt submitOrder(OrderKind kind, OrderTerms terms) throws MarketClientException {
    Order order = terms.toOrder(kind, requireKey().address());
    return submit(SignedOrder.sign(domain(), order, key));
  }

  /**
   * Signs a complete order with this wallet's key for the engine's domain, without sending it (the
   * order's trader must be this wallet's address).
   */
  public SignedOrder sign(Order order) throws MarketClientException {
    if (!order.trader().equalsIgnoreCase(requireKey().address())) {
      throw new IllegalArgumentException(
          "order of " + order.trader() + " cannot be signed by " + key.address());
    }
    return SignedOrder.sign(domain(), order, key);
  }

  /** Submits an already signed order (e.g. one signed offline). */
  public OrderReceipt submit(SignedOrder signed) throws MarketClientException {
    Fields f = client().post("/v1/orders", RecordCodec.signedOrder(signed));
    return parse(() -> new OrderReceipt(f.string("orderId"), f.string("status"), signed));
  }

  /** The most orders the engine takes in one batch request. */
  public static final int MAX_BATCH = 1000;

  /**
   * Submits already signed orders of this wallet's trader in batches of up to {@link #MAX_BATCH}
   * ({@code POST /v1/orders/batch}): each is accepted or refused on its own, in the order given. A
   * batch the engine refuses whole (for example an order of another trader) throws.
   */
  public List<OrderOutcome> submitAll(List<SignedOrder> signed) throws MarketClientException {
    List<OrderOutcome> out = new ArrayList<>(signed.size());
    for (int from = 0; from < signed.size(); from += MAX_BATCH) {
      List<SignedOrder> part = signed.subList(from, Math.min(signed.size(), from + MAX_BATCH));
      Fields f =
          client()
              .post(
                  "/v1/orders/batch",
                  Map.of("orders", part.stream().map(RecordCodec::signedOrder).toList()));
      List<Object> results = parse(() -> f.list("results"));
      if (results.size() != part.size()) {
        throw new JsonException(
            "unexpected reply from the engine: "
                + results.size()
                + " outcomes for "
                + part.size()
                + " orders");
      }
      for (int i = 0; i < part.size(); i++) {
        Fields r = Fields.of(results.get(i), "results[" + i + "]");
        SignedOrder so = part.get(i);
        out.add(
            parse(
                () -> {
                  if (!r.has("problem")) {
                    return new OrderOutcome(
                        so, new OrderReceipt(r.string("orderId"), r.string("status"), so), null);
                  }
                  Fields p = r.object("problem");
                  return new OrderOutcome(
                      so, null, MarketClientException.ofProblem((int) p.longValue("status"), p));
                }));
      }
    }
    return out;
  }

  /** Orders of {@code trader}, newest first. */
  public List<OrderView> orders(String trader, int offset, int limit) throws MarketClientException {
    Fields f = client().get("/v1/orders?trader=" + addr(trader) + page(offset, limit));
    return parse(
        () -> {
          List<OrderView> out = new ArrayList<>();
          for (Object o : f.list("items")) {
            out.add(orderView(Fields.of(o, "order")));
          }
          return out;
        });
  }

  /** This wallet's orders, newest first. */
  public List<OrderView> orders(int offset, int limit) throws MarketClientException {
    return orders(requireKey().address(), offset, limit);
  }

  /** One order by id, or empty. */
  public Optional<OrderView> order(String orderId) throws MarketClientException {
    try {
      Fields f = client().get("/v1/orders/" + hash(orderId));
      return Optional.of(parse(() -> orderView(f)));
    } catch (MarketClientException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  // ---- trades and rounds ----

  /**
   * Trades where {@code participant} (null for all) is buyer or seller, in a slot range, newest
   * first.
   */
  public List<Trade> trades(String participant, long fromSlot, long toSlot, int offset, int limit)
      throws MarketClientException {
    StringBuilder q =
        new StringBuilder("/v1/trades?fromSlot=")
            .append(fromSlot)
            .append("&toSlot=")
            .append(toSlot);
    if (participant != null) {
      q.append("&participant=").append(addr(participant));
    }
    Fields f = client().get(q + page(offset, limit));
    return parse(
        () -> {
          List<Trade> out = new ArrayList<>();
          for (Object o : f.list("items")) {
            out.add(RecordCodec.trade(Fields.of(o, "trade")));
          }
          return out;
        });
  }

  /** Rounds, newest first. */
  public List<RoundView> rounds(int offset, int limit) throws MarketClientException {
    Fields f = client().get("/v1/rounds?" + page(offset, limit).substring(1));
    return parse(
        () -> {
          List<RoundView> out = new ArrayList<>();
          for (Object o : f.list("items")) {
            out.add(roundView(Fields.of(o, "round")));
          }
          return out;
        });
  }

  /** One round, or empty. */
  public Optional<RoundView> round(long round) throws MarketClientException {
    try {
      Fields f = client().get("/v1/rounds/" + round);
      return Optional.of(parse(() -> roundView(f)));
    } catch (MarketClientException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  // ---- proofs ----

  /**
   * Verifies that trade {@code tradeId} is in its settlement batch on the ledger: the leaf is
   * recomputed from the trade's fields and the path checked against the root the ledger holds. An
   * unknown trade or a batch not on the ledger is a result, not an exception.
   */
  public ProofCheck verifyTrade(String tradeId) throws MarketClientException {
    String id = hash(tradeId);
    Eip712.Domain d = domain();
    Fields proof;
    try {
      proof = client().get("/v1/trades/" + id + "/proof");
    } catch (MarketClientException e) {
      if (e.status() == 404) {
        return new ProofCheck(
            id,
            ProofCheck.Status.UNKNOWN_TRADE,
            "the engine knows no trade " + id,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            0);
      }
      throw e;
    }
    // Ask the ledger for the batch id we compute ourselves, not for the one the engine names.
    Optional<Fields> ledgerBatch = Optional.empty();
    try {
      Trade t = RecordCodec.trade(proof.object("trade"));
      String batchId = SettlementBatch.batchId(d, t.round());
      ledgerBatch = Optional.of(client().get("/v1/ledger/batches/" + batchId));
    } catch (MarketClientException e) {
      if (e.status() != 404) {
        throw e;
      }
    } catch (IllegalArgumentException e) {
      // A malformed trade: the verifier reports it below.
      LOG.debug("proof of {} has a malformed trade: {}", id, e.getMessage());
    }
    return ProofVerifier.verify(d, id, proof, ledgerBatch);
  }

  @Override
  public void close() {
    client.close();
  }

  // ---- helpers ----

  private Secp256k1.KeyPair requireKey() {
    if (key == null) {
      throw new IllegalStateException("this wallet has no key; open it with a keystore to sign");
    }
    return key;
  }

  private static Participant participant(Fields f) {
    return parse(
        () -> new Participant(f.string("address"), Role.parse(f.string("role")), f.string("name")));
  }

  private static OrderView orderView(Fields f) {
    Order o = RecordCodec.order(f.object("order"));
    return new OrderView(
        f.string("orderId"),
        new SignedOrder(o, Signature.fromHex(f.string("signature"))),
        f.longValue("filled"),
        f.string("status"));
  }

  private static RoundView roundView(Fields f) {
    long energyPrice = 0;
    long computePrice = 0;
    if (f.has("results")) {
      Fields r = f.object("results");
      energyPrice = r.has("energy") ? r.object("energy").longValue("priceMicros", 0) : 0;
      computePrice = r.has("compute") ? r.object("compute").longValue("priceMicros", 0) : 0;
    }
    return new RoundView(
        f.longValue("round"),
        f.longValue("slot"),
        f.longValue("orders", 0),
        f.longValue("trades", 0),
        f.longValue("energyWh", 0),
        f.longValue("greenWh", 0),
        f.longValue("computeMilliUnits", 0),
        f.longValue("valueMicros", 0),
        energyPrice,
        computePrice,
        f.string("batchId", ""),
        f.string("settlement", ""));
  }

  private static String page(int offset, int limit) {
    if (offset < 0 || limit < 1) {
      throw new IllegalArgumentException("offset must be ≥ 0 and limit ≥ 1");
    }
    return "&offset=" + offset + "&limit=" + limit;
  }

  private static String addr(String address) {
    String a = address == null ? "" : address.toLowerCase(Locale.ROOT);
    if (!a.matches("0x[0-9a-f]{40}")) {
      throw new IllegalArgumentException("not a 0x address: " + address);
    }
    return URLEncoder.encode(a, StandardCharsets.UTF_8);
  }

  private static String hash(String h) {
    String s = h == null ? "" : h.toLowerCase(Locale.ROOT);
    if (!s.matches("0x[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not a 32-byte 0x hash: " + h);
    }
    return s;
  }

  @FunctionalInterface
  private interface Parse<T> {
    T get();
  }

  /** Runs a response mapping; a reply of the wrong shape becomes a {@link JsonException}. */
  private static <T> T parse(Parse<T> p) {
    try {
      return p.get();
    } catch (JsonException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new JsonException("unexpected reply from the engine: " + e.getMessage());
    }
  }
}
