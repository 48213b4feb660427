package org.cnemarket.engine.whatif;

import com.fasterxml.jackson.databind.JsonNode;
import org.cnemarket.engine.pricing.Result;

/**
 * Strict field readers: a missing or mistyped field becomes a {@link WhatIfException} naming it.
 */
final class Json {

  private Json() {}

  static JsonNode field(JsonNode node, String name, String where) throws WhatIfException {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      throw new WhatIfException("missing field '" + name + "' in " + where);
    }
    return v;
  }

  static JsonNode array(JsonNode node, String name, String where) throws WhatIfException {
    JsonNode v = field(node, name, where);
    if (!v.isArray()) {
      throw new WhatIfException("field '" + name + "' in " + where + " must be an array");
    }
    return v;
  }

  static String text(JsonNode node, String name, String where) throws WhatIfException {
    JsonNode v = field(node, name, where);
    if (!v.isTextual()) {
      throw new WhatIfException("field '" + name + "' in " + where + " must be a string");
    }
    return v.asText();
  }

  static long integer(JsonNode node, String name, String where) throws WhatIfException {
    JsonNode v = field(node, name, where);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new WhatIfException(
          "field '" + name + "' in " + where + " must be an integer, got " + v);
    }
    return v.asLong();
  }

  static long integer(JsonNode node, String name, String where, long dflt) throws WhatIfException {
    return node.has(name) ? integer(node, name, where) : dflt;
  }

  static double number(JsonNode node, String name, String where) throws WhatIfException {
    JsonNode v = field(node, name, where);
    if (v.isTextual() && v.asText().equalsIgnoreCase("Infinity")) {
      return Double.POSITIVE_INFINITY;
    }
    if (!v.isNumber()) {
      throw new WhatIfException("field '" + name + "' in " + where + " must be a number, got " + v);
    }
    return v.asDouble();
  }

  static double number(JsonNode node, String name, String where, double dflt)
      throws WhatIfException {
    return node.has(name) ? number(node, name, where) : dflt;
  }

  static boolean bool(JsonNode node, String name, String where, boolean dflt)
      throws WhatIfException {
    if (!node.has(name)) {
      return dflt;
    }
    JsonNode v = node.get(name);
    if (!v.isBoolean()) {
      throw new WhatIfException("field '" + name + "' in " + where + " must be true or false");
    }
    return v.asBoolean();
  }

  static double[] numbers(JsonNode node, String name, String where) throws WhatIfException {
    JsonNode a = array(node, name, where);
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      if (!a.get(i).isNumber()) {
        throw new WhatIfException(name + "[" + i + "] in " + where + " must be a number");
      }
      out[i] = a.get(i).asDouble();
    }
    return out;
  }

  static <T> T ok(Result<T> r) throws WhatIfException {
    if (r instanceof Result.Invalid<T> inv) {
      throw new WhatIfException("invalid input: " + inv.reason());
    }
    return r.orElseThrow();
  }
}
