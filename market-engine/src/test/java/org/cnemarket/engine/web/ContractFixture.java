package org.cnemarket.engine.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cnemarket.engine.MarketFixture.DOMAIN;
import static org.cnemarket.engine.MarketFixture.key;
import static org.cnemarket.engine.MarketFixture.order;
import static org.cnemarket.engine.MarketFixture.registration;
import static org.cnemarket.engine.MarketFixture.signed;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Secp256k1;
import org.cnemarket.core.eip712.Eip712;
import org.cnemarket.core.model.OrderKind;
import org.cnemarket.core.model.Role;
import org.cnemarket.engine.Engine;
import org.cnemarket.engine.config.EngineConfig;
import org.cnemarket.engine.config.SurfaceConfig;

/**
 * A live engine (embedded ledger) with one participant of each role, a settled round, and for every
 * operation of openapi.yaml a request that the contract accepts and that concerns the owner: the
 * ground the generated authorization and fuzz tests stand on.
 */
final class ContractFixture implements AutoCloseable {
  static final String TOKEN = "operator-token-for-authorization-matrix";
  static final Secp256k1.KeyPair OWNER = key("matrix-owner");
  static final Secp256k1.KeyPair OTHER = key("matrix-other");
  static final Secp256k1.KeyPair GRID = key("matrix-grid");
  static final Secp256k1.KeyPair USER = key("matrix-user");
  static final Secp256k1.KeyPair AUDITOR = key("matrix-auditor");
  static final long SLOT = 3000;
  static final String DUMMY_SIGNATURE = "0x" + "11".repeat(65);

  /** Who calls: its token (null: none) and its role (null: not signed in). */
  record Caller(String name, String token, Role role, String address) {}

  record Op(
      String id,
      String method,
      String path,
      boolean open,
      Set<Role> roles,
      boolean owned,
      Set<Integer> documented) {}

  record Reply(int status, String body) {}

  final Engine engine;
  // HTTP/1.1 with keep-alive: a connection the server drops shows up as an IOException.
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final List<Caller> callers = new ArrayList<>();
  String ownerOrder;
  String trade;
  String batch;

  ContractFixture(Path dir) throws Exception {
    this(dir, SurfaceConfig.defaults());
  }

  ContractFixture(Path dir, SurfaceConfig surfaceConfig) throws Exception {
    engine = Engine.start(EngineConfig.embedded(dir, 0, TOKEN), surfaceConfig, Clock.systemUTC());
    var t = engine.surfaces().tokens();
    assertThat(
            send("POST", "/v1/auditors", Json.write(Map.of("address", AUDITOR.address())), TOKEN)
                .status())
        .isEqualTo(201);
    for (var r :
        List.of(
            registration(OWNER, Role.PROVIDER, "owner"),
            registration(OTHER, Role.PROVIDER, "other"),
            registration(GRID, Role.MICROGRID, "grid"),
            registration(USER, Role.USER, "user"),
            registration(AUDITOR, Role.AUDITOR, "auditor"))) {
      assertThat(
              send("POST", "/v1/participants", Json.write(RecordCodec.registration(r)), null)
                  .status())
          .isEqualTo(201);
    }
    send(
        "POST",
        "/v1/deposits",
        Json.write(
            Map.of(
                "depositId",
                "matrix-owner",
                "account",
                OWNER.address(),
                "amountMicros",
                50_000_000L)),
        TOKEN);
    String owner = t.issue(OWNER.address(), Role.PROVIDER);
    String grid = t.issue(GRID.address(), Role.MICROGRID);
    send(
        "POST",
        "/v1/orders",
        Json.write(
            RecordCodec.signedOrder(
                signed(order(OrderKind.ENERGY_OFFER, GRID, SLOT, 5000, 50_000, 1), GRID))),
        grid);
    ownerOrder =
        Fields.of(
                Json.parse(
                    send(
                            "POST",
                            "/v1/orders",
                            Json.write(
                                RecordCodec.signedOrder(
                                    signed(
                                        order(OrderKind.ENERGY_BID, OWNER, SLOT, 4000, 90_000, 1),
                                        OWNER))),
                            owner)
                        .body()),
                "order")
            .string("orderId");
    Fields round =
        Fields.of(
            Json.parse(send("POST", "/v1/rounds", Json.write(Map.of("slot", SLOT)), TOKEN).body()),
            "round");
    batch = round.string("batchId");
    trade =
        Fields.of(
                Fields.of(
                        Json.parse(
                            send("GET", "/v1/trades?participant=" + OWNER.address(), null, TOKEN)
                                .body()),
                        "trades")
                    .list("items")
                    .get(0),
                "trade")
            .string("tradeId");

    callers.add(new Caller("no token", null, null, null));
    callers.add(
        new Caller(
            "expired token",
            t.issue(OWNER.address(), Role.PROVIDER, System.currentTimeMillis() - 1000),
            null,
            null));
    callers.add(new Caller("owner (PROVIDER)", owner, Role.PROVIDER, OWNER.address()));
    callers.add(
        new Caller(
            "another PROVIDER",
            t.issue(OTHER.address(), Role.PROVIDER),
            Role.PROVIDER,
            OTHER.address()));
    callers.add(new Caller("MICROGRID", grid, Role.MICROGRID, GRID.address()));
    callers.add(new Caller("USER", t.issue(USER.address(), Role.USER), Role.USER, USER.address()));
    callers.add(
        new Caller(
            "AUDITOR", t.issue(AUDITOR.address(), Role.AUDITOR), Role.AUDITOR, AUDITOR.address()));
    callers.add(new Caller("OPERATOR", TOKEN, Role.OPERATOR, null));
  }

