package org.cnemarket.engine.round;

import org.cnemarket.engine.pricing.Result;

/** What the round's mechanisms share. */
final class Rounds {

  private Rounds() {}

  static <T> T value(Result<T> r, String what) {
    if (r instanceof Result.Ok<T> ok) {
      return ok.value();
    }
    // Orders were validated on entry, so an invalid instance is an engine bug, never silently
    // priced.
    throw new IllegalStateException(what + " rejected the round's inputs: " + r.reason());
  }
}
