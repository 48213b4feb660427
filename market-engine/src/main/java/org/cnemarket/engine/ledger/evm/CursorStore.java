package org.cnemarket.engine.ledger.evm;

import java.util.OptionalLong;

/**
 * Where event sync keeps its position (the last delivered event's cursor, block × 1e6 + log
 * index) so a restarted engine resumes after it instead of replaying or missing events.
 */
public interface CursorStore {
  /** The stored cursor, or empty before the first sync. */
  OptionalLong load();

  /** Durably replaces the stored cursor. */
  void store(long cursor);
}
