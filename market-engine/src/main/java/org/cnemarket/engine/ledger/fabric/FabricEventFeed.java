package org.cnemarket.engine.ledger.fabric;

import java.util.List;
import java.util.OptionalLong;
import org.cnemarket.engine.ledger.Ledger;
import org.cnemarket.engine.ledger.LedgerEvent;
import org.cnemarket.engine.ledger.LedgerException;

/**
 * Delivers ledger events to a handler in order, exactly after the last checkpointed one, and
 * checkpoints each event once its handler returned. After a restart a new feed over the same
 * {@link EventCheckpointer} resumes where the old one stopped. Works over any {@link Ledger}; on
 * Fabric it reads the chaincode event stream through {@link FabricLedger#events(long, int)}.
 */
public final class FabricEventFeed {
  /** Handles one event; throwing stops the poll and leaves the event un-checkpointed. */
  @FunctionalInterface
  public interface Handler {
    void handle(LedgerEvent event) throws LedgerException;
  }

  private final Ledger ledger;
  private final EventCheckpointer checkpointer;

  public FabricEventFeed(Ledger ledger, EventCheckpointer checkpointer) {
    this.ledger = ledger;
    this.checkpointer = checkpointer;
  }

  /** The cursor the next poll reads after: the checkpoint, or -1 from the start. */
  public long position() throws LedgerException {
    OptionalLong c = checkpointer.load();
    return c.isPresent() ? c.getAsLong() : -1;
  }

  /** Reads up to {@code max} events after the checkpoint and hands them over; returns how many. */
  public int poll(int max, Handler handler) throws LedgerException {
    List<LedgerEvent> events = ledger.events(position(), max);
    int n = 0;
    for (LedgerEvent e : events) {
      handler.handle(e);
      checkpointer.save(e.cursor());
      n++;
    }
    return n;
  }
}
