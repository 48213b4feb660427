package org.cnemarket.engine.web;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cnemarket.engine.auth.Principal;
import org.cnemarket.engine.notify.MarketEvent;
import org.cnemarket.engine.notify.Notifier;
import org.cnemarket.engine.notify.WebhookRegistry;
import org.cnemarket.engine.notify.WebhookStore;
import org.cnemarket.engine.publicdata.PublicMarketData;

/**
 * The public market data, the event stream ({@code text/event-stream}) and webhook registration.
 * Requests reach these handlers validated and authorised by the gate; public data and anonymous
 * streams only when the operator publishes market data.
 */
final class NotificationHandlers implements Operations.Group {
  static final long KEEP_ALIVE_MILLIS = 15_000;

  private final Vertx vertx;
  private final PublicMarketData publicData;
  private final Notifier notifier;
  private final WebhookRegistry webhooks;

  NotificationHandlers(
      Vertx vertx, PublicMarketData publicData, Notifier notifier, WebhookRegistry webhooks) {
    this.vertx = vertx;
    this.publicData = publicData;
    this.notifier = notifier;
    this.webhooks = webhooks;
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
    call.answer(
        201,
        () -> {
          WebhookStore.Webhook w = webhooks.register(owner, url);
          Map<String, Object> m = view(w);
          // The secret is shown once, here: the receiver needs it to check signatures.
          m.put("secret", w.secret());
          return m;
        });
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
          webhooks.delete(id, owner);
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
