package org.cnemarket.engine.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyStoreOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;
import org.cnemarket.engine.auth.SignIn;
import org.cnemarket.engine.auth.TokenService;
import org.cnemarket.engine.config.SurfaceConfig;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.market.MarketService;
import org.cnemarket.engine.notify.MarketNotifications;
import org.cnemarket.engine.notify.Notifier;
import org.cnemarket.engine.notify.WebhookStore;
import org.cnemarket.engine.notify.Webhooks;
import org.cnemarket.engine.ops.EngineMetrics;
import org.cnemarket.engine.publicdata.PublicMarketData;
import org.cnemarket.engine.settlement.SettlementOutbox;
import org.cnemarket.engine.store.Database;
import org.cnemarket.engine.store.IdempotencyRecords;
import org.cnemarket.engine.store.MarketStore;
import org.cnemarket.engine.store.MeterReadings;
import org.cnemarket.engine.store.SignInNonces;

/**
 * Everything users touch around the market service, wired once: the contract-driven gate, sign-in
 * and tokens, the added routes, metrics, and the HTTP server options (TLS).
 */
public final class Surfaces implements AutoCloseable {
  private final SurfaceConfig config;
  private final TokenService tokens;
  private final EngineMetrics metrics;
  private final ApiGate gate;
  private final SurfaceRoutes routes;
  private final Webhooks webhooks;
  private final Notifier notifier;
  private final MarketNotifications notifications;
  private final NotificationRoutes notificationRoutes;

  private Surfaces(
      SurfaceConfig config,
      TokenService tokens,
      EngineMetrics metrics,
      ApiGate gate,
      SurfaceRoutes routes,
      Webhooks webhooks,
      Notifier notifier,
      MarketNotifications notifications,
      NotificationRoutes notificationRoutes) {
    this.webhooks = webhooks;
    this.notifier = notifier;
    this.notifications = notifications;
    this.notificationRoutes = notificationRoutes;
    this.config = config;
    this.tokens = tokens;
    this.metrics = metrics;
    this.gate = gate;
    this.routes = routes;
  }

  /** Opens the surfaces' tables in the market's engine database and wires them. */
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
    // The surfaces' tables (sign-in, idempotency, readings, webhooks) share the market's handle.
    Database db = store.database();
    MeterReadings readings = new MeterReadings(db);
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
        (entry, at) -> {
          store
              .rounds()
              .get(entry.round())
              .ifPresent(r -> metrics.batchSettled(Duration.ofMillis(at - r.closedAtMillis())));
          notifications.settled(entry);
        });
    SignIn signIn =
        new SignIn(
            new SignInNonces(db),
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
                new IdempotencyRecords(db),
                store,
                metrics)
            .publishMarketData(config.publicMarketData());
    SurfaceRoutes routes = new SurfaceRoutes(vertx, signIn, market, readings, metrics, clock);
    NotificationRoutes notificationRoutes =
        new NotificationRoutes(vertx, publicData, notifier, webhooks.store(), clock);
    return new Surfaces(
        config,
        tokens,
        metrics,
        gate,
        routes,
        webhooks,
        notifier,
        notifications,
        notificationRoutes);
  }

  /** The router, its first routes the contract's operations behind the gate. */
  public Future<Router> router() {
    return gate.router();
  }

  /** Mounts the added operations and static pages (after the market's own routes). */
  public void mount(Router router) {
    notificationRoutes.mount(router);
    routes.mount(router);
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
