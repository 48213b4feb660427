package org.cnemarket.engine.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.openapi.contract.Operation;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.cnemarket.engine.Engine;
import org.cnemarket.engine.config.EngineConfig;
import org.cnemarket.engine.config.SurfaceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract is the one list of paths: every operation of openapi.yaml is bound to exactly one
 * handler by its operationId, the engine does not start when one is missing or names an operation
 * the contract lacks, and the only routes outside the contract are the static files.
 */
class OperationBindingTest {
  @TempDir Path dir;

  static Set<String> contractOperationIds() {
    return ContractFixture.operations().stream()
        .map(ContractFixture.Op::id)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void everyOperationIsBoundAndNoRouteLiesOutsideTheContractButTheStaticFiles() throws Exception {
    try (Engine engine =
        Engine.start(
            EngineConfig.embedded(dir, 0, "operator-token-for-operation-binding"),
            SurfaceConfig.defaults(),
            Clock.systemUTC())) {
      ApiGate gate = engine.surfaces().gate();
      assertThat(gate.boundOperations()).isEqualTo(contractOperationIds());
      assertThat(gate.operationIds()).containsExactlyElementsOf(contractOperationIds());

      Set<String> routedOperations = new TreeSet<>();
      List<String> outside = new ArrayList<>();
      for (Route r : gate.routes()) {
        Object op = r.getMetadata("openApiOperation");
        if (op instanceof Operation o) {
          assertThat(routedOperations.add(o.getOperationId()))
              .as("one route for " + o.getOperationId())
              .isTrue();
        } else if (r.getPath() != null) {
          // A wildcard route ("/dashboard/*") reports its prefix.
          outside.add(
              ApiServer.STATIC_PATHS.contains(r.getPath()) ? r.getPath() : r.getPath() + "*");
        }
      }
      assertThat(routedOperations).isEqualTo(contractOperationIds());
      assertThat(outside).allMatch(ApiServer.STATIC_PATHS::contains, "a static file path");
    }
  }

  @Test
  void theGateRefusesHandlersThatDoNotMatchTheContract() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ApiGate gate = new ApiGate(vertx, Clock.systemUTC(), null, "t", null, null, null, null);
      List<String> ids = new ArrayList<>(contractOperationIds());

      Operations missingOne = new Operations();
      ids.subList(1, ids.size()).forEach(id -> missingOne.on(id, call -> {}));
      assertThatThrownBy(
              () -> gate.router(missingOne).toCompletionStage().toCompletableFuture().get())
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("without a handler [" + ids.get(0) + "]");

      Operations oneTooMany = new Operations();
      ids.forEach(id -> oneTooMany.on(id, call -> {}));
      oneTooMany.on("notInTheContract", call -> {});
      assertThatThrownBy(
              () -> gate.router(oneTooMany).toCompletionStage().toCompletableFuture().get())
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("not in the contract [notInTheContract]");

      assertThatThrownBy(() -> new Operations().on("getMarket", c -> {}).on("getMarket", c -> {}))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("bound twice");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }
}
