package org.cnemarket.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Strings survive the canonical codec unchanged: every character that must be escaped is, and
 * nothing else (the hashes of blocks and records are taken over this text).
 */
class JsonStringPropertyTest {

  @Property(tries = 2000)
  void anyStringRoundTripsAndIsEscapedExactlyAsTheSpecSays(@ForAll String s) {
    String json = Json.write(Map.of("s", s, "l", List.of(s, s)));
    assertThat(Json.parse(json)).isEqualTo(Map.of("s", s, "l", List.of(s, s)));
    assertThat(Json.write(s)).isEqualTo(reference(s));
  }

  /** The escaping written out character by character. */
  private static String reference(String str) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : str.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
