package org.cnemarket.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void writesCanonicalJsonWithSortedKeys() {
    assertThat(Json.write(Map.of("b", 1L, "a", List.of("x", true)))).isEqualTo("{\"a\":[\"x\",true],\"b\":1}");
  }

  @Test
  void roundTripsStringsWithEscapes() {
    String s = "line\n\"quoted\" \\ tab\t\u0001";
    assertThat(Json.parse(Json.write(s))).isEqualTo(s);
  }

  @Test
  void rejectsFractionsBecauseRecordsUseFixedPointIntegers() {
    assertThatThrownBy(() -> Json.parse("{\"quantity\": 1.5}")).isInstanceOf(JsonException.class)
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
