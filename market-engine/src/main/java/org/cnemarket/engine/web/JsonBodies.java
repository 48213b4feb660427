package org.cnemarket.engine.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cnemarket.core.codec.Fields;
import org.cnemarket.core.codec.Json;
import org.cnemarket.core.codec.JsonException;
import org.cnemarket.core.codec.RecordCodec;
import org.cnemarket.core.crypto.Signature;
import org.cnemarket.core.model.Participant;
import org.cnemarket.core.model.Registration;
import org.cnemarket.core.model.Role;
import org.cnemarket.core.model.SignedOrder;

/** Request parsing and response shapes of the REST API (canonical JSON, integers only). */
final class JsonBodies {
  private JsonBodies() {}

  static Fields parse(String body, String what) {
    if (body == null || body.isBlank()) {
      throw ApiProblem.malformed("the request needs a JSON body");
    }
    try {
      return Fields.of(Json.parse(body), what);
    } catch (JsonException e) {
      throw ApiProblem.malformed(e.getMessage());
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

  static Map<String, Object> participant(Participant p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("address", p.address());
    m.put("role", p.role().name());
    m.put("name", p.name());
    return m;
  }
}
