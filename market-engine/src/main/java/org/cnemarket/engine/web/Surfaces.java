package org.cnemarket.engine.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyStoreOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.cnemarket.engine.audit.Repricer;
import org.cnemarket.engine.auth.SignIn;
import org.cnemarket.engine.auth.TokenService;
import org.cnemarket.engine.config.SurfaceConfig;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.market.Certificates;
import org.cnemarket.engine.market.Deliveries;
import org.cnemarket.engine.market.IncentiveService;
import org.cnemarket.engine.market.MarketService;
import org.cnemarket.engine.market.OperatorRounds;
import org.cnemarket.engine.market.OrderQueries;
import org.cnemarket.engine.market.ParticipantQueries;
import org.cnemarket.engine.market.Readiness;
import org.cnemarket.engine.market.RoundQueries;
import org.cnemarket.engine.market.SettlementQueries;
import org.cnemarket.engine.market.SettlementRuns;
import org.cnemarket.engine.market.TradeQueries;
import org.cnemarket.engine.notify.MarketNotifications;
import org.cnemarket.engine.notify.Notifier;
import org.cnemarket.engine.notify.WebhookRegistry;
import org.cnemarket.engine.notify.WebhookStore;
import org.cnemarket.engine.notify.Webhooks;
import org.cnemarket.engine.ops.EngineMetrics;
import org.cnemarket.engine.publicdata.PublicMarketData;
import org.cnemarket.engine.settlement.SettlementOutbox;
import org.cnemarket.engine.store.Database;
import org.cnemarket.engine.store.IdempotencyRecords;
import org.cnemarket.engine.store.MarketStore;
import org.cnemarket.engine.store.MeterReadings;

/**
 * The web layer's wiring, done once: the surfaces' stores (sign-in nonces, idempotency records,
 * meter readings, webhooks) of the engine database, tokens, metrics, notifications, the
 * contract-driven gate, the handlers of every operation, and the HTTP server options (TLS). The one
 * class of the web layer that opens stores.
 */
public final class Surfaces implements AutoCloseable {
  private final SurfaceConfig config;
  private final TokenService tokens;
  private final EngineMetrics metrics;
  private final ApiGate gate;
  private final Webhooks webhooks;
  private final Notifier notifier;
  private final MarketNotifications notifications;
  private final Vertx vertx;
  private final Clock clock;
  private final SignIn signIn;
  private final MeterReadings readings;
  private final PublicMarketData publicData;

  private Surfaces(
      Vertx vertx,
      Clock clock,
      SurfaceConfig config,
      TokenService tokens,
      EngineMetrics metrics,
      ApiGate gate,
      SignIn signIn,
      MeterReadings readings,
      PublicMarketData publicData,
      Webhooks webhooks,
      Notifier notifier,
      MarketNotifications notifications) {
    this.vertx = vertx;
    this.clock = clock;
    this.config = config;
    this.tokens = tokens;
    this.metrics = metrics;
    this.gate = gate;
    this.signIn = signIn;
    this.readings = readings;
    this.publicData = publicData;
    this.webhooks = webhooks;
    this.notifier = notifier;
    this.notifications = notifications;
  }

  /** Wires the surfaces over the market's engine database and its stores. */
  public static Surfaces open(
      Vertx vertx,
      SurfaceConfig config,
      MarketService market,
      SettlementOutbox outbox,
      String operatorToken,
      long chainId,
      Clock clock) {
    MarketStore store = market.store();
    Ledger ledger = market.ledger();
    // The surfaces' stores (sign-in, idempotency, readings, webhooks) share the market's handle.
    Database db = store.database();
    MeterReadings readings = store.meterReadings();
    TokenService tokens =
        new TokenService(
            () -> store.settings().get(TokenService.keySetting()),
            v -> store.settings().put(TokenService.keySetting(), v),
            clock,
            config.tokenTtlSeconds());
    EngineMetrics metrics =
        new EngineMetrics(
            store.outbox()::pendingCount,
            store.outbox()::setAsideCount,
            store.orders()::pendingCount);
    PublicMarketData publicData = new PublicMarketData(store);
    Webhooks webhooks =
        new Webhooks(
            new WebhookStore(db),
            clock,
            config.webhookRetryBaseMillis(),
            config.webhookMaxAttempts());
    Notifier notifier = new Notifier(clock, webhooks);
    MarketNotifications notifications =
        new MarketNotifications(store, ledger, publicData, notifier, 1);
    outbox.onSettled(
        (entry, batch, receipt, at) -> {
          store
              .rounds()
              .get(entry.round())
              .ifPresent(r -> metrics.batchSettled(Duration.ofMillis(at - r.closedAtMillis())));
          notifications.settled(batch, receipt);
        });
    SignIn signIn =
        new SignIn(
            store.signInNonces(),
            tokens,
            market::participant,
            config.siweDomain(),
            config.siweUri(),
            chainId,
            config.challengeTtlSeconds(),
            config.operatorAddress(),
            clock);
    RateLimiter limiter =
        new RateLimiter(config.rateLimitPerSecond(), config.rateLimitBurst(), System::nanoTime);
    ApiGate gate =
        new ApiGate(
                vertx,
                clock,
                tokens,
                operatorToken,
                limiter,
                idempotencyLog(store.idempotency()),
                new OrderQueries(market),
                metrics)
            .publishMarketData(config.publicMarketData());
    return new Surfaces(
        vertx,
        clock,
        config,
        tokens,
        metrics,
        gate,
        signIn,
        readings,
        publicData,
        webhooks,
        notifier,
        notifications);
  }

