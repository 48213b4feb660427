package org.cnemarket.engine.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The handlers of the contract's operations, by operationId. The gate binds each operation of
 * {@code openapi.yaml} to its handler and refuses to start when one is missing, or when a handler
 * names an operation the contract does not have: the contract is the one list of paths.
 */
public final class Operations {
  /** Handles one operation: reads the call and answers it. */
  @FunctionalInterface
  public interface Handler {
    void handle(Call call);
  }

  /** A group of handlers for one resource, binding each under its operationId. */
  public interface Group {
    void bind(Operations operations);
  }

  private final Map<String, Handler> handlers = new LinkedHashMap<>();

  public static Operations of(Group... groups) {
    Operations ops = new Operations();
    for (Group g : groups) {
      g.bind(ops);
    }
    return ops;
  }

  /** Binds {@code operationId} to {@code handler}; an operation has exactly one handler. */
  public Operations on(String operationId, Handler handler) {
    if (handlers.putIfAbsent(operationId, handler) != null) {
      throw new IllegalStateException("operation " + operationId + " is bound twice");
    }
    return this;
  }

  Handler handler(String operationId) {
    return handlers.get(operationId);
  }

  /** The bound operationIds. */
  public Set<String> operationIds() {
    return new TreeSet<>(handlers.keySet());
  }

  /** Fails unless the handlers are exactly the contract's operations. */
  void requireExactly(Set<String> contractOperations) {
    Set<String> missing = new TreeSet<>(contractOperations);
    missing.removeAll(handlers.keySet());
    Set<String> unknown = new TreeSet<>(handlers.keySet());
    unknown.removeAll(contractOperations);
    if (!missing.isEmpty() || !unknown.isEmpty()) {
      throw new IllegalStateException(
          "the handlers do not match openapi.yaml: without a handler "
              + missing
              + ", not in the contract "
              + unknown);
    }
  }
}
