package org.cnemarket.engine.notify;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to the webhooks that may see them: an HTTP POST of the event's JSON, signed with
 * the webhook's secret ({@code CNE-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">}).
 * A delivery that fails (no answer, or not 2xx) is retried after the base delay, doubling each
 * time, up to the maximum number of attempts; the receiver tells retries apart by {@code
 * CNE-Event-Id} and {@code CNE-Delivery-Attempt}.
 */
public final class Webhooks implements Consumer<MarketEvent>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
  public static final String SIGNATURE_HEADER = "CNE-Signature";

  private final WebhookStore store;
  private final Clock clock;
  private final long retryBaseMillis;
  private final int maxAttempts;
  private final HttpClient http;
  private final ScheduledExecutorService scheduler;

  public Webhooks(WebhookStore store, Clock clock, long retryBaseMillis, int maxAttempts) {
    this.store = store;
    this.clock = clock;
    this.retryBaseMillis = retryBaseMillis;
    this.maxAttempts = maxAttempts;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "cne-webhooks");
              t.setDaemon(true);
              return t;
            });
    this.http =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).executor(scheduler).build();
  }

  public WebhookStore store() {
    return store;
  }

  /** Queues the event for every webhook of its audience (every webhook for a public event). */
  @Override
  public void accept(MarketEvent e) {
    // Most events (a round's fills) have no webhook: asked from memory, they cost no task.
    List<WebhookStore.Webhook> hooks = store.list(e.audience());
    if (hooks.isEmpty()) {
      return;
    }
    String body = e.json();
    scheduler.execute(
        () -> {
          for (WebhookStore.Webhook w : hooks) {
            attempt(w, e, body, 1);
          }
        });
  }

  private void attempt(WebhookStore.Webhook w, MarketEvent e, String body, int n) {
    long t = clock.millis() / 1000;
    HttpRequest req;
    try {
      req =
          HttpRequest.newBuilder(URI.create(w.url()))
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/json")
              .header("CNE-Event", e.type())
              .header("CNE-Event-Id", Long.toString(e.id()))
              .header("CNE-Webhook-Id", w.webhookId())
              .header("CNE-Delivery-Attempt", Integer.toString(n))
              .header(SIGNATURE_HEADER, "t=" + t + ",v1=" + sign(w.secret(), t, body))
              .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
              .build();
    } catch (IllegalArgumentException ex) {
      LOG.warn("webhook {} has an unusable URL: {}", w.webhookId(), ex.getMessage());
      return;
    }
    http.sendAsync(req, HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (resp, err) -> {
              if (err == null && resp.statusCode() / 100 == 2) {
                return;
              }
              String why = err != null ? err.toString() : "HTTP " + resp.statusCode();
              if (n >= maxAttempts) {
                LOG.warn(
                    "webhook {}: event {} dropped after {} attempts ({})",
                    w.webhookId(),
                    e.id(),
                    n,
                    why);
                return;
              }
              long delay = retryBaseMillis << Math.min(n - 1, 20);
              LOG.info(
                  "webhook {}: event {} attempt {} failed ({}); retrying in {} ms",
                  w.webhookId(),
                  e.id(),
                  n,
                  why,
                  delay);
              try {
                scheduler.schedule(() -> attempt(w, e, body, n + 1), delay, TimeUnit.MILLISECONDS);
              } catch (RejectedExecutionException closed) {
                LOG.debug("webhooks stopped; event {} not retried", e.id());
              }
            });
  }

  /** Hex HMAC-SHA256 of {@code "<t>.<body>"} under {@code secret}: what receivers recompute. */
  public static String sign(String secret, long unixSeconds, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of()
          .formatHex(mac.doFinal((unixSeconds + "." + body).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException ex) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", ex);
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
