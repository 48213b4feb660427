package org.cnemarket.engine.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CachedValidatorsTest {
  private static final String CONTRACT =
      """
      {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
       "paths": {"/x": {"post": {"operationId": "x",
         "requestBody": {"content": {"application/json": {"schema":
           {"type": "object", "required": ["a"], "properties": {"a": {"type": "integer"}}}}}},
         "responses": {"200": {"description": "ok"}}}}}}
      """;

  @Test
  void aSchemaGetsOneValidatorThatStillTellsWhatIsWrong() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      OpenAPIContract contract =
          OpenAPIContract.from(vertx, new JsonObject(CONTRACT)).await(30, TimeUnit.SECONDS);
      CachedValidators cached = new CachedValidators(contract);
      JsonSchema schema =
          cached.operation("x").getRequestBody().getContent().get("application/json").getSchema();
      SchemaRepository repository = cached.getSchemaRepository();

      assertThat(repository.validator(schema)).isSameAs(repository.validator(schema));
      assertThat(repository.validator(schema).validate(new JsonObject("{\"a\": 1}")).getValid())
          .isTrue();
      var wrong = repository.validator(schema).validate(new JsonObject("{\"a\": \"one\"}"));
      assertThat(wrong.getValid()).isFalse();
      assertThat(wrong.getErrors()).isNotEmpty();
      assertThat(wrong.getErrors().get(0).getInstanceLocation()).contains("a");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
