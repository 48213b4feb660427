package org.cnemarket.engine.ledger.fabric;

import java.util.OptionalLong;
import org.cnemarket.engine.ledger.LedgerException;

/**
 * Remembers the position of the last ledger event the engine has fully handled, so that after a
 * restart the event feed resumes right after it: no event is lost, and at most the one being
 * handled at a crash is seen again (handlers are idempotent, as every ledger id is).
 *
 * <p>The position is the port's event cursor ({@link org.cnemarket.engine.ledger.LedgerEvent#cursor()});
 * on Fabric that is {@code block * 1_000_000 + index of the event in the block}, the same
 * information as the gateway's own {@code Checkpointer} (block number and transaction id).
 */
public interface EventCheckpointer extends AutoCloseable {
  /** The cursor of the last handled event, or empty when nothing was handled yet. */
  OptionalLong load() throws LedgerException;

  /** Records that the event at {@code cursor} (and everything before it) was handled. */
  void save(long cursor) throws LedgerException;

  @Override
  default void close() throws LedgerException {}
}
