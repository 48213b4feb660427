package org.cnemarket.engine.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ValidatedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.cnemarket.core.codec.JsonException;
import org.cnemarket.core.model.Role;
import org.cnemarket.engine.auth.Principal;
import org.cnemarket.engine.auth.TokenService;
import org.cnemarket.engine.market.OrderQueries;
import org.cnemarket.engine.ops.EngineMetrics;
import org.cnemarket.engine.store.IdempotencyRecords.IdempotentResponse;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The front door of the REST API, driven by {@code openapi.yaml}: the Vert.x OpenAPI router
 * validates every request against the contract; then, per operation, the gate authenticates the
 * caller (engine JWT or the operator's configured token), applies the caller's rate limit, checks
 * the roles ({@code x-cne-roles}) and ownership ({@code x-cne-owner}) the contract declares, and
 * replays or records {@code Idempotency-Key} POSTs. It then hands the request, with the body the
 * validator parsed, to the one handler bound to the operation's operationId.
 */
public final class ApiGate {
  public static final String CONTRACT = "openapi.yaml";
  static final String START = "cne.start";
  static final String OPERATION = "cne.op";
  static final String IDEM = "cne.idem";

  /** The longest request URI the API answers; longer ones get a 414 problem. */
  public static final int MAX_URI_CHARS = 8192;

  /**
   * The server reads request lines up to this length (beyond it: 414 and the connection closed).
   */
  public static final int MAX_REQUEST_LINE = 64 * 1024;

  /** The largest request body read (beyond it: 413); every route of the router reads it so. */
  static final long MAX_BODY_BYTES = 4L << 20;

  private final Vertx vertx;
  private final Clock clock;
  private final TokenService tokens;
  private final byte[] operatorToken;
  private final RateLimiter limiter;
  private final IdempotencyLog idempotency;
  private final OrderQueries orders;
  private final EngineMetrics metrics;
  private final Map<String, Policy> policies = new HashMap<>();
  private OpenAPIContract contract;
  private Router router;
  private Set<String> bound = Set.of();
  private volatile boolean publicMarketData;

  /** What the contract says about one operation. */
  record Policy(
      String operationId,
      HttpMethod method,
      boolean open,
      Set<Role> roles,
      JsonObject owner,
      boolean publicData) {}

  record Claim(String scope, String key) {}

  /** Where the gate keeps the answers to {@code Idempotency-Key} POSTs. */
  public interface IdempotencyLog {
    /** Claims the key, or returns the answer stored under it (status 0: still running). */
    Optional<IdempotentResponse> claim(
        String scope, String key, String requestHash, long nowMillis);

    void complete(String scope, String key, int status, String contentType, String body);

    void release(String scope, String key);
  }

  public ApiGate(
      Vertx vertx,
      Clock clock,
      TokenService tokens,
      String operatorToken,
      RateLimiter limiter,
      IdempotencyLog idempotency,
      OrderQueries orders,
      EngineMetrics metrics) {
    this.vertx = vertx;
    this.clock = clock;
    this.tokens = tokens;
    this.operatorToken = operatorToken.getBytes(StandardCharsets.UTF_8);
    this.limiter = limiter;
    this.idempotency = idempotency;
    this.orders = orders;
    this.metrics = metrics;
  }

  /** The contract as shipped in the jar. */
  public static String contractText() {
    try (InputStream in = ApiGate.class.getClassLoader().getResourceAsStream(CONTRACT)) {
      if (in == null) {
        throw new IllegalStateException(CONTRACT + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + CONTRACT, e);
    }
  }

  /** Parses the YAML contract into the JSON model the OpenAPI loader takes. */
  public static JsonObject contractJson() {
    // vertx-openapi 5.0 refuses response media types outside its list, application/problem+json
    // and text/event-stream among them; responses are not validated, so the loaded copy names
    // them application/json and text/plain.
    String text =
        contractText()
            .replace("application/problem+json:", "application/json:")
            .replace("text/event-stream:", "text/plain:");
    Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) parsed;
    // Round-trip through JSON text so every nested map and list is a JsonObject / JsonArray.
    return new JsonObject(new JsonObject(map).encode());
  }

  /**
   * The contract as the router validates it: for an operation marked {@code
   * x-cne-items-checked-alone: NAME}, the items of the body's array {@code NAME} are left to the
   * handler, which checks each one alone against the contract's item schema ({@link #itemShape}),
   * so that one malformed item is refused alone instead of the whole request.
   */
  static JsonObject itemsCheckedAlone(JsonObject contract) {
    for (JsonObject model : itemsCheckedAloneIn(contract)) {
      arrayOf(model).put("items", new JsonObject());
    }
    return contract;
  }

  /**
   * The check of one item of the body array of an operation marked {@code
   * x-cne-items-checked-alone}.
   */
  static BodyShape itemShape(JsonObject contract, String operationId) {
    return itemsCheckedAloneIn(contract).stream()
        .filter(model -> operationId.equals(model.getString("operationId")))
        .findFirst()
        .map(model -> BodyShape.compile(arrayOf(model).getJsonObject("items"), contract))
        .orElseThrow(
            () -> new IllegalArgumentException(operationId + " has no items checked alone"));
  }

  /** The operations of {@code contract} marked {@code x-cne-items-checked-alone}. */
  private static List<JsonObject> itemsCheckedAloneIn(JsonObject contract) {
    List<JsonObject> out = new ArrayList<>();
    JsonObject paths = contract.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (Map.Entry<String, Object> op : paths.getJsonObject(path)) {
        if (op.getValue() instanceof JsonObject model
            && model.getString("x-cne-items-checked-alone") != null) {
          out.add(model);
        }
      }
    }
    return out;
  }

  private static JsonObject arrayOf(JsonObject model) {
    return model
        .getJsonObject("requestBody")
        .getJsonObject("content")
        .getJsonObject("application/json")
        .getJsonObject("schema")
        .getJsonObject("properties")
        .getJsonObject(model.getString("x-cne-items-checked-alone"));
  }

  /**
   * Loads and checks the contract and builds the router: per operation of the contract, the gate,
   * then the operation's handler from {@code operations} (bound by operationId, exactly one each).
   */
  public Future<Router> router(Operations operations) {
    return OpenAPIContract.from(vertx, itemsCheckedAlone(contractJson()))
        .map(
            c -> {
              this.contract = c;
              operations.requireExactly(
                  c.operations().stream()
                      .map(Operation::getOperationId)
                      .collect(Collectors.toUnmodifiableSet()));
              RouterBuilder rb =
                  RouterBuilder.create(
                      vertx, new CachedValidators(c), RequestExtractor.withBodyHandler());
              rb.rootHandler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
              rb.rootHandler(this::begin);
              for (OpenAPIRoute route : rb.getRoutes()) {
                Operation op = route.getOperation();
                Policy p = policy(op);
                policies.put(op.getOperationId(), p);
                Operations.Handler handler = operations.handler(op.getOperationId());
                route.setDoSecurity(false);
                route.addHandler(ctx -> guard(ctx, p));
                route.addHandler(ctx -> dispatch(ctx, handler));
              }
              this.bound = operations.operationIds();
              this.router = rb.createRouter();
              return router;
            });
  }

  /** Hands the validated request to the operation's handler; a refusal becomes its problem. */
  private void dispatch(RoutingContext ctx, Operations.Handler handler) {
    try {
      handler.handle(new Call(vertx, ctx, validatedBody(ctx)));
    } catch (JsonException e) {
      // A body field of the wrong shape, read by the handler.
      Problems.send(ctx, ApiProblem.badRequest(e.getMessage()));
    } catch (RuntimeException e) {
      Problems.fail(ctx, e);
    }
  }

  /** The body as the contract's validator parsed it (null when the operation has none). */
  private static JsonObject validatedBody(RoutingContext ctx) {
    ValidatedRequest request = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    Object body = request == null || request.getBody() == null ? null : request.getBody().get();
    if (body instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> fields = (Map<String, Object>) map;
      return new JsonObject(fields);
    }
    return body instanceof JsonObject o ? o : null;
  }

  /**
   * Whether operations marked {@code x-cne-public-data} serve callers without a token (the
   * operator's switch); a caller that sends a token is still authenticated.
   */
  public ApiGate publishMarketData(boolean on) {
    this.publicMarketData = on;
    return this;
  }

  public OpenAPIContract contract() {
    return contract;
  }

  /** The operations of the contract and their policies (for docs and tests). */
  public Map<String, Policy> policies() {
    return Map.copyOf(policies);
  }

  private static Policy policy(Operation op) {
    JsonObject model = op.getOpenAPIModel();
    JsonArray security = model.getJsonArray("security");
    boolean open = security != null && security.isEmpty();
    JsonArray roles = model.getJsonArray("x-cne-roles");
    Set<Role> allowed =
        roles == null
            ? Set.of(Role.values())
            : roles.stream()
                .map(r -> Role.parse(r.toString()))
                .collect(Collectors.toUnmodifiableSet());
    return new Policy(
        op.getOperationId(),
        op.getHttpMethod(),
        open,
        allowed,
        model.getJsonObject("x-cne-owner"),
        model.getBoolean("x-cne-public-data", false));
  }

  /** Root handler: timing, the gate itself for the answer hooks, and the request's operation. */
  private void begin(RoutingContext ctx) {
    ctx.put(START, System.nanoTime());
    ctx.put(Exchange.GATE, this);
    // Lines up to the server's 64 KiB limit are read whole (body included), so an overlong URI is
    // answered here and the keep-alive connection stays usable.
    if (ctx.request().uri().length() > MAX_URI_CHARS) {
      Problems.send(
          ctx,
          new ApiProblem(
              414,
              "uri-too-long",
              "URI too long",
              "the request URI has "
                  + ctx.request().uri().length()
                  + " characters; at most "
                  + MAX_URI_CHARS));
      return;
    }
    ctx.addEndHandler(
        v -> {
          String op = ctx.get(OPERATION);
          Long start = ctx.get(START);
          int status = ctx.response().getStatusCode();
          if (op != null && start != null) {
            metrics.request(op, status, Duration.ofNanos(System.nanoTime() - start));
            if (op.equals("submitOrder")) {
              if (status == 201) {
                metrics.orderAccepted();
              } else {
                String problem = ctx.get(Exchange.PROBLEM);
                metrics.orderRejected(problem == null ? "http-" + status : problem);
              }
            } else if (op.equals("closeRound") && status == 201) {
              metrics.roundClosed(Duration.ofNanos(System.nanoTime() - start));
            }
          }
        });
    Operation op =
        contract == null
            ? null
            : contract.findOperation(ctx.request().path(), ctx.request().method());
    if (op != null) {
      ctx.put(OPERATION, op.getOperationId());
      // Authenticate before the contract validates the request: an untrusted caller learns
      // nothing from validation errors and its body is never parsed.
      Policy p = policies.get(op.getOperationId());
      if (p != null && !p.open() && !anonymousReader(ctx, p) && admitted(ctx, p) == null) {
        return;
      }
    }
    if (ctx.body() != null && ctx.body().length() > 0) {
      String duplicate = JsonBodies.duplicateKey(ctx.body().buffer());
      if (duplicate != null) {
        Problems.send(ctx, ApiProblem.malformed(duplicate));
        return;
      }
    }
    ctx.next();
  }

  /** A caller without a token reading public market data, while the operator publishes it. */
  private boolean anonymousReader(RoutingContext ctx, Policy p) {
    return p.publicData() && publicMarketData && ctx.request().getHeader("Authorization") == null;
  }

  /** Authentication, rate limit, roles, ownership and idempotency for one operation. */
  private void guard(RoutingContext ctx, Policy p) {
    ctx.put(OPERATION, p.operationId());
    Principal principal = null;
    if (!p.open() && !anonymousReader(ctx, p)) {
      principal = ctx.get(Exchange.PRINCIPAL);
      if (principal == null) {
        principal = authenticated(ctx);
        if (principal == null) {
          return;
        }
      }
    }
    Principal limited = principal != null ? principal : quietly(ctx);
    String caller =
        limited != null ? limited.scope() : "ip:" + ctx.request().remoteAddress().hostAddress();
    // The operator runs the market (closes rounds, audits in bulk): limits protect it from
    // participants.
    long wait = limited != null && limited.role() == Role.OPERATOR ? 0 : limiter.acquire(caller);
    if (wait > 0) {
      ctx.response().putHeader("Retry-After", Long.toString(wait));
      Problems.send(
          ctx,
          new ApiProblem(
              429,
              "rate-limited",
              "Too many requests",
              "the rate limit for " + caller + " is spent; retry in " + wait + " s"));
      return;
    }
    if (principal != null && !permitted(ctx, principal, p)) {
      return;
    }
    if (principal != null && p.owner() != null) {
      Principal who = principal;
      ownerOf(ctx, p.owner(), who)
          .onComplete(
              ar -> {
                if (ar.failed()) {
                  Throwable c = Problems.translate(ar.cause());
                  Problems.send(
                      ctx, c instanceof ApiProblem ap ? ap : ApiProblem.badRequest(c.toString()));
                  return;
                }
                String owner = ar.result();
                boolean exempt = who.readsAll() && p.method() == HttpMethod.GET;
                if (owner != null && !exempt && !owner.equals(who.address())) {
                  Problems.send(
                      ctx,
                      ApiProblem.forbidden(
                          p.operationId()
                              + " concerns "
                              + owner
                              + ", not the caller "
                              + (who.address() == null ? "(operator token)" : who.address())));
                  return;
                }
                idempotency(ctx, who);
              });
      return;
    }
    idempotency(ctx, principal);
  }

  private static void forbidRole(RoutingContext ctx, Principal principal, Policy p) {
    Problems.send(
        ctx,
        ApiProblem.forbidden(
            "a "
                + principal.role()
                + " may not call "
                + p.operationId()
                + " (allowed: "
                + p.roles().stream().map(Enum::name).sorted().collect(Collectors.joining(", "))
                + ")"));
  }

  /**
   * The authenticated caller, kept on the request, when its role may call the operation; else null
   * with the 401 or 403 problem sent.
   */
  private Principal admitted(RoutingContext ctx, Policy p) {
    Principal principal = authenticated(ctx);
    return principal != null && permitted(ctx, principal, p) ? principal : null;
  }

  /** The caller, kept on the request; else null with the 401 problem sent. */
  private Principal authenticated(RoutingContext ctx) {
    Principal principal = authenticate(ctx);
    if (principal != null) {
      ctx.put(Exchange.PRINCIPAL, principal);
    }
    return principal;
  }

  /** Whether the caller's role may call the operation; if not, the 403 problem is sent. */
  private static boolean permitted(RoutingContext ctx, Principal principal, Policy p) {
    if (p.roles().contains(principal.role())) {
      return true;
    }
    forbidRole(ctx, principal, p);
    return false;
  }

  private Principal authenticate(RoutingContext ctx) {
    String token = bearer(ctx);
    if (token == null) {
      Problems.send(
          ctx,
          ApiProblem.unauthorized(
              "sign in (GET /v1/auth/challenge, POST /v1/auth/login) and send"
                  + " Authorization: Bearer <token>"));
      return null;
    }
    if (isOperatorToken(token)) {
      return Principal.OPERATOR_TOKEN;
    }
    TokenService.Check c = tokens.check(token);
    if (c.principal() == null) {
      Problems.send(ctx, ApiProblem.unauthorized(c.problem()));
    }
    return c.principal();
  }

  /** Compared in constant time: the comparison tells nothing about the token. */
  private boolean isOperatorToken(String token) {
    return MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), operatorToken);
  }

  /**
   * Who sends a call to an open operation, when its token is valid: such a caller is limited as
   * itself rather than sharing its address's bucket (callers behind one gateway share an address).
   * An invalid token on an open operation is ignored, as the operation needs none.
   */
  private Principal quietly(RoutingContext ctx) {
    String token = bearer(ctx);
    if (token == null) {
      return null;
    }
    if (isOperatorToken(token)) {
      return Principal.OPERATOR_TOKEN;
    }
    return tokens.check(token).principal();
  }

  private static String bearer(RoutingContext ctx) {
    String h = ctx.request().getHeader("Authorization");
    return h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7) ? null : h.substring(7).trim();
  }

  /** The address an operation concerns, from where {@code x-cne-owner} says (null when absent). */
  private Future<String> ownerOf(RoutingContext ctx, JsonObject owner, Principal who) {
    String in = owner.getString("in");
    String name = owner.getString("name");
    return switch (in) {
      case "query" ->
          Future.succeededFuture(
              lower(ctx.queryParam(name).isEmpty() ? null : ctx.queryParam(name).get(0)));
      case "path" -> Future.succeededFuture(lower(ctx.pathParam(name)));
      case "body" -> {
        List<Object> nodes = List.of(validatedBody(ctx));
        for (String part : name.substring(1).split("/")) {
          nodes = part.equals("*") ? elements(nodes) : fields(nodes, part);
        }
        // With a "*" the operation concerns every element's owner: one that is not the caller
        // answers for all, so a batch is the caller's only when each of its items is.
        String found = null;
        for (Object node : nodes) {
          String of = node instanceof String s ? lower(s) : null;
          if (of != null && (found == null || !of.equals(who.address()))) {
            found = of;
          }
        }
        yield Future.succeededFuture(found);
      }
      case "order" -> {
        String id = lower(ctx.pathParam(name));
        yield vertx.executeBlocking(() -> orders.traderOf(id), false);
      }
      default ->
          Future.failedFuture(new IllegalStateException("unknown x-cne-owner location " + in));
    };
  }

  private static List<Object> fields(List<Object> nodes, String name) {
    List<Object> out = new ArrayList<>(nodes.size());
    for (Object node : nodes) {
      out.add(node instanceof JsonObject o ? o.getValue(name) : null);
    }
    return out;
  }

  private static List<Object> elements(List<Object> nodes) {
    List<Object> out = new ArrayList<>();
    for (Object node : nodes) {
      if (node instanceof JsonArray a) {
        a.forEach(out::add);
      } else if (node instanceof List<?> l) {
        out.addAll(l);
      }
    }
    return out;
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  /** Replays a stored answer for a repeated Idempotency-Key, or claims the key and goes on. */
  private void idempotency(RoutingContext ctx, Principal principal) {
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key == null || ctx.request().method() != HttpMethod.POST) {
      ctx.next();
      return;
    }
    String scope = principal == null ? "anonymous" : principal.scope();
    String hash = requestHash(ctx);
    vertx
        .executeBlocking(() -> idempotency.claim(scope, key, hash, clock.millis()), false)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                Problems.send(
                    ctx,
                    new ApiProblem(
                        503, "not-ready", "Database unavailable", ar.cause().getMessage()));
                return;
              }
              Optional<IdempotentResponse> stored = ar.result();
              if (stored.isEmpty()) {
                ctx.put(IDEM, new Claim(scope, key));
                ctx.next();
              } else if (!stored.get().requestHash().equals(hash)) {
                Problems.send(
                    ctx,
                    ApiProblem.unprocessable(
                        "idempotency-key-reused",
                        "Idempotency key reused",
                        "Idempotency-Key " + key + " was used for a different request"));
              } else if (stored.get().status() == 0) {
                Problems.send(
                    ctx,
                    ApiProblem.conflict(
                        "idempotency-in-flight",
                        "the first request with Idempotency-Key "
                            + key
                            + " is still running; retry shortly"));
              } else {
                var s = stored.get();
                ctx.response()
                    .setStatusCode(s.status())
                    .putHeader("Content-Type", s.contentType())
                    .putHeader("Idempotent-Replayed", "true")
                    .end(s.body());
              }
            });
  }

  private static String requestHash(RoutingContext ctx) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(
          (ctx.request().method().name() + " " + ctx.request().uri() + "\n")
              .getBytes(StandardCharsets.UTF_8));
      if (ctx.body() != null && ctx.body().buffer() != null) {
        d.update(ctx.body().buffer().getBytes());
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Called (through {@link Exchange}) just before a response is written. */
  void answered(RoutingContext ctx, int status, String contentType, String body) {
    Claim claim = ctx.get(IDEM);
    if (claim == null) {
      return;
    }
    ctx.remove(IDEM);
    // A 5xx may be transient: forget the claim so a retry runs again; anything else is final.
    if (status >= 500) {
      idempotency.release(claim.scope(), claim.key());
    } else {
      idempotency.complete(claim.scope(), claim.key(), status, contentType, body);
    }
  }

  /** The operationIds bound to a handler (every operation of the contract). */
  public Set<String> boundOperations() {
    return bound;
  }

  /** The routes of the router the gate built, with those mounted on it since (for tests). */
  public List<Route> routes() {
    return router == null ? List.of() : router.getRoutes();
  }

  /** Operation ids of the contract (for tests and the docs page). */
  public List<String> operationIds() {
    return contract.operations().stream().map(Operation::getOperationId).sorted().toList();
  }
}
