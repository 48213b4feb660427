package org.cnemarket.engine.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class JsonBodiesTest {

  private static String duplicate(String json) {
    return JsonBodies.duplicateKey(Buffer.buffer(json));
  }

  @Nested
  class DuplicateKeys {
    @Test
    void aKeyNamedTwiceInOneObjectIsNamed() {
      assertThat(duplicate("{\"quantity\":1000,\"quantity\":9000}"))
          .isEqualTo("duplicate key 'quantity'");
    }

    @Test
    void aKeyNamedTwiceInAnOrderOfABatchIsNamed() {
      String batch =
          "{\"orders\":[{\"order\":{\"nonce\":1},\"signature\":\"0x\"},"
              + "{\"order\":{\"nonce\":2,\"slot\":3,\"nonce\":4},\"signature\":\"0x\"}]}";
      assertThat(duplicate(batch)).isEqualTo("duplicate key 'nonce'");
    }

    @Test
    void theSameKeyInDifferentObjectsIsNoDuplicate() {
      assertThat(duplicate("{\"a\":{\"k\":1},\"b\":{\"k\":2},\"c\":[{\"k\":3},{\"k\":4}]}"))
          .isNull();
    }

    @Test
    void aBodyThatIsNotJsonIsLeftToTheValidator() {
      assertThat(duplicate("{\"a\":1,")).isNull();
      assertThat(duplicate("not json")).isNull();
      assertThat(duplicate("")).isNull();
    }
  }
}
