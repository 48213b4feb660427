package org.cnemarket.engine.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A schema of the contract compiled into a direct check of a parsed JSON value. The items of a
 * batch are checked with it one by one, so that one malformed order is refused alone: the general
 * validator would refuse the whole batch, and it spent a seventh of the engine's CPU under batched
 * intake walking the same schema for every item. Only the keywords the contract's item schemas use
 * are understood; a schema with any other keyword is refused when compiled, so a check can never be
 * silently weaker than the contract.
 */
final class BodyShape {
  private static final Set<String> KNOWN =
      Set.of(
          "type",
          "required",
          "properties",
          "additionalProperties",
          "minimum",
          "maximum",
          "enum",
          "pattern",
          "minItems",
          "maxItems",
          "items",
          "description",
          "$ref");

  private static final Pattern HEX_PATTERN =
      Pattern.compile(Pattern.quote("^0x[0-9a-fA-F]{") + "(\\d+)" + Pattern.quote("}$"));

  private final String type;
  private final List<String> required;
  private final Map<String, BodyShape> properties;
  private final boolean closed;
  private final BigInteger minimum;
  private final BigInteger maximum;
  private final List<String> allowed;
  private final Pattern pattern;
  // For the contract's hex patterns (^0x[0-9a-fA-F]{N}$): N, checked by a loop; else -1.
  private final int hexDigits;
  private final int minItems;
  private final int maxItems;
  private final BodyShape items;

  private BodyShape(JsonObject schema, JsonObject schemas) {
    JsonObject s = resolve(schema, schemas);
    for (String key : s.fieldNames()) {
      if (!KNOWN.contains(key)) {
        throw new IllegalArgumentException("schema keyword " + key + " is not supported");
      }
    }
    this.type = s.getString("type");
    this.required = strings(s.getJsonArray("required"));
    this.properties = new LinkedHashMap<>();
    JsonObject props = s.getJsonObject("properties");
    if (props != null) {
      for (String name : props.fieldNames()) {
        properties.put(name, new BodyShape(props.getJsonObject(name), schemas));
      }
    }
    Object additional = s.getValue("additionalProperties");
    if (additional != null && !(additional instanceof Boolean)) {
      throw new IllegalArgumentException("additionalProperties must be true or false");
    }
    this.closed = Boolean.FALSE.equals(additional);
    this.minimum = bound(s.getValue("minimum"));
    this.maximum = bound(s.getValue("maximum"));
    this.allowed = s.getJsonArray("enum") == null ? null : strings(s.getJsonArray("enum"));
    this.pattern = s.getString("pattern") == null ? null : Pattern.compile(s.getString("pattern"));
    Matcher hex = pattern == null ? null : HEX_PATTERN.matcher(pattern.pattern());
    this.hexDigits = hex != null && hex.matches() ? Integer.parseInt(hex.group(1)) : -1;
    this.minItems = s.getInteger("minItems", 0);
    this.maxItems = s.getInteger("maxItems", Integer.MAX_VALUE);
    this.items =
        s.getJsonObject("items") == null ? null : new BodyShape(s.getJsonObject("items"), schemas);
  }

  /**
   * Compiles {@code schema}, whose {@code $ref}s name schemas under {@code #/components/schemas/}
   * of {@code contract}.
   */
  static BodyShape compile(JsonObject schema, JsonObject contract) {
    return new BodyShape(schema, contract.getJsonObject("components").getJsonObject("schemas"));
  }

  /** The first way {@code value} breaks the schema, named from {@code where}; null when none. */
  String violation(Object value, String where) {
    String v = violation(value);
    return v == null ? null : where + v;
  }

  /**
   * The first way {@code value} breaks the schema, named from the value down ({@code .field[3] must
   * ...}); null when none. Names are built only for a violation: valid orders are the hot path.
   */
  private String violation(Object value) {
    if (type == null) {
      return null;
    }
    return switch (type) {
      case "object" -> objectViolation(value);
      case "array" -> arrayViolation(value);
      case "integer" -> integerViolation(value);
      case "string" -> stringViolation(value);
      case "boolean" -> value instanceof Boolean ? null : " must be true or false";
      default -> throw new IllegalStateException("schema type " + type + " is not supported");
    };
  }

