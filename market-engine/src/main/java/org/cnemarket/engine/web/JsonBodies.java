package org.cnemarket.engine.web;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.JsonEvent;
import io.vertx.core.parsetools.JsonEventType;
import io.vertx.core.parsetools.JsonParser;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Signature;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SignedOrder;

/** Request bodies of the REST API, read from the body the gate validated (integers only). */
final class JsonBodies {
  private JsonBodies() {}

  /**
   * The first key a JSON object of {@code body} names twice, or null. Such a body is refused before
   * it is validated: two readers may take different values from it (the first or the last), and a
   * signed order must mean one thing. A pass over the parser's events, no tree is built; any other
   * syntax error is left to the contract's validator.
   */
  static String duplicateKey(Buffer body) {
    DuplicateKeys keys = new DuplicateKeys();
    JsonParser parser = JsonParser.newParser();
    parser.handler(keys);
    // Past a syntax error the events mean nothing: the validator answers for the body.
    parser.exceptionHandler(e -> keys.stopped = true);
    parser.handle(body);
    parser.end();
    return keys.duplicate;
  }

  /** The keys seen so far in each object open at the current event, innermost first. */
  private static final class DuplicateKeys implements Handler<JsonEvent> {
    private final Deque<Set<String>> open = new ArrayDeque<>();
    private String duplicate;
    private boolean stopped;

    @Override
    public void handle(JsonEvent e) {
      if (stopped || duplicate != null) {
        return;
      }
      String key = e.fieldName();
      if (key != null && !open.isEmpty() && !open.peek().add(key)) {
        duplicate = "duplicate key '" + key + "'";
        return;
      }
      if (e.type() == JsonEventType.START_OBJECT) {
        open.push(new HashSet<>());
      } else if (e.type() == JsonEventType.END_OBJECT && !open.isEmpty()) {
        open.pop();
      }
    }
  }

  static Registration registration(Fields f) {
    try {
      return new Registration(
          f.string("account"),
          Role.parse(f.string("role")),
          f.string("name"),
          f.longValue("nonce"),
          Signature.fromHex(f.string("signature")));
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest(e.getMessage());
    }
  }

  static SignedOrder signedOrder(Fields f) {
    try {
      return RecordCodec.signedOrder(f);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest(e.getMessage());
    }
  }

  static Signature signature(String hex) {
    try {
      return Signature.fromHex(hex);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest("signature: " + e.getMessage());
    }
  }

  /**
   * A non-negative integer field, exactly: anything but a whole number from 0 to 2^63 - 1 is a 400.
   */
  static long nonNegative(Fields body, String key) {
    Object v = body.rawMap().get(key);
    if (v instanceof Long l && l >= 0) {
      return l;
    }
    throw ApiProblem.badRequest(key + " must be an integer from 0 to " + Long.MAX_VALUE);
  }
}
