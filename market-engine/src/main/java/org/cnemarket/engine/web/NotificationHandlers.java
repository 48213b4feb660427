package org.cnemarket.engine.web;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.cnemarket.engine.auth.Principal;
import org.cnemarket.engine.notify.MarketEvent;
import org.cnemarket.engine.notify.Notifier;
import org.cnemarket.engine.notify.WebhookStore;
import org.cnemarket.engine.publicdata.PublicMarketData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public market data, the event stream ({@code text/event-stream}) and webhook registration.
 * Requests reach these handlers validated and authorised by the gate; public data and anonymous
 * streams only when the operator publishes market data.
 */
final class NotificationHandlers implements Operations.Group {
  private static final Logger LOG = LoggerFactory.getLogger(NotificationHandlers.class);
  static final long KEEP_ALIVE_MILLIS = 15_000;
  static final int MAX_WEBHOOKS_PER_PARTICIPANT = 10;

  private final Vertx vertx;
  private final PublicMarketData publicData;
  private final Notifier notifier;
  private final WebhookStore webhooks;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  NotificationHandlers(
      Vertx vertx,
      PublicMarketData publicData,
      Notifier notifier,
      WebhookStore webhooks,
      Clock clock) {
    this.vertx = vertx;
    this.publicData = publicData;
    this.notifier = notifier;
    this.webhooks = webhooks;
    this.clock = clock;
  }

  @Override
  public void bind(Operations ops) {
    ops.on("listPublicRounds", this::listPublicRounds)
        .on("listPublicBatches", this::listPublicBatches)
        .on("streamEvents", this::streamEvents)
        .on("createWebhook", this::createWebhook)
        .on("listWebhooks", this::listWebhooks)
        .on("deleteWebhook", this::deleteWebhook);
  }

  void listPublicRounds(Call call) {
    Params.Page page = Params.page(call);
    call.answer(200, () -> Views.items(publicData.rounds(page.offset(), page.limit())));
  }

  void listPublicBatches(Call call) {
    Params.Page page = Params.page(call);
    call.answer(200, () -> Views.items(publicData.batches(page.offset(), page.limit())));
  }

  void createWebhook(Call call) {
    String owner = participant(call.principal());
    String url = call.body("body").string("url", null);
    call.answer(201, () -> register(owner, url));
  }

  void listWebhooks(Call call) {
    String owner = participant(call.principal());
    call.answer(
        200,
        () -> Views.items(webhooks.list(owner).stream().map(NotificationHandlers::view).toList()));
  }

  void deleteWebhook(Call call) {
    String owner = participant(call.principal());
    String id = call.path("id");
    call.answer(
        204,
        () -> {
          if (!webhooks.delete(id, owner)) {
            throw ApiProblem.notFound("no webhook " + id + " of " + owner);
          }
          return null;
        });
  }

  /** Streams events the caller may see; {@code Last-Event-ID} replays what it missed. */
  void streamEvents(Call call) {
    RoutingContext ctx = call.context();
    Principal who = Exchange.principal(ctx);
    String address = who == null ? null : who.address();
    long after = -1;
    String last = ctx.request().getHeader("Last-Event-ID");
    if ((last == null || last.isBlank()) && !ctx.queryParam("lastEventId").isEmpty()) {
      last = ctx.queryParam("lastEventId").get(0);
    }
    if (last != null && !last.isBlank()) {
      try {
        after = Long.parseLong(last.trim());
      } catch (NumberFormatException e) {
        Problems.send(ctx, ApiProblem.badRequest("Last-Event-ID must be an event id (an integer)"));
        return;
      }
    }
    HttpServerResponse resp = ctx.response();
    resp.setChunked(true)
        .setStatusCode(200)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    Context context = vertx.getOrCreateContext();
    Notifier.Subscription sub =
        notifier.subscribe(
            address,
            after,
            e -> context.runOnContext(v -> write(resp, frame(e))),
            () ->
                context.runOnContext(
                    v -> {
                      if (!resp.ended() && !resp.closed()) {
                        resp.end();
                      }
                    }));
    // Subscribed first, then the first bytes flush the headers: a client that sees them misses
    // nothing.
    resp.write(
        "retry: 2000\n: subscribed as " + (address == null ? "anonymous" : address) + "\n\n");
    long ping = vertx.setPeriodic(KEEP_ALIVE_MILLIS, id -> write(resp, ": keep-alive\n\n"));
    resp.closeHandler(
        v -> {
          sub.close();
          vertx.cancelTimer(ping);
        });
    resp.endHandler(
        v -> {
          sub.close();
          vertx.cancelTimer(ping);
        });
  }

  private static void write(HttpServerResponse resp, String text) {
    if (!resp.ended() && !resp.closed()) {
      resp.write(text);
    }
  }

  /** One server-sent event: id, event type and the event's JSON on one data line. */
  static String frame(MarketEvent e) {
    return "id: " + e.id() + "\nevent: " + e.type() + "\ndata: " + e.json() + "\n\n";
  }

  private Map<String, Object> register(String owner, String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException | NullPointerException e) {
      throw ApiProblem.badRequest("url must be an absolute http or https URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https"))
        || uri.getHost() == null
        || uri.getUserInfo() != null) {
      throw ApiProblem.badRequest("url must be an absolute http or https URL without credentials");
    }
    if (webhooks.list(owner).size() >= MAX_WEBHOOKS_PER_PARTICIPANT) {
      throw ApiProblem.unprocessable(
          "too-many-webhooks",
          "Too many webhooks",
          owner + " has " + MAX_WEBHOOKS_PER_PARTICIPANT + " webhooks already; delete one first");
    }
    byte[] s = new byte[32];
    random.nextBytes(s);
    WebhookStore.Webhook w =
        new WebhookStore.Webhook(
            UUID.randomUUID().toString(),
            owner,
            uri.toString(),
            HexFormat.of().formatHex(s),
            clock.millis());
    webhooks.insert(w);
    LOG.info("webhook {} of {} registered for {}", w.webhookId(), owner, uri.getHost());
    Map<String, Object> m = view(w);
    // The secret is shown once, here: the receiver needs it to check signatures.
    m.put("secret", w.secret());
    return m;
  }

  private static Map<String, Object> view(WebhookStore.Webhook w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("webhookId", w.webhookId());
    m.put("owner", w.owner());
    m.put("url", w.url());
    m.put("createdAtMillis", w.createdAtMillis());
    return m;
  }

  private static String participant(Principal p) {
    if (p == null || p.address() == null) {
      throw ApiProblem.forbidden(
          "webhooks belong to a participant: sign in with the participant's key");
    }
    return p.address();
  }
}