  private String objectViolation(Object value) {
    Map<?, ?> map =
        value instanceof JsonObject o ? o.getMap() : value instanceof Map<?, ?> m ? m : null;
    if (map == null) {
      return " must be an object";
    }
    for (String name : required) {
      if (!map.containsKey(name)) {
        return "." + name + " is required";
      }
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      BodyShape shape = properties.get(String.valueOf(e.getKey()));
      if (shape == null) {
        if (closed) {
          return " has an unknown field " + e.getKey();
        }
        continue;
      }
      String v = shape.violation(e.getValue());
      if (v != null) {
        return "." + e.getKey() + v;
      }
    }
    return null;
  }

  private String arrayViolation(Object value) {
    List<?> list =
        value instanceof JsonArray a ? a.getList() : value instanceof List<?> l ? l : null;
    if (list == null) {
      return " must be an array";
    }
    if (list.size() < minItems || list.size() > maxItems) {
      return " must have from " + minItems + " to " + maxItems + " items";
    }
    if (items != null) {
      for (int i = 0; i < list.size(); i++) {
        String v = items.violation(list.get(i));
        if (v != null) {
          return "[" + i + "]" + v;
        }
      }
    }
    return null;
  }

  private String integerViolation(Object value) {
    BigInteger b = integer(value);
    if (b == null
        || (minimum != null && b.compareTo(minimum) < 0)
        || (maximum != null && b.compareTo(maximum) > 0)) {
      return " must be an integer"
          + (minimum == null ? "" : " from " + minimum)
          + (maximum == null ? "" : " to " + maximum);
    }
    return null;
  }

  private String stringViolation(Object value) {
    if (!(value instanceof String s)) {
      return " must be a string";
    }
    if (allowed != null && !allowed.contains(s)) {
      return " must be one of " + allowed;
    }
    if (hexDigits >= 0 ? !isHex(s, hexDigits) : pattern != null && !pattern.matcher(s).find()) {
      return " must match " + pattern.pattern();
    }
    return null;
  }

  private static boolean isHex(String s, int digits) {
    if (s.length() != digits + 2 || s.charAt(0) != '0' || s.charAt(1) != 'x') {
      return false;
    }
    for (int i = 2; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (!(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f' || ch >= 'A' && ch <= 'F')) {
        return false;
      }
    }
    return true;
  }

  /** A JSON number's integer value, or null when it is not a whole number. */
  private static BigInteger integer(Object value) {
    if (value instanceof Long || value instanceof Integer || value instanceof Short) {
      return BigInteger.valueOf(((Number) value).longValue());
    }
    if (value instanceof BigInteger b) {
      return b;
    }
    if (value instanceof BigDecimal d) {
      return d.stripTrailingZeros().scale() <= 0 ? d.toBigInteger() : null;
    }
    if (value instanceof Double || value instanceof Float) {
      double x = ((Number) value).doubleValue();
      return Double.isFinite(x) && x == Math.rint(x) ? new BigDecimal(x).toBigInteger() : null;
    }
    return null;
  }

  private static JsonObject resolve(JsonObject schema, JsonObject schemas) {
    String ref = schema.getString("$ref");
    if (ref == null) {
      return schema;
    }
    String prefix = "#/components/schemas/";
    if (!ref.startsWith(prefix) || schemas.getJsonObject(ref.substring(prefix.length())) == null) {
      throw new IllegalArgumentException("unknown schema " + ref);
    }
    if (schema.size() > 1) {
      throw new IllegalArgumentException("keywords beside $ref are not supported");
    }
    return resolve(schemas.getJsonObject(ref.substring(prefix.length())), schemas);
  }

  private static BigInteger bound(Object v) {
    return v == null ? null : new BigDecimal(v.toString()).toBigIntegerExact();
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    if (a != null) {
      a.forEach(x -> out.add(String.valueOf(x)));
    }
    return List.copyOf(out);
  }
}
