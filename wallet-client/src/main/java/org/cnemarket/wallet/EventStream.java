package org.cnemarket.wallet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.cnemarket.core.client.MarketClientException;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.JsonException;

/**
 * Reads the engine's server-sent event stream ({@code GET /v1/events}) until told to stop or a
 * deadline passes, reconnecting with {@code Last-Event-ID} after a drop so no event is missed.
 */
public final class EventStream {
  /** Called once per (re)connection, when the engine confirmed the subscription. */
  @FunctionalInterface
  public interface OnSubscribed {
    void subscribed() throws MarketClientException;
  }

  /**
   * The participant's current token (signing in again when it is old), or null for the public
   * stream.
   */
  @FunctionalInterface
  public interface BearerSource {
    String bearer() throws MarketClientException;
  }

  private final URI base;
  private final Duration connectTimeout;
  private final Duration reconnectDelay;
  private final HttpClient http;

  public EventStream(String engineUrl, Duration connectTimeout, Duration reconnectDelay) {
    String b = engineUrl.endsWith("/") ? engineUrl.substring(0, engineUrl.length() - 1) : engineUrl;
    this.base = URI.create(b);
    this.connectTimeout = connectTimeout;
    this.reconnectDelay = reconnectDelay;
    this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
  }

  /**
   * Delivers events to {@code handler} until it returns false (true is returned) or {@code
   * deadlineNanos} (System.nanoTime) passes (false is returned).
   *
   * @param tokens the participant's token on each (re)connection
   */
  public boolean follow(
      BearerSource tokens,
      long deadlineNanos,
      OnSubscribed onSubscribed,
      Predicate<Notification> handler)
      throws MarketClientException, InterruptedException {
    long lastId = -1;
    boolean everConnected = false;
    while (System.nanoTime() < deadlineNanos) {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(base.resolve("/v1/events"))
              .timeout(connectTimeout)
              .header("Accept", "text/event-stream");
      String bearer = tokens.bearer();
      if (bearer != null) {
        b.header("Authorization", "Bearer " + bearer);
      }
      if (lastId >= 0) {
        b.header("Last-Event-ID", Long.toString(lastId));
      }
      HttpResponse<InputStream> resp;
      try {
        resp = http.send(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        if (!everConnected) {
          throw new MarketClientException(
              0,
              "unreachable",
              "cannot reach the engine at "
                  + base
                  + ": "
                  + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
              null);
        }
        Thread.sleep(
            Math.max(1, Math.min(reconnectDelay.toMillis(), remainingMillis(deadlineNanos))));
        continue;
      }
      if (resp.statusCode() != 200) {
        String body;
        try (InputStream in = resp.body()) {
          body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          body = "";
        }
        throw refusal(resp.statusCode(), body);
      }
      everConnected = true;
      AtomicReference<InputStream> open = new AtomicReference<>(resp.body());
      // A blocking read cannot see the deadline: a watchdog closes the stream when it passes.
      Thread watchdog =
          new Thread(
              () -> {
                try {
                  Thread.sleep(Math.max(1, remainingMillis(deadlineNanos)));
                } catch (InterruptedException e) {
                  return;
                }
                closeQuietly(open.get());
              },
              "cne-event-stream-deadline");
      watchdog.setDaemon(true);
      watchdog.start();
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
        onSubscribed.subscribed();
        Frame f = new Frame();
        String line;
        while ((line = in.readLine()) != null) {
          if (!line.isEmpty()) {
            f.add(line);
            continue;
          }
          Notification n = f.take();
          if (n != null) {
            lastId = n.id();
            if (!handler.test(n)) {
              return true;
            }
          }
        }
      } catch (IOException e) {
        // Dropped (or closed at the deadline): reconnect if there is time left.
      } finally {
        watchdog.interrupt();
      }
      if (System.nanoTime() < deadlineNanos) {
        Thread.sleep(
            Math.max(1, Math.min(reconnectDelay.toMillis(), remainingMillis(deadlineNanos))));
      }
    }
    return false;
  }

  private static long remainingMillis(long deadlineNanos) {
    long left = deadlineNanos - System.nanoTime();
    return left <= 0 ? 0 : Math.min(Long.MAX_VALUE / 2, left / 1_000_000);
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // closing is all that matters
    }
  }

  private MarketClientException refusal(int status, String body) {
    try {
      return MarketClientException.ofProblem(status, Fields.of(Json.parse(body), "problem"));
    } catch (IllegalArgumentException e) {
      return new MarketClientException(
          status, "http-" + status, "the event stream was refused: HTTP " + status, null);
    }
  }

  /** The lines of one event until the blank line that ends it. */
  private static final class Frame {
    private String id;
    private String type = "message";
    private final StringBuilder data = new StringBuilder();

    void add(String line) {
      if (line.startsWith(":")) {
        return;
      }
      int k = line.indexOf(':');
      String field = k < 0 ? line : line.substring(0, k);
      String value = k < 0 ? "" : line.substring(k + 1).replaceFirst("^ ", "");
      switch (field) {
        case "id" -> id = value;
        case "event" -> type = value;
        case "data" -> data.append(data.length() == 0 ? "" : "\n").append(value);
        default -> {}
      }
    }

    Notification take() {
      try {
        if (data.length() == 0) {
          return null;
        }
        Object body = Json.parse(data.toString());
        Map<?, ?> m = body instanceof Map<?, ?> mm ? mm : Map.of();
        @SuppressWarnings("unchecked")
        Map<String, Object> d =
            m.get("data") instanceof Map<?, ?> dm ? (Map<String, Object>) dm : Map.of();
        long eventId = id != null ? Long.parseLong(id) : -1;
        return new Notification(eventId, type, d);
      } catch (JsonException | NumberFormatException e) {
        return null;
      } finally {
        id = null;
        type = "message";
        data.setLength(0);
      }
    }
  }
}
