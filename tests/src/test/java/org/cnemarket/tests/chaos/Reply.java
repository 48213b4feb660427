package org.cnemarket.tests.chaos;

import org.cnemarket.core.client.MarketClientException;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.JsonException;

/**
 * One REST call's answer as a crash test sees it: the status (0 when the engine was not reached or
 * the connection died), the problem type of a refusal, and the body of a 2xx.
 */
record Reply(int status, String type, String detail, Fields body, long atNanos) {

  @FunctionalInterface
  interface Call {
    Fields send() throws MarketClientException;
  }

  static Reply of(Call call) {
    try {
      Fields f = call.send();
      return new Reply(200, null, null, f, System.nanoTime());
    } catch (MarketClientException e) {
      return refused(e, System.nanoTime());
    } catch (JsonException e) {
      // A 2xx with a body we cannot read: the write may have happened.
      return new Reply(0, "bad-response", e.getMessage(), null, System.nanoTime());
    }
  }

  /** The engine's refusal (or no answer, status 0), heard at {@code atNanos}. */
  static Reply refused(MarketClientException e, long atNanos) {
    return new Reply(e.status(), e.type(), e.getMessage(), null, atNanos);
  }

  History.Outcome outcome() {
    return History.Outcome.of(status);
  }

  History.Heard heard(int cycle) {
    return new History.Heard(cycle, atNanos, status, type);
  }

  boolean ok() {
    return status >= 200 && status < 300;
  }
}
