package org.cnemarket.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void uint64FieldsTakeTheWholeUnsignedRangeAndNothingBeyond() {
    Fields f =
        Fields.of(
            Json.parse(
                "{\"top\":18446744073709551615,\"half\":9223372036854775808,\"s\":\"42\","
                    + "\"over\":18446744073709551616,\"neg\":-1,\"frac\":\"1.5\"}"),
            "o");
    assertThat(f.uint64("top")).isEqualTo(-1L);
    assertThat(Long.toUnsignedString(f.uint64("half"))).isEqualTo("9223372036854775808");
    assertThat(f.uint64("s")).isEqualTo(42);
    assertThat(Json.write(Map.of("n", Fields.uint64Json(f.uint64("top")))))
        .isEqualTo("{\"n\":18446744073709551615}");
    for (String bad : List.of("over", "neg", "frac", "missing")) {
      assertThatThrownBy(() -> f.uint64(bad)).as(bad).isInstanceOf(JsonException.class);
    }
    // Signed 64-bit fields refuse what does not fit instead of truncating.
    assertThatThrownBy(() -> f.longValue("over")).isInstanceOf(JsonException.class);
  }

  @Test
  void writesCanonicalJsonWithSortedKeys() {
    assertThat(Json.write(Map.of("b", 1L, "a", List.of("x", true))))
        .isEqualTo("{\"a\":[\"x\",true],\"b\":1}");
  }

  @Test
  void roundTripsStringsWithEscapes() {
    String s = "line\n\"quoted\" \\ tab\t\u0001";
    assertThat(Json.parse(Json.write(s))).isEqualTo(s);
  }

  @Test
  void rejectsFractionsBecauseRecordsUseFixedPointIntegers() {
    assertThatThrownBy(() -> Json.parse("{\"quantity\": 1.5}"))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("only integers");
  }

  @Test
  void rejectsMalformedInputWithItsOffset() {
    assertThatThrownBy(() -> Json.parse("{\"a\":1,}")).hasMessageContaining("offset");
    assertThatThrownBy(() -> Json.parse("{\"a\":1} x")).hasMessageContaining("trailing");
    assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}")).hasMessageContaining("duplicate");
    assertThatThrownBy(() -> Json.parse("[".repeat(100))).hasMessageContaining("deep");
  }
}