  private static ApiGate.IdempotencyLog idempotencyLog(IdempotencyRecords records) {
    return new ApiGate.IdempotencyLog() {
      @Override
      public Optional<IdempotencyRecords.IdempotentResponse> claim(
          String scope, String key, String requestHash, long nowMillis) {
        return records.claim(scope, key, requestHash, nowMillis);
      }

      @Override
      public void complete(String scope, String key, int status, String contentType, String body) {
        records.complete(scope, key, status, contentType, body);
      }

      @Override
      public void release(String scope, String key) {
        records.release(scope, key);
      }
    };
  }

  /** The handlers of every operation of the contract, grouped by resource, over the use cases. */
  public Operations operations(
      MarketService market,
      SettlementOutbox outbox,
      IncentiveService incentives,
      Repricer repricer) {
    ParticipantQueries participants = new ParticipantQueries(market);
    RoundQueries rounds = new RoundQueries(market);
    SettlementQueries settlement = new SettlementQueries(market);
    TradeQueries trades = new TradeQueries(market);
    Certificates certificates = new Certificates(market.ledger());
    return Operations.of(
        new AuthHandlers(signIn),
        new MarketHandlers(market, rounds, settlement),
        new ParticipantsHandlers(market, participants, incentives),
        new OrdersHandlers(market, new OrderQueries(market), metrics),
        new RoundsHandlers(
            new OperatorRounds(market, rounds, outbox, notifications::roundClosed, repricer),
            rounds),
        new ContractsHandlers(incentives, rounds),
        new TradesHandlers(trades),
        new SettlementHandlers(settlement, new SettlementRuns(settlement, outbox)),
        new AuditHandlers(market),
        new DeliveryHandlers(new Deliveries(market, readings, clock), trades),
        new CertificatesHandlers(certificates, participants),
        new NotificationHandlers(
            vertx, publicData, notifier, new WebhookRegistry(webhooks.store(), clock)),
        new OpsHandlers(new Readiness(market, readings::ping), metrics));
  }

  /** The router: every operation of the contract behind the gate, bound to its handler. */
  public Future<Router> router(Operations operations) {
    return gate.router(operations);
  }

  /** Round results, fills, settlements and low-balance warnings (streams and webhooks). */
  public MarketNotifications notifications() {
    return notifications;
  }

  /** Ends the open event streams, so a graceful shutdown does not wait for them. */
  public void endStreams() {
    notifier.close();
  }

  /** Server options with TLS when configured. */
  public HttpServerOptions serverOptions(String host) {
    HttpServerOptions o =
        new HttpServerOptions().setHost(host).setMaxInitialLineLength(ApiGate.MAX_REQUEST_LINE);
    if (config.tlsCertPem() != null) {
      o.setSsl(true)
          .setKeyCertOptions(
              new PemKeyCertOptions()
                  .setCertPath(config.tlsCertPem().toString())
                  .setKeyPath(config.tlsKeyPem().toString()));
    } else if (config.tlsKeystore() != null) {
      String type = config.tlsKeystore().toString().endsWith(".jks") ? "JKS" : "PKCS12";
      o.setSsl(true)
          .setKeyCertOptions(
              new KeyStoreOptions()
                  .setType(type)
                  .setPath(config.tlsKeystore().toString())
                  .setPassword(config.tlsKeystorePassword()));
    }
    return o;
  }

  public SurfaceConfig config() {
    return config;
  }

  public TokenService tokens() {
    return tokens;
  }

  public EngineMetrics metrics() {
    return metrics;
  }

  public ApiGate gate() {
    return gate;
  }

  @Override
  public void close() {
    notifier.close();
    webhooks.close();
  }
}
