package org.cnemarket.engine.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Signature;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SignedOrder;

/** Request bodies of the REST API, read from the body the gate validated (integers only). */
final class JsonBodies {
  private JsonBodies() {}

  /** Tokens only, with duplicate keys reported: no tree, no values decoded. */
  private static final JsonFactory DUPLICATE_CHECK =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  /**
   * The first key a JSON object of {@code body} names twice, or null. Such a body is refused before
   * it is validated: two readers may take different values from it (the first or the last), and a
   * signed order must mean one thing. A pass over the tokens, no tree is built; any other syntax
   * error is left to the contract's validator.
   */
  static String duplicateKey(Buffer body) {
    try (JsonParser parser = DUPLICATE_CHECK.createParser(body.getBytes())) {
      return duplicateKey(parser);
    } catch (IOException e) {
      return null;
    }
  }

  private static String duplicateKey(JsonParser parser) throws IOException {
    try {
      while (parser.nextToken() != null) {
        // Jackson checks each object's keys as it reads them.
      }
      return null;
    } catch (StreamReadException e) {
      // Past a syntax error the tokens mean nothing: the validator answers for the body.
      return e.getMessage().startsWith("Duplicate field") && parser.currentName() != null
          ? "duplicate key '" + parser.currentName() + "'"
          : null;
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
