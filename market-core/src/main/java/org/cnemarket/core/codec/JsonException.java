package org.cnemarket.core.codec;

/** Malformed JSON or a record field of the wrong shape; the message names what is wrong. */
public final class JsonException extends IllegalArgumentException {
  public JsonException(String message) {
    super(message);
  }
}