  @Override
  public void close() {
    engine.close();
  }

  Reply send(String method, String path, String body, String bearer) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(engine.baseUrl() + path));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    if (path.startsWith("/v1/events")) {
      // An open event stream never ends: read its first line (or a refusal's whole body), then hang
      // up.
      HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (var in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        String text =
            r.statusCode() == 200 ? in.readLine() : in.lines().collect(Collectors.joining("\n"));
        return new Reply(r.statusCode(), text);
      }
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body());
  }

  /** Every operation of the contract as the gate reads it. */
  static List<Op> operations() {
    JsonObject paths = ApiGate.contractJson().getJsonObject("paths");
    List<Op> ops = new ArrayList<>();
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        JsonObject op = item.getJsonObject(method);
        boolean open = op.getJsonArray("security") != null && op.getJsonArray("security").isEmpty();
        Set<Role> roles =
            op.getJsonArray("x-cne-roles") == null
                ? Set.of(Role.values())
                : op.getJsonArray("x-cne-roles").stream()
                    .map(r -> Role.valueOf(r.toString()))
                    .collect(Collectors.toSet());
        Set<Integer> documented =
            op.getJsonObject("responses").fieldNames().stream()
                .map(Integer::parseInt)
                .collect(Collectors.toCollection(TreeSet::new));
        ops.add(
            new Op(
                op.getString("operationId"),
                method.toUpperCase(),
                path,
                open,
                roles,
                op.getJsonObject("x-cne-owner") != null,
                documented));
      }
    }
    return ops;
  }

  /** A request for the operation that concerns the owner, valid against the contract. */
  String url(Op op) {
    String p =
        op.path()
            .replace("{address}", OWNER.address())
            .replace("{round}", "1")
            .replace("{batchId}", batch);
    if (p.contains("{id}")) {
      p =
          p.replace(
              "{id}",
              p.startsWith("/v1/orders") ? ownerOrder : p.startsWith("/v1/trades") ? trade : batch);
    }
    String query =
        switch (op.id()) {
          case "authChallenge" -> "address=" + OWNER.address();
          case "listOrders" -> "trader=" + OWNER.address();
          case "carbonReport" -> "participant=" + OWNER.address();
          case "getCertificates" -> "fromSlot=" + SLOT + "&toSlot=" + SLOT;
          case "listContracts" -> "epoch=" + SLOT / 24;
          default -> null;
        };
    return query == null ? p : p + "?" + query;
  }

  String body(Op op) {
    Object b =
        switch (op.id()) {
          case "authLogin" -> Map.of("message", "not a challenge", "signature", DUMMY_SIGNATURE);
          case "registerParticipant" ->
              RecordCodec.registration(registration(key("matrix-newcomer"), Role.USER, "new"));
          case "admitAuditor" -> Map.of("address", key("matrix-auditor-2").address());
          case "setMechanismParameters" ->
              Map.of("energy", "uniform", "kPermille", 500L, "compute", "stackelberg");
          case "setPowerModel" ->
              Map.of("idleW", 100L, "peakW", 300L, "pueBps", 12_000L, "utilisationBps", 5_000L);
          case "createDeposit" ->
              Map.of("depositId", "matrix-2", "account", OWNER.address(), "amountMicros", 1L);
          case "submitOrder" ->
              RecordCodec.signedOrder(
                  signed(order(OrderKind.ENERGY_BID, OWNER, SLOT + 5, 100, 90_000, 77), OWNER));
          case "submitOrders" ->
              Map.of(
                  "orders",
                  List.of(
                      RecordCodec.signedOrder(
                          signed(
                              order(OrderKind.ENERGY_BID, OWNER, SLOT + 5, 100, 90_000, 78),
                              OWNER))));
          case "closeRound" -> Map.of("slot", SLOT + 1);
          case "chooseContract" ->
              Map.of(
                  "provider",
                  OWNER.address(),
                  "epoch",
                  SLOT / 24,
                  "index",
                  1L,
                  "nonce",
                  1L,
                  "signature",
                  OWNER
                      .sign(Eip712.contractChoiceDigest(DOMAIN, OWNER.address(), SLOT / 24, 1, 1))
                      .toHex());
          case "reportMeterReading" -> Map.of("tradeId", trade, "deliveredQuantity", 1L);
          case "transferCertificates" ->
              Map.of(
                  "from",
                  OWNER.address(),
                  "to",
                  USER.address(),
                  "slot",
                  SLOT,
                  "amountWh",
                  1L,
                  "nonce",
                  5L,
                  "signature",
                  DUMMY_SIGNATURE);
          case "retireCertificates" ->
              Map.of(
                  "holder",
                  OWNER.address(),
                  "slot",
                  SLOT,
                  "amountWh",
                  1L,
                  "nonce",
                  6L,
                  "signature",
                  DUMMY_SIGNATURE);
          default -> null;
        };
    return b == null ? null : Json.write(b);
  }

  /** What a refused call must leave alone: market, ledger, balances, orders, auditors, readings. */
  String fingerprint() throws Exception {
    StringBuilder b = new StringBuilder();
    for (String path :
        List.of(
            "/v1/market",
            "/v1/audit/conservation",
            "/v1/participants?limit=500",
            "/v1/orders?trader=" + OWNER.address(),
            "/v1/auditors",
            "/v1/meter-readings?limit=500",
            "/v1/contracts?epoch=" + SLOT / 24,
            "/v1/participants/" + OWNER.address() + "/balance")) {
      b.append(path).append(' ').append(send("GET", path, null, TOKEN).body()).append('\n');
    }
    b.append(engine.ledger().status().height());
    return b.toString();
  }

  /**
   * The fingerprint once the ledger feed has taken every record pending so far onto the ledger, so
   * an earlier accepted request reaching the ledger in the background is not read as a change.
   */
  String settledFingerprint() throws Exception {
    engine.market().feed().flush();
    return fingerprint();
  }

  /** Ledger height, orders, rounds, deposits, participants, auditors: what any write would move. */
  /**
   * The state once the ledger feed has taken every record pending so far onto the ledger: what an
   * earlier accepted request recorded reaches the ledger in the background, and must not be
   * mistaken for a change made by the request that follows.
   */
  String settledState() throws Exception {
    engine.market().feed().flush();
    return state();
  }

  String state() throws Exception {
    var st = engine.store();
    return engine.ledger().status().height()
        + "/"
        + st.orders().count()
        + "/"
        + st.rounds().last()
        + "/"
        + st.deposits().totalMicros()
        + "/"
        + st.participants().list(null, 0, 10_000).size()
        + "/"
        + st.participants().admittedAuditors().size();
  }

  /**
   * The caller an operation is meant for: the owner when a provider may call it, else the operator.
   */
  Caller callerFor(Op op) {
    if (op.open()) {
      return callers.get(0);
    }
    if (op.roles().contains(Role.PROVIDER)) {
      return callers.get(2);
    }
    if (op.roles().contains(Role.OPERATOR)) {
      return callers.get(7);
    }
    return callers.stream()
        .filter(c -> c.role() != null && op.roles().contains(c.role()))
        .findFirst()
        .orElseThrow();
  }

  static final List<String> CALLER_NAMES =
      List.of(
          "no token",
          "expired token",
          "owner (PROVIDER)",
          "another PROVIDER",
          "MICROGRID",
          "USER",
          "AUDITOR",
          "OPERATOR");

  static String problemType(Reply r) {
    Map<String, Object> m = new LinkedHashMap<>(Json.parseObject(r.body()));
    return String.valueOf(m.get("type"));
  }
}
