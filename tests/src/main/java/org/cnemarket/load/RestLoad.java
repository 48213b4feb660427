package org.cnemarket.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.cnemarket.core.client.MarketClientException;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;

/**
 * Sends pre-signed orders to {@code POST /v1/orders} (or, in batches of up to {@code batch} orders
 * of one trader, to {@code POST /v1/orders/batch}) over exactly {@code connections} HTTP/1.1
 * keep-alive connections, one request in flight per connection (a closed loop: each connection
 * sends its next request when the answer to the last one arrived). One event-loop thread, so the
 * client takes as little CPU from the engine as possible on a shared machine.
 */
final class RestLoad implements AutoCloseable {
  // Nothing here blocks; on a busy machine the thread is simply not scheduled, which is no bug to
  // report.
  private final Vertx vertx =
      Vertx.vertx(
          new VertxOptions()
              .setEventLoopPoolSize(1)
              .setWorkerPoolSize(1)
              .setMaxEventLoopExecuteTime(60)
              .setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS));

  /** One request: its trader's token, its path, its body and how many orders it carries. */
  private record Request(String bearer, String uri, byte[] body, int orders) {}

  /**
   * The requests that carry {@code orders}: one each, or each trader's orders in batches of up to
   * {@code batch}, in the order of their first order.
   */
  private static List<Request> requests(List<PreparedOrder> orders, int batch) {
    if (batch <= 1) {
      return orders.stream().map(o -> new Request(o.bearer(), "/v1/orders", o.body(), 1)).toList();
    }
    Map<String, List<PreparedOrder>> byTrader = new LinkedHashMap<>();
    for (PreparedOrder o : orders) {
      byTrader.computeIfAbsent(o.bearer(), k -> new ArrayList<>()).add(o);
    }
    List<List<Request>> perTrader = new ArrayList<>();
    for (List<PreparedOrder> mine : byTrader.values()) {
      List<Request> rs = new ArrayList<>();
      for (int from = 0; from < mine.size(); from += batch) {
        List<PreparedOrder> part = mine.subList(from, Math.min(mine.size(), from + batch));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("{\"orders\":[".getBytes(StandardCharsets.UTF_8));
        for (int k = 0; k < part.size(); k++) {
          if (k > 0) {
            body.write(',');
          }
          body.writeBytes(part.get(k).body());
        }
        body.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
        rs.add(
            new Request(part.get(0).bearer(), "/v1/orders/batch", body.toByteArray(), part.size()));
      }
      perTrader.add(rs);
    }
    // Round-robin over traders, so that concurrent requests come from different traders.
    List<Request> out = new ArrayList<>();
    for (int round = 0; out.size() < perTrader.stream().mapToInt(List::size).sum(); round++) {
      for (List<Request> rs : perTrader) {
        if (round < rs.size()) {
          out.add(rs.get(round));
        }
      }
    }
    return out;
  }

  /** What one run at one connection count measured; latencies are per request. */
  record Result(
      int connections,
      int connectionsOpened,
      int sent,
      int accepted,
      long windowNanos,
      long p50Nanos,
      long p99Nanos,
      long maxNanos,
      Map<String, Long> refusals) {
    double acceptedPerSecond() {
      return accepted * 1e9 / windowNanos;
    }
  }

  Result run(
      String baseUrl, List<PreparedOrder> prepared, int connections, Duration timeout, int batch)
      throws InterruptedException {
    List<Request> orders = requests(prepared, batch);
    URI u = URI.create(baseUrl);
    HttpClientAgent client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true)
                .setPipelining(false)
                .setDefaultHost(u.getHost())
                .setDefaultPort(u.getPort())
                .setConnectTimeout(10_000),
            new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    int n = orders.size();
    long[] latency = new long[n];
    int[] acceptedIn = new int[n];
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(connections);
    Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
    Set<Object> opened = ConcurrentHashMap.newKeySet();
    long start = System.nanoTime();
    for (int c = 0; c < connections; c++) {
      vertx.runOnContext(
          v -> sendNext(client, orders, next, latency, acceptedIn, refusals, opened, done));
    }
    boolean finished = done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    long end = System.nanoTime();
    awaitQuietly(client.close());
    if (!finished) {
      throw new IllegalStateException(
          "the engine did not answer " + n + " requests within " + timeout);
    }
    int accepted = 0;
    int answered = 0;
    long[] ok = new long[n];
    for (int i = 0; i < n; i++) {
      if (acceptedIn[i] > 0) {
        accepted += acceptedIn[i];
        ok[answered++] = latency[i];
      }
    }
    long[] lat = Arrays.copyOf(ok, answered);
    Arrays.sort(lat);
    Map<String, Long> refused = new TreeMap<>();
    refusals.forEach((k, v) -> refused.put(k, v.sum()));
    return new Result(
        connections,
        opened.size(),
        prepared.size(),
        accepted,
        end - start,
        percentile(lat, 0.50),
        percentile(lat, 0.99),
        lat.length == 0 ? 0 : lat[lat.length - 1],
        refused);
  }

  private void sendNext(
      HttpClientAgent client,
      List<Request> orders,
      AtomicInteger next,
      long[] latency,
      int[] acceptedIn,
      Map<String, LongAdder> refusals,
      Set<Object> opened,
      CountDownLatch done) {
    int i = next.getAndIncrement();
    if (i >= orders.size()) {
      done.countDown();
      return;
    }
    Request o = orders.get(i);
    long t0 = System.nanoTime();
    client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setURI(o.uri())
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", "application/json")
                .putHeader("Authorization", "Bearer " + o.bearer())
                .setTimeout(120_000))
        .compose(
            req -> {
              opened.add(req.connection());
              return req.send(Buffer.buffer(o.body()));
            })
        .compose(
            resp ->
                resp.body()
                    .map(
                        b -> {
                          if (resp.statusCode() == 201) {
                            acceptedIn[i] = 1;
                          } else if (resp.statusCode() == 200) {
                            acceptedIn[i] = batchOutcome(b.toString(), refusals);
                          } else {
                            refusals
                                .computeIfAbsent(
                                    resp.statusCode() + " " + problemType(b.toString()),
                                    k -> new LongAdder())
                                .increment();
                          }
                          return null;
                        }))
        .onComplete(
            ar -> {
              latency[i] = System.nanoTime() - t0;
              if (ar.failed()) {
                refusals
                    .computeIfAbsent(
                        "io " + ar.cause().getClass().getSimpleName(), k -> new LongAdder())
                    .increment();
              }
              sendNext(client, orders, next, latency, acceptedIn, refusals, opened, done);
            });
  }

  /** A batch's accepted orders; its refusals are counted by status and problem type. */
  private static int batchOutcome(String body, Map<String, LongAdder> refusals) {
    if (body.isEmpty() || body.charAt(0) != '{' || !body.contains("\"results\"")) {
      return 0;
    }
    Fields answer = Fields.of(Json.parse(body), "batch answer");
    for (Object r : answer.list("results")) {
      Fields result = Fields.of(r, "result");
      if (result.has("problem")) {
        Fields p = result.object("problem");
        MarketClientException e = MarketClientException.ofProblem((int) p.longValue("status"), p);
        refusals.computeIfAbsent(e.status() + " " + e.type(), k -> new LongAdder()).increment();
      }
    }
    return (int) answer.longValue("accepted");
  }

  private static String problemType(String body) {
    int k = body.indexOf("\"type\"");
    if (k < 0) {
      return "";
    }
    int a = body.indexOf('"', body.indexOf(':', k) + 1);
    int b = a < 0 ? -1 : body.indexOf('"', a + 1);
    if (a < 0 || b < 0) {
      return "";
    }
    String type = body.substring(a + 1, b);
    return type.substring(type.lastIndexOf('/') + 1);
  }

  static long percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int idx = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
  }

  @Override
  public void close() {
    awaitQuietly(vertx.close());
  }

  private static void awaitQuietly(Future<?> f) {
    try {
      f.await(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      // Closing is best effort; the measurement is over.
    }
  }
}
