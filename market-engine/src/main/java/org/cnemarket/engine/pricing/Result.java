package org.cnemarket.engine.pricing;

import java.util.Objects;
import java.util.function.Function;

/**
 * Outcome of a pricing computation: a value, or the reason the inputs were rejected. Solvers never
 * return a price computed from invalid parameters; they return {@link Invalid}.
 *
 * @param <T> the value type
 */
public sealed interface Result<T> permits Result.Ok, Result.Invalid {

  /** A successful computation. */
  record Ok<T>(T value) implements Result<T> {
    public Ok {
      Objects.requireNonNull(value, "value");
    }
  }

  /** Rejected inputs, with a message meant for the person who supplied them. */
  record Invalid<T>(String reason) implements Result<T> {
    public Invalid {
      Objects.requireNonNull(reason, "reason");
    }
  }

  static <T> Result<T> ok(T value) {
    return new Ok<>(value);
  }

  static <T> Result<T> invalid(String reason) {
    return new Invalid<>(reason);
  }

  default boolean isOk() {
    return this instanceof Ok;
  }

  /** The value; throws {@link IllegalStateException} carrying the reason when invalid. */
  default T orElseThrow() {
    if (this instanceof Ok<T> ok) {
      return ok.value();
    }
    throw new IllegalStateException(((Invalid<T>) this).reason());
  }

  /** The rejection reason, or an empty string for {@link Ok}. */
  default String reason() {
    return this instanceof Invalid<T> inv ? inv.reason() : "";
  }

  default <U> Result<U> map(Function<? super T, ? extends U> f) {
    if (this instanceof Ok<T> ok) {
      return new Ok<>(f.apply(ok.value()));
    }
    return new Invalid<>(((Invalid<T>) this).reason());
  }

  default <U> Result<U> flatMap(Function<? super T, Result<U>> f) {
    if (this instanceof Ok<T> ok) {
      return f.apply(ok.value());
    }
    return new Invalid<>(((Invalid<T>) this).reason());
  }
}
