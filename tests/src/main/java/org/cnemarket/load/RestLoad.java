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
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
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

/**
 * Sends pre-signed orders to {@code POST /v1/orders} over exactly {@code connections} HTTP/1.1
 * keep-alive connections, one request in flight per connection (a closed loop: each connection
 * sends its next order when the answer to the last one arrived). One event-loop thread, so the
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

  /** What one run at one connection count measured. */
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

  Result run(String baseUrl, List<PreparedOrder> orders, int connections, Duration timeout)
      throws InterruptedException {
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
    int[] status = new int[n];
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(connections);
    Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
    Set<Object> opened = ConcurrentHashMap.newKeySet();
    long start = System.nanoTime();
    for (int c = 0; c < connections; c++) {
      vertx.runOnContext(
          v -> sendNext(client, orders, next, latency, status, refusals, opened, done));
    }
    boolean finished = done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    long end = System.nanoTime();
    awaitQuietly(client.close());
    if (!finished) {
      throw new IllegalStateException(
          "the engine did not answer " + n + " orders within " + timeout);
    }
    int accepted = 0;
    long[] ok = new long[n];
    for (int i = 0; i < n; i++) {
      if (status[i] == 201) {
        ok[accepted++] = latency[i];
      }
    }
    long[] lat = Arrays.copyOf(ok, accepted);
    Arrays.sort(lat);
    Map<String, Long> refused = new TreeMap<>();
    refusals.forEach((k, v) -> refused.put(k, v.sum()));
    return new Result(
        connections,
        opened.size(),
        n,
        accepted,
        end - start,
        percentile(lat, 0.50),
        percentile(lat, 0.99),
        lat.length == 0 ? 0 : lat[lat.length - 1],
        refused);
  }

  private void sendNext(
      HttpClientAgent client,
      List<PreparedOrder> orders,
      AtomicInteger next,
      long[] latency,
      int[] status,
      Map<String, LongAdder> refusals,
      Set<Object> opened,
      CountDownLatch done) {
    int i = next.getAndIncrement();
    if (i >= orders.size()) {
      done.countDown();
      return;
    }
    PreparedOrder o = orders.get(i);
    long t0 = System.nanoTime();
    client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setURI("/v1/orders")
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
                          status[i] = resp.statusCode();
                          if (resp.statusCode() != 201) {
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
                status[i] = -1;
                refusals
                    .computeIfAbsent(
                        "io " + ar.cause().getClass().getSimpleName(), k -> new LongAdder())
                    .increment();
              }
              sendNext(client, orders, next, latency, status, refusals, opened, done);
            });
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
