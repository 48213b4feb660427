package org.cnemarket.engine.notify;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans events out to live subscribers (event streams) and to webhooks. The last events are kept in
 * memory so a stream that reconnects with {@code Last-Event-ID} misses nothing in between.
 */
public final class Notifier implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
  static final int KEEP = 1000;

  private final Clock clock;
  private final Consumer<MarketEvent> webhooks;
  private final Deque<MarketEvent> recent = new ArrayDeque<>();
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private long lastId;

  /**
   * A live subscriber; {@link #close()} stops delivery, and the notifier calls {@code onEnd} at
   * shutdown.
   */
  public final class Subscription implements AutoCloseable {
    private final String address;
    private final Consumer<MarketEvent> sink;
    private final Runnable onEnd;

    private Subscription(String address, Consumer<MarketEvent> sink, Runnable onEnd) {
      this.address = address;
      this.sink = sink;
      this.onEnd = onEnd;
    }

    @Override
    public void close() {
      subscriptions.remove(this);
    }
  }

  /** {@code webhooks} receives every event (may be null). */
  public Notifier(Clock clock, Consumer<MarketEvent> webhooks) {
    this.clock = clock;
    this.webhooks = webhooks;
  }

  /** Publishes an event to {@code audience} (null: public) and returns it. */
  public MarketEvent publish(String type, String audience, Map<String, Object> data) {
    MarketEvent e;
    synchronized (this) {
      e = new MarketEvent(++lastId, type, audience, data, clock.millis());
      recent.addLast(e);
      if (recent.size() > KEEP) {
        recent.removeFirst();
      }
      for (Subscription s : subscriptions) {
        if (e.visibleTo(s.address)) {
          deliver(s, e);
        }
      }
    }
    if (webhooks != null) {
      webhooks.accept(e);
    }
    return e;
  }

  /**
   * Subscribes {@code address} (null: anonymous, public events only). With {@code afterId >= 0} the
   * kept events after it are replayed first, in order, before anything new.
   */
  public synchronized Subscription subscribe(
      String address, long afterId, Consumer<MarketEvent> sink, Runnable onEnd) {
    Subscription s = new Subscription(address, sink, onEnd);
    if (afterId >= 0) {
      for (MarketEvent e : recent) {
        if (e.id() > afterId && e.visibleTo(address)) {
          deliver(s, e);
        }
      }
    }
    subscriptions.add(s);
    return s;
  }

  /** The id of the last event published (0 before the first). */
  public synchronized long lastId() {
    return lastId;
  }

  private static void deliver(Subscription s, MarketEvent e) {
    try {
      s.sink.accept(e);
    } catch (RuntimeException ex) {
      LOG.warn("event {} could not be delivered to a subscriber: {}", e.id(), ex.toString());
    }
  }

  /** Ends every live subscription (their streams close), so a shutdown need not wait for them. */
  @Override
  public void close() {
    List<Subscription> all = new ArrayList<>(subscriptions);
    subscriptions.clear();
    for (Subscription s : all) {
      if (s.onEnd != null) {
        s.onEnd.run();
      }
    }
  }
}
