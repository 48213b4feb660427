package org.cnemarket.engine.whatif;

/** Bad what-if input (unknown mechanism, malformed JSON, missing or invalid fields). */
public final class WhatIfException extends Exception {

  public WhatIfException(String message) {
    super(message);
  }

  public WhatIfException(String message, Throwable cause) {
    super(message, cause);
  }
}
