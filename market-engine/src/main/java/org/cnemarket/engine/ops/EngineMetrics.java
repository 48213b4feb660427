package org.cnemarket.engine.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The engine's Prometheus metrics: orders accepted and rejected (by problem type), round duration,
 * settlement latency (round closed to batch settled on the ledger), outbox depth and HTTP requests
 * by operation and status.
 */
public final class EngineMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer roundDuration;
  private final Timer settlementLatency;

  public EngineMetrics(Supplier<Number> outboxDepth) {
    this(outboxDepth, () -> 0, () -> 0);
  }

  /**
   * @param setAside settlement batches the ledger refused, waiting for an operator's re-plan
   * @param pendingRecords orders the engine acknowledged that are not yet on the ledger
   */
  public EngineMetrics(
      Supplier<Number> outboxDepth, Supplier<Number> setAside, Supplier<Number> pendingRecords) {
    Gauge.builder("cne.settlement.set.aside", () -> setAside.get())
        .description("Settlement batches the ledger refused, set aside until re-planned")
        .register(registry);
    Gauge.builder("cne.ledger.pending.orders", () -> pendingRecords.get())
        .description("Acknowledged orders on their way to the ledger")
        .register(registry);
    roundDuration =
        Timer.builder("cne.round.duration")
            .description("Time to close a round: clearing, commit and (when asked) settlement")
            .publishPercentileHistogram()
            .register(registry);
    settlementLatency =
        Timer.builder("cne.settlement.latency")
            .description("From a round's close to its batch's commit on the ledger")
            .publishPercentileHistogram()
            .register(registry);
    Gauge.builder("cne.outbox.depth", () -> outboxDepth.get())
        .description("Settlement batches waiting for the ledger")
        .register(registry);
  }

  public void orderAccepted() {
    ordersAccepted(1);
  }

  public void ordersAccepted(int n) {
    Counter.builder("cne.orders")
        .tag("outcome", "accepted")
        .tag("reason", "none")
        .description("Orders by outcome and rejection reason (problem type)")
        .register(registry)
        .increment(n);
  }

  public void orderRejected(String reason) {
    Counter.builder("cne.orders")
        .tag("outcome", "rejected")
        .tag("reason", reason)
        .description("Orders by outcome and rejection reason (problem type)")
        .register(registry)
        .increment();
  }

  public void roundClosed(Duration d) {
    roundDuration.record(d);
  }

  public void batchSettled(Duration sinceClose) {
    settlementLatency.record(sinceClose.isNegative() ? Duration.ZERO : sinceClose);
  }

  public void request(String operation, int status, Duration d) {
    Timer.builder("cne.http.requests")
        .tag("operation", operation)
        .tag("status", Integer.toString(status))
        .register(registry)
        .record(d);
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }
}
